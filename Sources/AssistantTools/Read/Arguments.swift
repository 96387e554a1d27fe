import JSON

/// Typed reads of tool arguments that already passed the input schema.
///
/// The schema has checked types and ranges, so these only pick values out;
/// a default applies only to an argument that is absent (or `null`), never
/// to one of the wrong type.
struct Arguments {
    let object: JSONObject

    init(_ object: JSONObject) {
        self.object = object
    }

    func string(_ key: String) -> String? {
        object[key]?.stringValue
    }

    func strings(_ key: String) -> [String] {
        object[key]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    func int(_ key: String, default fallback: Int) -> Int {
        object[key]?.integerValue.map { Int($0) } ?? fallback
    }

    func double(_ key: String) -> Double? {
        object[key]?.doubleValue
    }

    func bool(_ key: String) -> Bool {
        object[key]?.boolValue ?? false
    }

    /// The arguments that define a listing (everything but `cursor` and `limit`), in a stable form:
    /// a cursor is only valid for the query that issued it.
    var queryFingerprint: String {
        var canonical = object
        canonical["cursor"] = nil
        canonical["limit"] = nil
        let text = JSONSerializer.pretty(.object(canonical), sortedKeys: true)
        // FNV-1a, 64-bit: stable across processes (Swift's Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 36)
    }
}

/// Cursors of the read tools: opaque, tied to the listing and to the query.
enum QueryCursor {
    static let separator: Character = "\u{1F}"

    /// The cursor for the page after `position` in `listing` for these arguments.
    static func token(_ listing: String, _ arguments: Arguments, position: [String]) -> String {
        Cursor(listing: listing, position: ([arguments.queryFingerprint] + position).joined(separator: String(separator))).token
    }

    /// The position a cursor names, with `count` parts.
    ///
    /// - Throws: a rejection the caller can read when the cursor is not one
    ///   this listing issued for this query.
    static func position(_ listing: String, _ arguments: Arguments, count: Int) throws(ToolError) -> [String]? {
        guard let token = arguments.string("cursor") else { return nil }
        guard let cursor = Cursor(token: token, listing: listing) else { throw invalid(listing) }
        let parts = cursor.position.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == count + 1 else { throw invalid(listing) }
        guard parts[0] == arguments.queryFingerprint else {
            throw .rejected("Invalid cursor: it belongs to a \(listing) call with other filters. Repeat the same filters, or omit cursor to start again.")
        }
        return Array(parts.dropFirst())
    }

    /// The rejection for a cursor `listing` did not issue.
    static func invalid(_ listing: String) -> ToolError {
        .rejected("Invalid cursor: it was not issued by \(listing). Omit cursor to start from the first page.")
    }

    /// A numeric part of a cursor's position.
    static func number<T: LosslessStringConvertible>(_ text: String, _ listing: String) throws(ToolError) -> T {
        guard let value = T(text) else { throw invalid(listing) }
        return value
    }
}
