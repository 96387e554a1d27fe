import Foundation
import JSON
import Synchronization

/// The audit chain of a file store: a JSON Lines file beside it (`fleet.db.audit.jsonl`), one record
/// per line, and a head file (`fleet.db.audit.head`) saying where the chain ended at the last append.
///
/// An append is one `write(2)` with `O_APPEND` under an exclusive `flock`, then one `pwrite(2)` of the
/// head: the head gives the previous record's hash without reading the chain. Like a SQLite commit in
/// WAL mode with `synchronous = NORMAL`, an appended record survives the process being killed the
/// moment after; neither is flushed to disk per call.
///
/// What the head catches: a chain shorter than its head had records cut from its end (``AuditVerifier``
/// says which); the next append numbers on from the head, so a cut followed by an append leaves a gap.
/// A chain longer than its head (a process killed between the two writes) is read back to its last
/// record, and the append links to that.
package final class AuditFile: AuditChain {
    package let path: String
    package let headPath: String

    /// The open chain and head files of a writable chain; nil for a read-only one.
    private let files: Mutex<Descriptors?>

    private struct Descriptors {
        var chain: Int32
        var head: Int32
        /// The head this process wrote last: while the file is still that long, nobody appended since,
        /// and the head file need not be read.
        var written: AuditHead?
    }

    /// Opens the chain at `path` and its head at `headPath`, creating both (mode 0600) unless `readOnly`.
    package init(path: String, headPath: String, readOnly: Bool = false) throws {
        self.path = path
        self.headPath = headPath
        guard !readOnly else {
            files = Mutex(nil)
            return
        }
        let chain = try Self.openFile(path, O_RDWR | O_APPEND | O_CREAT)
        do {
            files = Mutex(Descriptors(chain: chain, head: try Self.openFile(headPath, O_RDWR | O_CREAT)))
        } catch {
            close(chain)
            throw error
        }
    }

    deinit {
        files.withLock { files in
            guard let files else { return }
            close(files.chain)
            close(files.head)
        }
    }

    package func append(_ record: AuditRecord) throws -> AuditRecord {
        try files.withLock { files throws(AuditChainError) -> AuditRecord in
            guard var open = files else { throw .file(path: path, operation: "append to a read-only", errno: EROFS) }
            try lock(open.chain, LOCK_EX)
            defer { flock(open.chain, LOCK_UN) }
            let size = try self.size(of: open.chain, path)
            let head = open.written?.size == size ? open.written : try readHead(open.head)
            try refuseHiding(head: head, size: size)
            var appended = record
            var bytes: [UInt8] = []
            if let head, head.size == size {
                appended.seq = head.seq + 1
                appended.previousHash = head.hash
            } else {
                // Written by hand, cut, or left by a process killed between its two writes: the last
                // record in the file is the one to follow, numbered past anything the head has seen.
                let tail = try lastLine(open.chain, size: size)
                let last = tail.line.flatMap { try? AuditRecord(line: $0) }
                appended.seq = max(last?.seq ?? 0, head?.seq ?? 0) + 1
                appended.previousHash = last?.hash ?? AuditRecord.genesis
                if tail.unterminated { bytes.append(UInt8(ascii: "\n")) }
            }
            let canonical = appended.canonical
            appended.hash = AuditRecord.hash(of: canonical)
            bytes.append(contentsOf: appended.line(canonical: canonical))
            let written = AuditHead(seq: appended.seq, hash: appended.hash, size: size + Int64(bytes.count))
            do throws(AuditChainError) {
                try write(bytes, to: open.chain)
                try writeHead(written, to: open.head)
            } catch {
                // A full disk (or any failed write) may have left part of a line, which `verify` would
                // take for tampering for ever: cut the chain back to where this append began, still under
                // the lock, so the chain and its head stay as they were and the caller sees the failure.
                _ = ftruncate(open.chain, off_t(size))
                throw error
            }
            open.written = written
            files = open
            return appended
        }
    }

    @discardableResult
    package func scan(_ body: (AuditRecord) throws -> Void) throws -> AuditHead? {
        let chain = open(path, O_RDONLY | O_CLOEXEC)
        guard chain >= 0 else {
            if errno == ENOENT { return try headOnly() }
            throw AuditChainError.file(path: path, operation: "open", errno: errno)
        }
        defer { close(chain) }
        // The length and the head together, with no append half done: what follows reads only that far.
        try lock(chain, LOCK_SH)
        let size: Int64
        let head: AuditHead?
        do {
            size = try self.size(of: chain, path)
            head = try headOnly()
        } catch {
            flock(chain, LOCK_UN)
            throw error
        }
        flock(chain, LOCK_UN)

        var lineNumber = 0
        var pending: [UInt8] = []
        var offset: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while offset < size {
            let count = try read(chain, into: &buffer, at: offset, upTo: Int(min(Int64(buffer.count), size - offset)))
            guard count > 0 else { break }
            offset += Int64(count)
            var start = 0
            for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                lineNumber += 1
                if pending.isEmpty {
                    try body(Self.record(buffer[start..<index], line: lineNumber))
                } else {
                    pending.append(contentsOf: buffer[start..<index])
                    try body(Self.record(pending, line: lineNumber))
                    pending.removeAll(keepingCapacity: true)
                }
                start = index + 1
            }
            pending.append(contentsOf: buffer[start..<count])
        }
        if !pending.isEmpty {
            throw AuditChainError.unreadable(line: lineNumber + 1, reason: "it has no newline: a write cut short")
        }
        return head
    }

    private static func record(_ line: some Collection<UInt8>, line number: Int) throws(AuditChainError) -> AuditRecord {
        do {
            return try AuditRecord(line: line)
        } catch {
            throw .unreadable(line: number, reason: error.reason)
        }
    }

    /// Refuses an append that would make a damaged chain look whole.
    ///
    /// A head missing (or emptied) over a non-empty chain: following the last record would launder a
    /// tail cut before the head went. A chain missing (or emptied) under a head that has seen records:
    /// starting again at the head's next number would hide that the chain went. Either way `audit
    /// verify` says what is wrong, and an operator restores the files or moves both aside.
    private func refuseHiding(head: AuditHead?, size: Int64) throws(AuditChainError) {
        if head == nil, size > 0 {
            throw .refused(path: path, reason: "its head file \(headPath) is missing or unreadable over \(size) bytes of records, "
                + "so records cut from the end could not be found; restore the head, or move both files aside to start a new chain")
        }
        if let head, head.seq > 0, size == 0 {
            throw .refused(path: path, reason: "the chain file is empty but its head says it reached record \(head.seq): it was "
                + "deleted or emptied; restore it, or move both files aside to start a new chain")
        }
    }

    // MARK: - The head file

    /// The head of a chain, read through a descriptor of its own.
    private func headOnly() throws(AuditChainError) -> AuditHead? {
        let head = open(headPath, O_RDONLY | O_CLOEXEC)
        guard head >= 0 else {
            if errno == ENOENT { return nil }
            throw .file(path: headPath, operation: "open", errno: errno)
        }
        defer { close(head) }
        return try readHead(head)
    }

    /// The head file holds one JSON object, `{"hash":"…","seq":7,"size":4242}`, padded with spaces to a
    /// fixed width so that each append overwrites all of it in place. Nil when empty or unreadable.
    private func readHead(_ descriptor: Int32) throws(AuditChainError) -> AuditHead? {
        var buffer = [UInt8](repeating: 0, count: Self.headWidth)
        let count = try read(descriptor, into: &buffer, at: 0, upTo: buffer.count, path: headPath)
        guard count > 0, let object = try? JSONParser.parse(buffer[0..<count]),
              let seq = object["seq"]?.integerValue, let hash = object["hash"]?.stringValue,
              let size = object["size"]?.integerValue
        else { return nil }
        return AuditHead(seq: seq, hash: hash, size: size)
    }

    private func writeHead(_ head: AuditHead, to descriptor: Int32) throws(AuditChainError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.headWidth)
        bytes.append(contentsOf: #"{"hash":"#.utf8)
        JSONSerializer.appendString(head.hash, to: &bytes)
        bytes.append(contentsOf: #","seq":"#.utf8)
        JSONSerializer.appendInteger(head.seq, to: &bytes)
        bytes.append(contentsOf: #","size":"#.utf8)
        JSONSerializer.appendInteger(head.size, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: max(0, Self.headWidth - 1 - bytes.count)))
        bytes.append(UInt8(ascii: "\n"))
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count else { throw .file(path: headPath, operation: "write", errno: written < 0 ? errno : EIO) }
    }

    private static let headWidth = 160

    // MARK: - The chain file

    /// The last complete line before `size` (without its newline), and whether the file ends without one.
    private func lastLine(_ descriptor: Int32, size: Int64) throws(AuditChainError) -> (line: [UInt8]?, unterminated: Bool) {
        guard size > 0 else { return (nil, false) }
        var tail: [UInt8] = []
        var start = size
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        // Read backwards until the tail holds a newline before its last complete line.
        while start > 0 {
            let step = min(Int64(buffer.count), start)
            start -= step
            let count = try read(descriptor, into: &buffer, at: start, upTo: Int(step))
            tail.insert(contentsOf: buffer[0..<count], at: 0)
            guard let end = tail.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            if start == 0 || tail[..<end].contains(UInt8(ascii: "\n")) {
                let lineStart = tail[..<end].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
                return (Array(tail[lineStart..<end]), end != tail.count - 1)
            }
        }
        return (nil, true)
    }

    private func write(_ bytes: [UInt8], to descriptor: Int32) throws(AuditChainError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .file(path: path, operation: "append to", errno: errno)
            }
            offset += written
        }
    }

    private func read(_ descriptor: Int32, into buffer: inout [UInt8], at offset: Int64, upTo count: Int, path: String? = nil) throws(AuditChainError) -> Int {
        while true {
            let done = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
            if done >= 0 { return done }
            if errno != EINTR { throw .file(path: path ?? self.path, operation: "read", errno: errno) }
        }
    }

    private func size(of descriptor: Int32, _ path: String) throws(AuditChainError) -> Int64 {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .file(path: path, operation: "stat", errno: errno) }
        return Int64(status.st_size)
    }

    private func lock(_ descriptor: Int32, _ operation: Int32) throws(AuditChainError) {
        while flock(descriptor, operation) != 0 {
            guard errno == EINTR else { throw .file(path: path, operation: "lock", errno: errno) }
        }
    }

    private static func openFile(_ path: String, _ flags: Int32) throws(AuditChainError) -> Int32 {
        let descriptor = Glibc.open(path, flags | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .file(path: path, operation: "open", errno: errno) }
        return descriptor
    }
}
