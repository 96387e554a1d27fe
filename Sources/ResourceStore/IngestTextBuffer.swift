/// The text arguments of one row of an ``IngestStatement``, one after another in one buffer that
/// is reused from row to row, so that SQLite can read them in place (`SQLITE_STATIC`).
///
/// The bytes stay put from ``append(_:)`` until the next ``reset(capacity:)``: through the
/// statement's step, which is all SQLite needs (every parameter is bound again before the next
/// step, and SQLite reads no binding outside a step).
///
/// A class, deliberately not `Sendable`: one statement's, on the writer's thread.
final class IngestTextBuffer {
    private var storage: UnsafeMutablePointer<CChar>
    private var capacity: Int
    private var count = 0

    init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
        storage = .allocate(capacity: self.capacity)
    }

    deinit {
        storage.deallocate()
    }

    /// Empties the buffer, making room for `capacity` bytes (growing it moves it).
    func reset(capacity needed: Int) {
        count = 0
        guard needed > capacity else { return }
        storage.deallocate()
        capacity = max(needed, capacity * 2)
        storage = .allocate(capacity: capacity)
    }

    /// Copies the UTF-8 of `text` in after what is there and returns where it went: never a nil
    /// address, even for "" (a nil address would bind NULL, not ''). Needs room for it (see ``reset(capacity:)``).
    func append(_ text: String) -> UnsafeBufferPointer<CChar> {
        var text = text
        let start = storage + count
        let length = text.withUTF8 { bytes in
            precondition(count + bytes.count <= capacity, "IngestTextBuffer: reset(capacity:) was too small")
            bytes.withMemoryRebound(to: CChar.self) { source in
                if let base = source.baseAddress { start.update(from: base, count: source.count) }
            }
            return bytes.count
        }
        count += length
        return UnsafeBufferPointer(start: start, count: length)
    }
}
