/// How busy one demo resource is, as a function of time.
///
/// The resource's `metrics` and its metric history come from the same function, so the last
/// sample of a series is the value the resource shows at `now`. The daily curve is plain
/// arithmetic (a smoothed triangle peaking mid-afternoon UTC) rather than `sin`, so that the
/// fleet's bytes do not depend on a platform's libm; noise is a hash of (resource, instant).
struct DemoFleetLoad {
    private let key: UInt64
    private let cpuBase: Double
    private let cpuSwing: Double
    private let memoryFraction: Double
    private let diskFraction: Double
    let memoryTotal: Int64?
    let diskTotal: Int64?
    /// A stopped guest uses no CPU and no memory, and has no uptime.
    let running: Bool
    let uptimeSeconds: Int64

    /// Draws a load from `random`.
    /// - Parameters:
    ///   - memory: the memory sizes to pick from; `nil` when the resource has no memory figure.
    ///   - disk: the disk sizes to pick from; `nil` when it has no disk figure.
    ///   - busy: the range of its average CPU use.
    ///   - diskUsage: the range of its disk usage at `now`.
    init(
        _ random: inout DemoFleetRandom, memory: [Int64]?, disk: [Int64]?, busy: ClosedRange<Double> = 0.03...0.45,
        diskUsage: ClosedRange<Double> = 0.15...0.75, running: Bool = true
    ) {
        key = random.next()
        cpuBase = random.double(in: busy)
        cpuSwing = random.double(in: 0.02...0.2)
        memoryFraction = random.double(in: 0.25...0.8)
        diskFraction = random.double(in: diskUsage)
        memoryTotal = memory.map { random.pick($0) }
        diskTotal = disk.map { random.pick($0) }
        self.running = running
        uptimeSeconds = running ? Int64(random.int(in: 3_600...(90 * 86_400))) : 0
    }

    /// CPU use in `0...1`, to three decimals.
    func cpu(at second: Int64) -> Double {
        guard running else { return 0 }
        let value = cpuBase + cpuSwing * Self.daily(second) + (noise(second, 1) - 0.5) * 0.08
        return (min(max(value, 0.001), 1) * 1000).rounded() / 1000
    }

    /// Memory in use, bytes; `nil` when the resource has no memory figure.
    func memoryUsed(at second: Int64) -> Int64? {
        guard let memoryTotal else { return nil }
        guard running else { return 0 }
        let fraction = memoryFraction + 0.08 * Self.daily(second) + (noise(second, 2) - 0.5) * 0.03
        return Int64(Double(memoryTotal) * min(max(fraction, 0.02), 0.97))
    }

    /// Disk in use, bytes: grows slowly and steadily, about 0.3 % of the disk a day.
    func diskUsed(at second: Int64, now: Timestamp) -> Int64? {
        guard let diskTotal else { return nil }
        let days = Double(now.secondsSince1970 - second) / 86_400
        return Int64(Double(diskTotal) * max(diskFraction - 0.003 * days, 0.01))
    }

    /// The resource's `metrics` at `now`: every figure it has.
    func metrics(now: Timestamp, cpu hasCPU: Bool = true) -> DemoFleetResource.Metrics {
        let second = now.secondsSince1970
        return DemoFleetResource.Metrics(
            cpu: hasCPU ? cpu(at: second) : nil, memoryUsed: memoryUsed(at: second), memoryTotal: memoryTotal,
            diskUsed: diskUsed(at: second, now: now), diskTotal: diskTotal,
            uptimeSeconds: hasCPU ? uptimeSeconds : nil
        )
    }

    /// 0 at 03:00 UTC rising smoothly to 1 at 15:00 and back.
    private static func daily(_ second: Int64) -> Double {
        let dayFraction = Double((second + 75_600) % 86_400) / 86_400
        let triangle = 1 - abs(2 * dayFraction - 1)
        return triangle * triangle * (3 - 2 * triangle)
    }

    private func noise(_ second: Int64, _ channel: UInt64) -> Double {
        let mixed = DemoFleetRandom.mix(key &+ UInt64(bitPattern: second) &* 0x9E37_79B9 &+ channel)
        return Double(mixed >> 11) * 0x1.0p-53
    }
}

extension Int64 {
    /// `count` GiB in bytes: the demo's sizes read as a person would write them.
    static func gib(_ count: Int64) -> Int64 { count << 30 }

    /// `count` TiB in bytes.
    static func tib(_ count: Int64) -> Int64 { count << 40 }
}
