import JSON

/// The other end of a connection, as a handler sees it.
package protocol Peer: Sendable {
    /// Sends a notification to the peer.
    func notify(_ notification: Notification)

    /// Sends a request to the peer and waits for its response (elicitation, for one).
    ///
    /// - Throws: the peer's error response, or an internal error when the
    ///   connection ends before the peer answers.
    func request(_ method: String, params: JSONValue?) async throws(JSONRPCError) -> JSONValue

    /// Stops the named request if it is still running; it will get no response.
    func cancel(_ id: RequestID)
}
