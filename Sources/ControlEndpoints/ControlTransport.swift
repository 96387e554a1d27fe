/// The seam between the assistant and its control endpoints: open a session, then execute one action on it.
///
/// Two phases, so the caller can record the action as dispatched in between:
/// a failed ``open(_:token:deadline:)`` sent nothing and the action ends
/// `failed`; once ``ControlSession/execute(_:progress:)`` is called the
/// request may have reached the endpoint, and the outcome says so.
/// ``EndpointClient`` is the real transport; tests give the server a fake.
package protocol ControlTransport: Sendable {
    /// Connects to `address` and says hello with `token`, all within `deadline`.
    func open(_ address: EndpointAddress, token: String, deadline: Duration) async -> Result<any ControlSession, EndpointFailure>
}

/// A connection that has said hello and can carry one action.
package protocol ControlSession: Sendable {
    var address: EndpointAddress { get }

    /// Sends the action, forwards each progress notification, and waits for the answer
    /// (up to the request's deadline plus ``ControlProtocol/answerGrace``); the session is closed afterwards.
    ///
    /// `progress` is called on the I/O thread, in wire order, before the outcome returns: keep it quick.
    func execute(_ request: EndpointRequest, progress: @escaping @Sendable (EndpointProgress) -> Void) async -> EndpointOutcome
}
