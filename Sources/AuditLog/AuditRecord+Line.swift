import JSON

/// A record as one line of the audit file: `{"seq":7,"hash":"…",` then the rest of ``AuditRecord/canonical``.
///
/// The line is the canonical bytes with `seq` and `hash` put in front, so `seq` comes first for a person
/// reading the file, and removing those two keys gives back exactly what was hashed.
extension AuditRecord {
    /// The line, with its newline.
    package var line: [UInt8] {
        line(canonical: canonical)
    }

    /// The line, from the record's ``canonical`` bytes already made (for the hash).
    func line(canonical: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(canonical.count + 100)
        out.append(contentsOf: #"{"seq":"#.utf8)
        JSONSerializer.appendInteger(seq, to: &out)
        out.append(contentsOf: #","hash":"#.utf8)
        JSONSerializer.appendString(hash, to: &out)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: canonical.dropFirst())
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// Reads a line of the audit file (without its newline).
    ///
    /// - Throws: an ``AuditLineError`` saying what is wrong: not JSON, a missing, mistyped or unknown field.
    package init(line: some Collection<UInt8>) throws(AuditLineError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw AuditLineError(reason: "not JSON (\(error.message))")
        }
        guard let object = value.objectValue else { throw AuditLineError(reason: "not a JSON object") }
        if let unknown = object.keys.first(where: { !Self.lineKeys.contains($0) }) {
            throw AuditLineError(reason: "unknown field \"\(unknown)\"")
        }
        func field(_ key: String) throws(AuditLineError) -> JSONValue {
            guard let value = object[key] else { throw AuditLineError(reason: "\"\(key)\" is missing") }
            return value
        }
        func integer(_ key: String) throws(AuditLineError) -> Int64 {
            guard let number = try field(key).integerValue else { throw AuditLineError(reason: "\"\(key)\" is not an integer") }
            return number
        }
        func text(_ key: String) throws(AuditLineError) -> String {
            guard let text = try field(key).stringValue else { throw AuditLineError(reason: "\"\(key)\" is not a string") }
            return text
        }
        func optionalText(_ key: String) throws(AuditLineError) -> String? {
            let value = try field(key)
            if value.isNull { return nil }
            guard let text = value.stringValue else { throw AuditLineError(reason: "\"\(key)\" is neither a string nor null") }
            return text
        }
        let seq = try integer("seq")
        let hash = try text("hash")
        self.init(
            at: try integer("at"), session: try text("session"), clientName: try text("clientName"),
            clientVersion: try text("clientVersion"), tool: try text("tool"), arguments: try text("arguments"),
            resourceId: try optionalText("resourceId"), outcome: try text("outcome"),
            controlClass: try optionalText("controlClass"), route: try optionalText("route"), code: try optionalText("code"),
            actionId: try optionalText("actionId"), pulse: object["pulse"] == nil ? nil : try optionalText("pulse"),
            durationMicroseconds: try integer("durationMicroseconds")
        )
        self.seq = seq
        self.previousHash = try text("previousHash")
        self.hash = hash
    }

    private static let lineKeys: Set<String> = [
        "seq", "hash", "actionId", "arguments", "at", "clientName", "clientVersion", "code", "controlClass",
        "durationMicroseconds", "outcome", "previousHash", "pulse", "resourceId", "route", "session", "tool",
    ]
}

/// Why a line of the audit file is not a record.
package struct AuditLineError: Error, Sendable {
    package var reason: String
}
