import JSON
import JSONRPC
import Synchronization

/// What the 2026-07-28 era needs besides the legacy server: which calls need which client
/// capabilities, and the sealed states of approvals in flight.
package final class ModernEra: Sendable {
    /// The client capabilities a modern `tools/call` of a tool needs (-32021 without them); a tool
    /// listed here asks for approval through an `InputRequiredResult`.
    package let requirements: [String: JSONObject]
    let approvals: ApprovalStates
    /// The tasks extension's tasks (`control_resource` calls that declare it).
    package let tasks: ControlTasks
    /// What `subscriptions/listen` streams: the store's changes.
    package let changes: ChangeFeed
    /// Whether ``changes`` watches a store (else a listen is acknowledged with nothing honoured).
    package let watchesStore: Bool
    /// `_meta` of every result (`io.modelcontextprotocol/serverInfo`), built once.
    private let resultMeta = Mutex<JSONObject?>(nil)

    func resultMeta(_ build: () -> JSONObject) -> JSONObject {
        resultMeta.withLock { cached in
            if let cached { return cached }
            let built = build()
            cached = built
            return built
        }
    }

    /// - Parameters:
    ///   - sealer: seals the approval states; the CLI gives it the process's secret.
    ///   - clock: for the states' issue time and expiry.
    ///   - watcher: notices the store's changes for `subscriptions/listen`; `nil` watches nothing.
    ///   - taskLimits: how many tasks, and for how long (the clock above times them).
    package init(
        requirements: [String: JSONObject] = [:], sealer: RequestStateSealer = .ephemeral(), clock: ServerClock = .system,
        watcher: StoreWatcher? = nil, taskLimits: TaskLimits = TaskLimits()
    ) {
        self.requirements = requirements
        self.approvals = ApprovalStates(sealer: sealer, clock: clock)
        self.tasks = ControlTasks(limits: taskLimits, sealer: sealer, clock: clock)
        self.changes = ChangeFeed(watcher: watcher)
        self.watchesStore = watcher != nil
    }
}
