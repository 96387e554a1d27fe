/// How much control the operator grants the assistant (DESIGN §5).
///
/// Set by the operator (flag, environment, config file), never by a tool argument.
package enum ControlLevel: String, CaseIterable, Sendable, Codable, Hashable {
    /// Every control call is refused with `control_disabled`; the default.
    case readOnly = "read-only"
    /// Each dispatch needs a human's approval first.
    case controlled
    /// Dispatches without asking.
    case autonomous

    /// The level when the operator sets none: fail closed.
    package static let `default`: ControlLevel = .readOnly
}
