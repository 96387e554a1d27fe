/// Why a session could not be opened: nothing was sent, so the action ends `failed`.
///
/// The message names the address and never the token.
package struct EndpointFailure: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: String, Sendable {
        /// Refused, no socket file, unreachable, or the name did not resolve.
        case connectFailed
        /// Connecting or the hello took longer than the deadline.
        case timedOut
        /// The endpoint rejected the token.
        case tokenRejected
        /// The endpoint answered hello with an error, garbage, or by closing.
        case helloFailed
    }

    package var kind: Kind
    package var address: EndpointAddress
    package var message: String

    package init(kind: Kind, address: EndpointAddress, message: String) {
        self.kind = kind
        self.address = address
        self.message = message
    }

    package var description: String { message }
}

// MARK: - Factories

extension EndpointFailure {
    static let nothingSent = "nothing was sent"

    static func connect(_ address: EndpointAddress, _ error: SocketError, deadline: Duration) -> EndpointFailure {
        if error == .timedOut {
            return EndpointFailure(
                kind: .timedOut,
                address: address,
                message: "could not connect to \(address) within \(deadline.wholeMilliseconds) ms; \(nothingSent)"
            )
        }
        return EndpointFailure(kind: .connectFailed, address: address, message: "could not connect to \(address): \(error); \(nothingSent)")
    }

    static func helloTimedOut(_ address: EndpointAddress, deadline: Duration) -> EndpointFailure {
        EndpointFailure(
            kind: .timedOut,
            address: address,
            message: "\(address) gave no answer to hello within \(deadline.wholeMilliseconds) ms; \(nothingSent)"
        )
    }

    static func tokenRejected(_ address: EndpointAddress) -> EndpointFailure {
        EndpointFailure(kind: .tokenRejected, address: address, message: "\(address) rejected the token; \(nothingSent)")
    }

    static func hello(_ address: EndpointAddress, _ problem: String) -> EndpointFailure {
        EndpointFailure(kind: .helloFailed, address: address, message: "\(address) \(problem); \(nothingSent)")
    }
}
