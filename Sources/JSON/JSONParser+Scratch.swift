extension JSONParser {
    /// Where a parser keeps the entries and elements of the objects and arrays it has not finished.
    ///
    /// ```
    /// {"a": 1, "b": [true, {"c": null}]}     while {"c": null} is parsed:
    /// entries   ("a", 1) ("c", null)          the outer object's, then the inner one's
    /// elements  true                          the array's
    /// ```
    /// At its `}` or `]` a container moves its own off the top into one array of exactly their
    /// number: no array grown one entry at a time per container. The slots are never given back,
    /// so one scratch kept across many parses (the lines of a file) stops allocating after the
    /// first few. A freed slot holds a value without storage, so keeping it costs nothing.
    package struct Scratch: Sendable {
        private var entries: [(key: String, value: JSONValue)] = []
        /// Length, first and last byte of each entry's key, to compare keys only when these agree.
        private var fingerprints: [UInt32] = []
        private var elements: [JSONValue] = []
        private(set) var entryCount = 0
        private(set) var elementCount = 0

        /// Keys of one object checked by a scan of its entries; past this many, a set of them.
        static let scanLimit = 16

        package init() {}

        /// Adds an entry to the object whose entries start at `base`; false when the object holds
        /// the key already. `keys` is that object's set, made once it has ``scanLimit`` keys.
        mutating func pushEntry(_ key: String, _ value: JSONValue, from base: Int, keys: inout Set<String>?) -> Bool {
            let fingerprint = Self.fingerprint(key)
            if keys != nil {
                guard keys?.insert(key).inserted == true else { return false }
            } else {
                for position in base..<entryCount where fingerprints[position] == fingerprint {
                    if entries[position].key == key { return false }
                }
                if entryCount - base == Self.scanLimit {
                    var set = Set(entries[base..<entryCount].map(\.key))
                    set.insert(key)
                    keys = set
                }
            }
            if entryCount < entries.count {
                entries[entryCount] = (key, value)
                fingerprints[entryCount] = fingerprint
            } else {
                entries.append((key, value))
                fingerprints.append(fingerprint)
            }
            entryCount += 1
            return true
        }

        /// Adds an element to the innermost array.
        mutating func pushElement(_ element: JSONValue) {
            if elementCount < elements.count {
                elements[elementCount] = element
            } else {
                elements.append(element)
            }
            elementCount += 1
        }

        /// Moves the entries from `base` up out, in order.
        mutating func popEntries(from base: Int) -> [(key: String, value: JSONValue)] {
            defer { entryCount = base }
            return Self.move(&entries, base..<entryCount, leaving: ("", .null))
        }

        /// Moves the elements from `base` up out, in order.
        mutating func popElements(from base: Int) -> [JSONValue] {
            defer { elementCount = base }
            return Self.move(&elements, base..<elementCount, leaving: .null)
        }

        /// Empties every slot, after a parse that stopped at an error, midway through containers.
        mutating func clear() {
            _ = Self.move(&entries, 0..<entryCount, leaving: ("", .null))
            _ = Self.move(&elements, 0..<elementCount, leaving: .null)
            entryCount = 0
            elementCount = 0
        }

        /// Moves `range` of `slots` into a new array and fills the slots with `filler`: no copy
        /// of each value and release of the original, as slicing and removing would do.
        private static func move<Element>(
            _ slots: inout [Element], _ range: Range<Int>, leaving filler: Element
        ) -> [Element] {
            guard !range.isEmpty else { return [] }
            return slots.withUnsafeMutableBufferPointer { buffer in
                [Element](unsafeUninitializedCapacity: range.count) { moved, initialized in
                    guard let source = buffer.baseAddress, let target = moved.baseAddress else { return }
                    target.moveInitialize(from: source + range.lowerBound, count: range.count)
                    (source + range.lowerBound).initialize(repeating: filler, count: range.count)
                    initialized = range.count
                }
            }
        }

        /// Length, first and last UTF-8 byte: equal keys have equal fingerprints.
        static func fingerprint(_ key: String) -> UInt32 {
            var key = key
            return key.withUTF8 { bytes in
                guard let first = bytes.first, let last = bytes.last else { return 0 }
                return UInt32(truncatingIfNeeded: bytes.count) << 16 | UInt32(first) << 8 | UInt32(last)
            }
        }
    }
}
