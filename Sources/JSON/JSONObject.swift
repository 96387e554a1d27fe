/// A JSON object that keeps its keys in insertion order.
///
/// Entries live in one array, in order; objects with more than
/// ``indexThreshold`` keys also keep a key → position index, so a large
/// object is still O(1) to look up while the usual small one (a message, a
/// row) is a short scan with no hashing. Setting an existing key replaces its
/// value in place. The parser rejects duplicate keys, so a parsed object
/// never hides one value behind another.
package struct JSONObject: Sendable, Hashable {
    private var entries: [(key: String, value: JSONValue)] = []
    private var index: [String: Int]?

    /// Above this many keys, lookups go through a dictionary.
    static let indexThreshold = 12

    package init() {}

    package init(_ pairs: some Sequence<(String, JSONValue)>) {
        for (key, value) in pairs {
            self[key] = value
        }
    }

    /// The same, for the usual array of pairs: a generic initializer called from another module runs
    /// unspecialized, through witness tables, which for objects built by the thousand (the demo
    /// fleet's records) cost more than the objects.
    package init(_ pairs: [(String, JSONValue)]) {
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            self[key] = value
        }
    }

    /// An object of the parser's, whose `entries` it has checked hold no key twice: taken as they
    /// are, with the index any object of their size has.
    init(uniqueEntries: [(key: String, value: JSONValue)]) {
        entries = uniqueEntries
        if entries.count > Self.indexThreshold {
            index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
        }
    }

    package var count: Int { entries.count }
    package var isEmpty: Bool { entries.isEmpty }
    package var keys: [String] { entries.map(\.key) }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return entries.firstIndex { $0.key == key }
    }

    /// A ``JSONValue/serialized(_:)`` value reads as the value it stands for.
    package subscript(key: String) -> JSONValue? {
        get { position(of: key).map { entries[$0].value.plain } }
        set {
            switch (position(of: key), newValue) {
            case (let found?, let value?):
                entries[found].value = value
            case (nil, let value?):
                entries.append((key, value))
                if index != nil {
                    index?[key] = entries.count - 1
                } else if entries.count > Self.indexThreshold {
                    index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
                }
            case (let found?, nil):
                entries.remove(at: found)
                if index != nil {
                    index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
                }
            case (nil, nil):
                break
            }
        }
    }

    package func contains(_ key: String) -> Bool {
        position(of: key) != nil
    }

    /// Sets `key` unless `value` is nil: for optional fields that are left out rather than `null`.
    package mutating func setIfPresent(_ key: String, _ value: JSONValue?) {
        if let value { self[key] = value }
    }

    /// Equality ignores key order: two objects are the same JSON value when
    /// they hold the same keys with the same values.
    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.count == rhs.count && lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
    }

    /// Order-independent, to agree with `==`.
    package func hash(into hasher: inout Hasher) {
        var combined = 0
        for entry in entries {
            var entryHasher = Hasher()
            entryHasher.combine(entry.key)
            entryHasher.combine(entry.value)
            combined ^= entryHasher.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension JSONObject: Sequence {
    package func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        entries.makeIterator()
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}
