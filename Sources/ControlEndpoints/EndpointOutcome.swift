import JSON

/// How a dispatched action ended, as far as the assistant can tell.
package struct EndpointOutcome: Sendable, Equatable {
    package enum State: String, Sendable {
        /// The endpoint applied the action.
        case completed
        /// The endpoint did not apply it (it refused, or the request never left).
        case failed
        /// The request was sent but no conforming answer came back: the action may or may not have run.
        case unknown
    }

    package var state: State
    /// What happened, for people: names the endpoint and, unless completed, whether the action may have run.
    package var message: String
    /// The resource as the endpoint saw it after the action, when it said.
    package var observed: JSONValue?

    package init(state: State, message: String, observed: JSONValue? = nil) {
        self.state = state
        self.message = message
        self.observed = observed
    }
}
