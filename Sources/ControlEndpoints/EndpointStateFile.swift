import JSON

/// The JSON file behind the reference endpoint, changed under a lock and replaced atomically.
///
/// Each update takes an exclusive `flock` on `PATH.lock`, reads the file
/// (missing means empty), applies the change, and — if anything changed —
/// writes a temporary file and renames it over `PATH`. Readers never see half
/// a file, and concurrent connections, endpoints or processes sharing the file
/// never lose an update.
struct EndpointStateFile: Sendable {
    let path: String

    var lockPath: String { path + ".lock" }

    /// Checks the file can be read, and creates it, empty, if it is missing.
    func prepare() throws(EndpointStateError) {
        try update { _ in }
    }

    /// Reads the state, lets `change` modify it, and writes it back if it changed.
    @discardableResult
    func update<T>(_ change: (inout EndpointState) -> T) throws(EndpointStateError) -> T {
        let outcome: Result<T, EndpointStateError>
        do {
            outcome = try LocalFile.withExclusiveLock(lockPath) { () throws(FileError) -> Result<T, EndpointStateError> in
                let bytes = try LocalFile.contents(of: path)
                var state = EndpointState()
                if let bytes {
                    do throws(EndpointStateError) {
                        state = try decode(bytes)
                    } catch {
                        return .failure(error)
                    }
                }
                let original = state
                let result = change(&state)
                if bytes == nil || state != original {
                    try LocalFile.writeAtomically(Array(JSONSerializer.pretty(state.jsonValue).utf8), to: path)
                }
                return .success(result)
            }
        } catch {
            throw EndpointStateError(message: "the state file \(path): \(error)")
        }
        return try outcome.get()
    }

    /// The state as it is on disk now, without locking.
    func read() throws(EndpointStateError) -> EndpointState {
        let bytes: [UInt8]?
        do {
            bytes = try LocalFile.contents(of: path)
        } catch {
            throw EndpointStateError(message: "the state file \(path): \(error)")
        }
        guard let bytes else { return EndpointState() }
        return try decode(bytes)
    }

    private func decode(_ bytes: [UInt8]) throws(EndpointStateError) -> EndpointState {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw .malformed("the state file \(path) is not JSON (\(error))")
        }
        do {
            return try EndpointState(value)
        } catch {
            throw .malformed("the state file \(path) is malformed: \(error)")
        }
    }
}
