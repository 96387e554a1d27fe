/// A deterministic mutation harness: from the corpus, `runs` inputs each a seed mutated (bytes
/// replaced, inserted, removed, ranges duplicated, seeds spliced) by SplitMix64 from `seed`, so that
/// a finding replays from its seed and run number.
package struct FuzzHarness: Sendable {
    package var target: FuzzTarget
    package var seed: UInt64

    package init(target: FuzzTarget, seed: UInt64) {
        self.target = target
        self.seed = seed
    }

    package struct Report: Sendable {
        package var runs = 0
        package var bytes = 0
        package var findings: [FuzzTarget.Finding] = []
    }

    package func run(_ runs: Int) -> Report {
        var random = SplitMix64(seed: seed)
        var report = Report()
        for _ in 0..<runs {
            var input = FuzzCorpus.seeds[random.below(FuzzCorpus.seeds.count)]
            for _ in 0..<(1 + random.below(8)) { mutate(&input, &random) }
            report.runs += 1
            report.bytes += input.count
            if let finding = target.run(input), report.findings.count < 20 { report.findings.append(finding) }
        }
        return report
    }

    private func mutate(_ input: inout [UInt8], _ random: inout SplitMix64) {
        let alphabet = FuzzCorpus.alphabet
        guard !input.isEmpty else { input = [alphabet[random.below(alphabet.count)]]; return }
        let position = random.below(input.count)
        switch random.below(6) {
        case 0: input[position] = alphabet[random.below(alphabet.count)]
        case 1: input.insert(alphabet[random.below(alphabet.count)], at: position)
        case 2: input.remove(at: position)
        case 3:
            let end = min(input.count, position + 1 + random.below(32))
            input.insert(contentsOf: input[position..<end], at: position)
        case 4:
            let other = FuzzCorpus.seeds[random.below(FuzzCorpus.seeds.count)]
            input.insert(contentsOf: other.prefix(random.below(other.count + 1)), at: position)
        default:
            input[position] ^= UInt8(truncatingIfNeeded: 1 << random.below(8))
        }
        if input.count > 1 << 16 { input.removeLast(input.count - (1 << 16)) }
    }
}

/// SplitMix64: a small deterministic generator.
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

    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
