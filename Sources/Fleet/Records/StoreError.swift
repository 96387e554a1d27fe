/// A store failure, said in words for an operator: also a snapshot the ingest cannot open or read.
package struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String

    package init(message: String) {
        self.message = message
    }

    package var description: String { message }
}
