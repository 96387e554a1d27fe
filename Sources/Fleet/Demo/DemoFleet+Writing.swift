import JSON

/// The two snapshot forms of DESIGN §3, written straight from the record stream.
extension DemoFleet {
    /// The arrays of the one-document form, in the order they are written.
    static let documentSections = ["resources", "agents", "connections", "alerts", "recoveryPoints", "metricSamples"]

    /// Writes the JSON Lines form: one record per line, `generatedAt` first, the end record last.
    ///
    /// ```
    /// {"generatedAt":"2026-11-28T10:00:00Z"}
    /// {"resource":{"id":"agent/pve-a","type":"agent","platform":"proxmox-pve",...}}
    /// {"end":{"lines":…,"sha256":"…"}}
    /// ```
    /// - Throws: ``DemoFleetWriteError`` when the file cannot be created or written.
    package func writeJSONLines(to path: String) throws {
        var writer = try DemoFleetFileWriter(path: path)
        var digest = SnapshotEndRecord.Digest()
        var lines = 0
        let time = DemoFleetTimeFormatter(now: now)
        try items { item in
            item.appendJSONLine(to: &writer.buffer, time: time)
            writer.buffer.append(UInt8(ascii: "\n"))
            lines += 1
            if writer.isFull {
                digest.add(bytes: writer.buffer, lines: lines)
                lines = 0
                try writer.flush()
            }
        }
        digest.add(bytes: writer.buffer, lines: lines)
        writer.buffer.append(contentsOf: digest.finish().line)
        writer.buffer.append(UInt8(ascii: "\n"))
        try writer.close()
    }

    /// Writes the one-document form, one record per line inside each array so that it streams,
    /// diffs and greps like the JSON Lines form:
    ///
    /// ```
    /// {"generatedAt":"2026-11-28T10:00:00Z",
    /// "resources":[
    /// {"id":"agent/pve-a",...},
    /// {"id":"storage/pve-a/local",...}
    /// ],
    /// "agents":[
    /// ...
    /// ]}
    /// ```
    /// Every array is present, empty or not.
    /// - Throws: ``DemoFleetWriteError`` when the file cannot be created or written.
    package func writeJSON(to path: String) throws {
        var writer = try DemoFleetFileWriter(path: path)
        var open = -1
        var first = true
        func advance(to section: Int, _ buffer: inout [UInt8]) {
            while open < section {
                if open >= 0 { buffer.append(contentsOf: "\n]".utf8) }
                open += 1
                buffer.append(contentsOf: ",\n\"\(Self.documentSections[open])\":[".utf8)
                first = true
            }
        }
        writer.buffer.append(contentsOf: "{\"generatedAt\":".utf8)
        JSONSerializer.append(.string(now.description), to: &writer.buffer)
        let time = DemoFleetTimeFormatter(now: now)
        try items { item in
            guard let section = item.section else { return }
            advance(to: section, &writer.buffer)
            writer.buffer.append(contentsOf: (first ? "\n" : ",\n").utf8)
            first = false
            item.appendValue(to: &writer.buffer, time: time)
            try writer.flushIfFull()
        }
        advance(to: Self.documentSections.count - 1, &writer.buffer)
        writer.buffer.append(contentsOf: "\n]}\n".utf8)
        try writer.close()
    }
}
