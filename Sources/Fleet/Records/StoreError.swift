/// A store failure, said in words for an operator: also a snapshot the ingest cannot open or read.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
