import Synchronization

/// One modern control call's approval, between the server and the dispatcher: either the answer of a
/// verified retry, or, on a first round, the form the dispatcher would show (the server then answers
/// an `InputRequiredResult` and nothing is recorded or sent).
package final class ApprovalRound: Sendable {
    private let state: Mutex<(answer: Approval.Outcome?, asked: String?)>

    init(answer: Approval.Outcome?) {
        state = Mutex((answer, nil))
    }

    /// The human's answer, when this round carries one.
    var answer: Approval.Outcome? { state.withLock { $0.answer } }

    /// The approval message the dispatcher asked with, when it asked.
    var asked: String? { state.withLock { $0.asked } }

    /// Notes that the call needs the human's answer to `message`.
    func ask(_ message: String) {
        state.withLock { $0.asked = message }
    }
}
