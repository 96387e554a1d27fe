import Synchronization

/// Tells subscribers that the store's content changed: the one source of `subscriptions/listen`
/// (and, later, of the legacy resource notifications).
///
/// What notices a change is a ``StoreWatcher`` (an ingest or sync committed to the store, in this
/// process or another); it starts with the first subscriber, so a process nobody listens to never
/// looks. ``finish()`` (end of input) tells every subscriber to close its stream.
package final class ChangeFeed: Sendable {
    package enum Event: Sendable { case changed, finished }

    private let watcher: StoreWatcher?
    private let state = Mutex<(next: Int, subscribers: [Int: @Sendable (Event) -> Void], watching: Bool, finished: Bool)>(
        (1, [:], false, false)
    )

    /// - Parameter watcher: what notices changes; `nil` for a feed only ``publish()`` feeds (tests).
    package init(watcher: StoreWatcher?) {
        self.watcher = watcher
    }

    /// Calls `handler` on every change until ``cancel(_:)``; `nil` once the feed has finished.
    func subscribe(_ handler: @escaping @Sendable (Event) -> Void) -> Int? {
        let (token, start) = state.withLock { state -> (Int?, Bool) in
            guard !state.finished else { return (nil, false) }
            defer { state.next += 1 }
            state.subscribers[state.next] = handler
            let start = !state.watching
            state.watching = true
            return (state.next, start)
        }
        if start, let watcher { watcher.start { [weak self] in self?.publish() } }
        return token
    }

    func cancel(_ token: Int) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: token) }
    }

    /// The store changed: every subscriber hears it.
    package func publish() {
        for handler in state.withLock({ Array($0.subscribers.values) }) { handler(.changed) }
    }

    /// The input ended: every subscriber closes its stream, and no new one opens.
    package func finish() {
        let handlers = state.withLock { state in
            state.finished = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        watcher?.stop()
        for handler in handlers { handler(.finished) }
    }
}
