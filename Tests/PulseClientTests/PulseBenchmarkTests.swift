import Foundation
import JSON
import Testing
@testable import PulseClient

/// Measurements, not assertions: run with `PULSE_BENCH=1` (and `PULSE_BENCH_SIZES=10000,100000`);
/// each prints one JSON line. Build with `-c release` for numbers worth quoting.
@Suite(
    "Pulse benchmarks", .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["PULSE_BENCH"] == "1", "set PULSE_BENCH=1 to measure")
)
struct PulseBenchmarkTests {
    static var sizes: [Int] {
        (ProcessInfo.processInfo.environment["PULSE_BENCH_SIZES"] ?? "10000").split(separator: ",").compactMap { Int($0) }
    }

    @Test func mappingThroughput() throws {
        let rows = try PulseFixtures.resourceRows()
        let rounds = 2000
        let clock = PulseClock.system
        let start = clock.now()
        var assembler = PulseFleetAssembler(manifest: PulseFixtures.manifest)
        for round in 0..<rounds {
            for var row in rows {
                row["id"] = .string("\(row["id"]?.stringValue ?? "")-\(round)")
                assembler.addResource(.object(row))
            }
        }
        let mapped = clock.now()
        let (batch, _) = assembler.finish(alerts: [], recoveryPoints: [], source: "bench")
        let finished = clock.now()
        let count = rows.count * rounds
        print(
            #"{"bench":"mapping","rows":\#(count),"mapSeconds":\#(mapped - start),"finishSeconds":\#(finished - mapped),"rowsPerSecond":\#(Int(Double(count) / (finished - start))),"records":\#(batch.records.count)}"#
        )
    }

    @Test func walkAgainstTheFake() async throws {
        for size in Self.sizes {
            try await FakePulse.with(["--resources", String(size), "--seed", "11", "--prewarm"]) { fake in
                for pass in ["cold", "warm"] {
                    let clock = PulseClock.system
                    let cpuBefore = Self.cpuSeconds()
                    let start = clock.now()
                    let result = try await withClient(fake.configuration()) { client in
                        try await PulseWalker(client: client, manifest: PulseFixtures.manifest, clock: clock).sync()
                    }
                    let seconds = clock.now() - start
                    let cpu = Self.cpuSeconds() - cpuBefore
                    let stats = result.stats
                    print(
                        #"{"bench":"walk","resources":\#(size),"pass":"\#(pass)","seconds":\#(seconds),"cpuSeconds":\#(cpu),"pages":\#(stats.resourcePages + stats.alertPages + stats.recoveryPages),"bytes":\#(stats.bytes),"records":\#(result.batch.records.count),"skipped":\#(result.batch.skipped.count),"alerts":\#(result.batch.alerts.count),"unjoinedAlerts":\#(stats.unjoinedAlerts),"rewalks":\#(stats.rewalks)}"#
                    )
                }
            }
        }
    }

    /// This process's user + system CPU time so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
