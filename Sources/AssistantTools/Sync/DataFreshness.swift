import Dispatch
import Fleet
import JSON
import Synchronization

/// How fresh a synced store's data is: when the last good sync finished, and whether the last
/// attempt failed. Every read answer of a server that syncs carries it (`dataAsOf`, `stale`).
///
/// ```
/// no good sync yet                 stale: true, no dataAsOf, a note
/// last good sync ≤ 2 × interval    dataAsOf
/// last good sync >  2 × interval   dataAsOf, stale: true
/// ```
package final class DataFreshness: Sendable {
    /// What the data comes from, for `instructions` and notes.
    package let source: String
    package let interval: Duration
    private let clock: ServerClock
    private let state = Mutex<State>(State())
    private let firstSync = DispatchSemaphore(value: 0)
    /// Until when a tool call waits for the first sync (in the clock's milliseconds).
    private let firstSyncDeadline: Int64

    private struct State {
        var lastGood: Timestamp?
        var lastError: String?
        var attempted = false
    }

    /// - Parameter firstSyncWait: how long a tool call waits for the first sync at most, counted from now.
    package init(source: String, interval: Duration, firstSyncWait: Duration, clock: ServerClock) {
        self.source = source
        self.interval = interval
        self.clock = clock
        firstSyncDeadline = clock.milliseconds() + Self.milliseconds(firstSyncWait)
    }

    /// Records a sync that committed at `time`.
    package func succeeded(at time: Timestamp) {
        let first = state.withLock { state -> Bool in
            defer { state = State(lastGood: time, lastError: nil, attempted: true) }
            return !state.attempted
        }
        if first { firstSync.signal() }
    }

    /// Records a sync that did not commit, and why (said for people; no credential in it).
    package func failed(_ reason: String) {
        let first = state.withLock { state -> Bool in
            defer {
                state.lastError = reason
                state.attempted = true
            }
            return !state.attempted
        }
        if first { firstSync.signal() }
    }

    /// Waits, at most until the deadline set at start, for the first sync attempt to end.
    func waitForFirstSync() {
        guard !state.withLock({ $0.attempted }) else { return }
        let left = firstSyncDeadline - clock.milliseconds()
        guard left > 0 else { return }
        if firstSync.wait(timeout: .now() + .milliseconds(Int(left))) == .success {
            firstSync.signal()  // for the next waiter
        }
    }

    /// The fields a read answer gains: `dataAsOf`, `stale`, and a `dataNote` when something is wrong.
    var stamp: [(String, JSONValue)] {
        let (lastGood, lastError) = state.withLock { ($0.lastGood, $0.lastError) }
        let now = clock.timestamp
        guard let lastGood else {
            let why = lastError.map { "the first sync from \(source) failed (\($0))" } ?? "the first sync from \(source) has not finished"
            return [("stale", true), ("dataNote", .string("No data synced yet: \(why); this answer is from an empty or older store."))]
        }
        var fields: [(String, JSONValue)] = [("dataAsOf", .string(lastGood.description))]
        let age = now.secondsSince1970 - lastGood.secondsSince1970
        if age > 2 * interval.components.seconds {
            fields.append(("stale", true))
            let why = lastError.map { " The last attempt failed: \($0)." } ?? ""
            fields.append(("dataNote", .string("The data is \(age) s old; syncs from \(source) have not succeeded since \(lastGood).\(why)")))
        } else {
            fields.append(("stale", false))
        }
        return fields
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
