/// The demo fleet's seeded pseudo-random generator: SplitMix64.
///
/// The fleet must come out byte-for-byte the same for the same seed on every
/// machine and every run, so nothing here touches `SystemRandomNumberGenerator`
/// or `Hasher` (whose seed changes per process). Every entity draws from its own
/// generator, keyed by integers only (``keyed(_:_:_:_:)``), which is what lets
/// the fleet be generated one site at a time, and each section (resources,
/// alerts, recovery points, metrics) recompute the facts it needs about an
/// entity without keeping the others in memory.
///
/// SplitMix64 (Steele, Lea and Flood, 2014) is tiny, fast and passes BigCrush;
/// it is not cryptographic, and needs not be.
struct DemoFleetRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// A generator for one entity: the fleet seed mixed with up to three integer coordinates
    /// (site, entity kind, index…), so that entities never share a stream.
    static func keyed(_ seed: UInt64, _ a: Int, _ b: Int = 0, _ c: Int = 0) -> DemoFleetRandom {
        var mixed = mix(seed ^ 0x9E37_79B9_7F4A_7C15)
        mixed = mix(mixed ^ UInt64(truncatingIfNeeded: a))
        mixed = mix(mixed ^ UInt64(truncatingIfNeeded: b) &* 0xD6E8_FEB8_6659_FD93)
        mixed = mix(mixed ^ UInt64(truncatingIfNeeded: c) &* 0xA076_1D64_78BD_642F)
        return DemoFleetRandom(seed: mixed)
    }

    /// The SplitMix64 finaliser: a bijective avalanche of 64 bits.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    // MARK: - Draws

    /// A uniform double in `0..<1` from the top 53 bits.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `range` (Lemire's multiply-shift; the tiny bias is irrelevant here and,
    /// unlike `Int.random(in:using:)`, the result is pinned down by this code, not the standard library's).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next().multipliedFullWidth(by: width).high)
    }

    /// A uniform double in `range`.
    mutating func double(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// True with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// One element of a non-empty array.
    mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[int(in: 0...(elements.count - 1))]
    }

    /// 32 lowercase hex digits, like `/etc/machine-id`.
    mutating func machineID() -> String {
        DemoFleetRandom.hex(next(), width: 16) + DemoFleetRandom.hex(next(), width: 16)
    }

    /// `value` as `width` lowercase hex digits, zero-padded.
    static func hex(_ value: UInt64, width: Int) -> String {
        let digits = String(value, radix: 16)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
