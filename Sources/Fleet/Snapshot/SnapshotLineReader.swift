import JSON

/// Reads the JSON Lines form of a snapshot in bounded memory, one chunk at a time.
///
/// ```
/// {"generatedAt": "2026-11-28T10:00:00Z"}        optional, first
/// {"resource": {"id": "agent/pve-a", ...}}         one record per line, any order
/// {"alert": {"id": "a-1", "resourceId": ...}}
/// {"end": {"lines": 3, "sha256": "…"}}          last: the count and digest of the lines before it
/// ```
/// The end record (``SnapshotEndRecord``) is checked when present and, when ``requireEndRecord``,
/// required: without it a file cut short (`head -n 124`) would read as a smaller, valid fleet.
/// Bytes go through ``LineFramer`` (a line over ``maximumLineLength`` is dropped as it arrives and
/// reported once) and ``SnapshotLineCounter`` (which numbers the framed lines); only one chunk and
/// one line are held at a time.
struct SnapshotLineReader<Visitor: SnapshotVisitor> {
    /// The longest record line accepted: far beyond any real resource, small enough to bound memory.
    static var maximumLineLength: Int { 16 << 20 }

    let visitor: Visitor
    private var framer = LineFramer(maximumLineLength: Self.maximumLineLength)
    private var counter = SnapshotLineCounter(maximumLineLength: Self.maximumLineLength)
    private var recordsSeen = 0
    private var generatedAtSeen = false
    /// The parser's scratch space, kept from line to line.
    private var scratch = JSONParser.Scratch()
    /// Whether a snapshot without an end record is refused.
    let requireEndRecord: Bool
    private var digest = SnapshotEndRecord.Digest()
    /// The line of the end record, once read.
    private var endLine: Int?

    init(visitor: Visitor, requireEndRecord: Bool = false) {
        self.visitor = visitor
        self.requireEndRecord = requireEndRecord
    }

    /// Reads the records completed by one more chunk of the snapshot.
    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>) throws {
        counter.scan(chunk)
        framer.append(chunk)
        while let frame = framer.nextFrame() {
            try handle(frame, line: counter.next())
        }
    }

    /// Reads the unterminated last line, if any.
    mutating func finish() throws {
        counter.finish()
        if let frame = framer.finish() {
            try handle(frame, line: counter.next())
        }
        if endLine == nil, requireEndRecord {
            visitor.log.append(SnapshotError(
                path: "snapshot",
                rule: "has no end record {\"end\": {\"lines\": N, \"sha256\": \"…\"}} on its last line: it may have been cut short; "
                    + "`pulse-assistant demo` writes one (accepting a snapshot without one must be asked for)"
            ))
        }
    }

    private mutating func handle(_ frame: LineFramer.Frame, line number: Int) throws {
        let log = visitor.log
        let location = SnapshotLocation.line(number)
        if let endLine {
            log.append(at: location, nil, rule: "comes after the end record of line \(endLine); the end record is the last line")
            return
        }
        guard case .line(let bytes) = frame else {
            digest.skip()
            log.append(at: location, nil, rule: "longer than \(Self.maximumLineLength >> 20) MiB; a record must fit on one line")
            return
        }
        let value: JSONValue, isSerializedForm: Bool
        do {
            (value, isSerializedForm) = try JSONParser.parseNotingForm(bytes, scratch: &scratch)
        } catch {
            digest.add(line: bytes)
            log.append(at: location, nil, rule: "not valid JSON: \(error)")
            return
        }
        if case .object(let wrapper) = value, wrapper.count == 1, let end = wrapper[SnapshotEndRecord.key] {
            endLine = number
            checkEnd(end, at: location)
            return
        }
        digest.add(line: bytes)
        guard case .object(let wrapper) = value, wrapper.count == 1, let entry = wrapper.first(where: { _ in true })
        else {
            log.append(at: location, nil, shown: SnapshotError.kind(of: value), rule: Self.shapeRule)
            return
        }
        let (key, content) = (entry.key, entry.value)
        defer { recordsSeen += 1 }
        if key == "generatedAt" {
            if recordsSeen > 0 || generatedAtSeen {
                log.append(at: location, key, shown: SnapshotError.kind(of: content), rule: "must be the first line, and appear once")
            } else {
                generatedAtSeen = true
                visitor.visitGeneratedAt(content, at: location, field: key)
            }
            return
        }
        guard let kind = SnapshotRecordKind(lineKey: key) else {
            SnapshotChecker(location: location, log: log)
                .unknown(key, allowed: ["generatedAt"] + SnapshotRecordKind.allCases.map(\.lineKey), in: "a line")
            return
        }
        let recordLocation = SnapshotLocation.lineRecord(number, kind)
        guard case .object(let record) = content else {
            log.append(at: recordLocation, nil, shown: SnapshotError.kind(of: content), rule: "must be an object")
            return
        }
        // In serialized form the line is `{"key":record}` byte for byte, the key without escapes.
        let serialized = isSerializedForm ? bytes[(key.utf8.count + 4)..<(bytes.count - 1)] : nil
        try visitor.visit(kind, record, serialized: serialized, at: recordLocation)
    }

    private func checkEnd(_ value: JSONValue, at location: SnapshotLocation) {
        let log = visitor.log
        guard let recorded = SnapshotEndRecord(value) else {
            log.append(at: location, SnapshotEndRecord.key, shown: SnapshotError.kind(of: value),
                       rule: #"must be {"lines": N, "sha256": "…"}"#)
            return
        }
        let read = digest.finish()
        if recorded.lines != read.lines {
            log.append(at: location, SnapshotEndRecord.key + ".lines", value: .integer(Int64(recorded.lines)),
                       rule: "the end record counts \(recorded.lines) lines before it, the file has \(read.lines): lines were dropped or added")
        } else if recorded.sha256 != read.sha256 {
            log.append(at: location, SnapshotEndRecord.key + ".sha256", rule: "does not match the lines before it: they were changed")
        }
    }

    private static var shapeRule: String {
        "a line holds one record, an object with one key: "
            + SnapshotRecordKind.allCases.map { "{\"\($0.lineKey)\": {...}}" }.joined(separator: ", ")
            + ", or first {\"generatedAt\": \"...\"}"
    }
}
