/// The growable byte buffer ``JSONSerializer`` writes a value into.
///
/// An append is a capacity check and a copy. `Array.append` also checks
/// uniqueness and updates its header on every call, which for a reply of a
/// few thousand small pieces (keys, quotes, escapes) cost more than the
/// copying. The buffer is manual memory: whoever makes a sink calls
/// ``deallocate()`` when done with it, and nothing else keeps it.
struct JSONByteSink {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() {
        base.deallocate()
    }

    /// The bytes written so far; valid until the next append.
    var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base, count: count)
    }

    /// Room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).initialize(from: start, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// Appends UTF-8 text as a JSON string literal, byte by byte straight into the buffer through a
    /// local cursor: a text block holding a result's JSON has an escape every few bytes, and copying
    /// the runs between them one call at a time cost more than the copying. `room` is what the buffer
    /// holds beyond one byte per byte still to come and the closing quote: an escape spends from it.
    mutating func appendStringLiteral(_ text: UnsafeBufferPointer<UInt8>) {
        let total = text.count
        reserve(total + 2)
        var out = base + count
        var room = capacity - count - total - 2
        out.pointee = UInt8(ascii: "\"")
        out += 1
        var index = 0
        while index < total {
            let byte = text[index]
            index += 1
            guard JSONSerializer.needsEscape(byte) else {
                out.pointee = byte
                out += 1
                continue
            }
            if room < JSONSerializer.longestEscape - 1 {
                count = out - base
                reserve(JSONSerializer.longestEscape + (total - index) + 1)
                out = base + count
                room = capacity - count - (total - index) - 1 - 1
            }
            let written = JSONSerializer.writeEscape(byte, into: out)
            out += written
            room -= written - 1
        }
        out.pointee = UInt8(ascii: "\"")
        count = out + 1 - base
    }
}
