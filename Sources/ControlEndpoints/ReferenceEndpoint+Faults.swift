extension ReferenceEndpoint {
    /// Misbehaviour on demand, to test what the assistant does with a slow, failing or broken endpoint.
    ///
    /// All off by default. They apply to every `control.execute`, in this
    /// order: delay (with progress), then fail, then apply, then drop or garbage.
    package struct Faults: Sendable, Equatable {
        /// Milliseconds to wait before applying, sending a progress notification
        /// every ``ReferenceEndpoint/progressInterval``. A delay longer than the
        /// request's `deadlineMs` means the action is not applied: the answer
        /// (which the client has likely stopped waiting for) is `failed`,
        /// "deadline passed before applying".
        package var delayMilliseconds: Int
        /// Actions answered `failed` without being applied.
        package var failActions: Set<String>
        /// Apply, then close the connection without answering.
        package var dropConnection: Bool
        /// Apply, then answer a line that is not JSON.
        package var garbage: Bool

        package init(delayMilliseconds: Int = 0, failActions: Set<String> = [], dropConnection: Bool = false, garbage: Bool = false) {
            self.delayMilliseconds = max(0, delayMilliseconds)
            self.failActions = failActions
            self.dropConnection = dropConnection
            self.garbage = garbage
        }

        package static let none = Faults()
    }
}
