import JSON

/// What a protocol server plugs into a ``Connection``.
///
/// `receive` is called on the connection's reading thread, in wire order, one
/// message at a time. That is what keeps ordering simple: a handler can change
/// its state (an `initialize`, a cancellation) before the next line is even
/// looked at. So `receive` must not block; anything slow returns
/// ``Reply/later(on:_:)`` and runs concurrently, answered when it finishes.
package protocol MessageHandler: Sendable {
    /// Answers a request now, or says how to answer it later.
    func receive(_ request: Request, from peer: any Peer) -> Reply

    /// Takes a notification. Notifications never get a response.
    func receive(_ notification: Notification, from peer: any Peer)

    /// The input ended: requests that would otherwise stay open (a subscription stream) finish now.
    func inputEnded()
}

extension MessageHandler {
    package func inputEnded() {}
}

/// How a request will be answered.
package enum Reply: Sendable {
    /// Answered on the reading thread: for cheap, ordered work (lifecycle, ping, errors).
    case now(Result<JSONValue, JSONRPCError>)
    /// Answered by concurrent work; cancellable through the connection. Work that blocks (a SQLite
    /// read, a locked append) names the executor whose threads may block: its task starts there, so
    /// the cooperative pool is neither blocked nor woken only to hand the work on.
    case later(on: (any TaskExecutor)? = nil, @Sendable () async -> Result<JSONValue, JSONRPCError>)
    /// Cheap work that never waits (a point lookup): run on the reading thread when nothing more has been
    /// read, so a round trip pays no task hop; run as concurrent work, like ``later(on:_:)``, when more input
    /// is already waiting behind it, so a pipelining client's calls use every core.
    case inline(@Sendable () -> Result<JSONValue, JSONRPCError>)

    package static func result(_ value: JSONValue) -> Reply {
        .now(.success(value))
    }

    package static func error(_ error: JSONRPCError) -> Reply {
        .now(.failure(error))
    }
}
