import JSON

/// Typed reads of tool arguments that already passed the input schema.
///
/// The schema has checked types and ranges, so these only pick values out;
/// a default applies only to an argument that is absent (or `null`), never
/// to one of the wrong type.
struct Arguments {
    let object: JSONObject
    /// What a listing argument is when it is not given, beyond `false` for a flag: a cursor's
    /// query is the same whether a default is spelled out or left out.
    let defaults: JSONObject

    init(_ object: JSONObject, defaults: JSONObject = [:]) {
        self.object = object
        self.defaults = defaults
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

    /// The same arguments with `key` set to `value` (nil takes it out): for a value the tool
    /// resolved, such as platform aliases to their ids, so that the cursor's query is the resolved one.
    func setting(_ key: String, to value: JSONValue?) -> Arguments {
        var object = object
        object[key] = value
        return Arguments(object, defaults: defaults)
    }

    /// The arguments that define a listing (everything but `cursor` and `limit`), in a stable form:
    /// a cursor is only valid for the query that issued it.
    ///
    /// The same query gives the same fingerprint however it is spelled: a filter's items are a set
    /// (sorted, each once), and an argument at its default (`false`, or its entry in ``defaults``)
    /// counts as left out.
    var queryFingerprint: String {
        var canonical = JSONObject()
        for (key, value) in object where key != "cursor" && key != "limit" {
            let value = Self.canonical(value)
            if value == .bool(false) || defaults[key].map(Self.canonical) == value { continue }
            canonical[key] = value
        }
        let text = JSONSerializer.pretty(.object(canonical), sortedKeys: true)
        // FNV-1a, 64-bit: stable across processes (Swift's Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 36)
    }

    /// An array as a set: its items each once, in the order of their JSON text.
    private static func canonical(_ value: JSONValue) -> JSONValue {
        guard let items = value.arrayValue else { return value.plain }
        let byText = Dictionary(items.map { (JSONSerializer.string($0), $0.plain) }, uniquingKeysWith: { first, _ in first })
        return .array(byText.sorted { $0.key < $1.key }.map(\.value))
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
