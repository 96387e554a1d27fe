/// Why a reference endpoint could not start.
package struct ReferenceEndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String

    package var description: String { message }

    static func listen(_ address: EndpointAddress, _ reason: String) -> ReferenceEndpointError {
        ReferenceEndpointError(message: "cannot listen on \(address): \(reason)")
    }

    static func inUse(_ address: EndpointAddress) -> ReferenceEndpointError {
        ReferenceEndpointError(message: "cannot listen on \(address): another endpoint is listening there")
    }

    static func notASocket(_ address: EndpointAddress, path: String) -> ReferenceEndpointError {
        ReferenceEndpointError(message: "cannot listen on \(address): \(path) exists and is not a socket; it was left alone")
    }

    static func stateFile(_ error: EndpointStateError) -> ReferenceEndpointError {
        ReferenceEndpointError(message: error.message)
    }

    static let alreadyStarted = ReferenceEndpointError(message: "the reference endpoint was already started; start it once")
}
