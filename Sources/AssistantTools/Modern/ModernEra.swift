import JSONRPC

/// What the 2026-07-28 era needs besides the legacy server: which calls need which client
/// capabilities, and the sealed states of approvals in flight.
public final class ModernEra: Sendable {
    /// The client capabilities a modern `tools/call` of a tool needs (-32021 without them); a tool
    /// listed here asks for approval through an `InputRequiredResult`.
    public let requirements: [String: JSONObject]
    let approvals: ApprovalStates

    /// - Parameters:
    ///   - sealer: seals the approval states; the CLI gives it the process's secret.
    ///   - clock: for the states' issue time and expiry.
    public init(requirements: [String: JSONObject] = [:], sealer: RequestStateSealer = .ephemeral(), clock: ServerClock = .system) {
        self.requirements = requirements
        self.approvals = ApprovalStates(sealer: sealer, clock: clock)
    }
}
