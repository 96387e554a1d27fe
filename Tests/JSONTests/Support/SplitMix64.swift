/// A deterministic generator (SplitMix64), so a failing round replays.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}

extension SplitMix64 {
    /// Mutates `input` one to three times: a byte replaced by, or inserted from, `alphabet`, or one
    /// removed. The fuzz tests' step from a valid seed to a near miss.
    mutating func mutate(_ input: inout [UInt8], from alphabet: [UInt8]) {
        for _ in 0..<(1 + next(below: 3)) {
            let position = next(below: input.count)
            switch next(below: 3) {
            case 0: input[position] = alphabet[next(below: alphabet.count)]
            case 1: input.insert(alphabet[next(below: alphabet.count)], at: position)
            default: input.remove(at: position)
            }
        }
    }
}
