/// Why the state file cannot be read or written.
struct EndpointStateError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String

    static func malformed(_ detail: String) -> EndpointStateError {
        EndpointStateError(message: detail)
    }

    var description: String { message }
}
