import Foundation
import FuzzTargets

// `pulse-assistant-fuzz`: the fuzz target of FuzzTargets, two ways.
//
// Built normally, a deterministic mutation harness: `pulse-assistant-fuzz [RUNS] [SEED]` (default
// 100000 runs, seed 1) from the repository root prints what it ran and exits 1 on a finding.
// Built with `-sanitize=fuzzer -DLIBFUZZER` (scripts/fuzz), libFuzzer's own main drives
// `LLVMFuzzerTestOneInput`, and a finding traps so that libFuzzer saves the input.

/// The schemas directory: `PULSE_FUZZ_SCHEMAS`, or `tool-schemas` in the working directory.
private let target: FuzzTarget = {
    let directory = ProcessInfo.processInfo.environment["PULSE_FUZZ_SCHEMAS"] ?? "tool-schemas"
    return (try? FuzzTarget.loading(schemasFrom: directory)) ?? FuzzTarget(schemas: [])
}()

@_cdecl("LLVMFuzzerTestOneInput")
package func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    if let finding = target.run(input) { fatalError("\(finding)") }
    return 0
}

#if LIBFUZZER
/// libFuzzer's driver (in the toolchain's libclang_rt.fuzzer, linked by `-sanitize=fuzzer`).
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The entry SwiftPM links as `main` for this executable: libFuzzer's own `main` is never pulled in.
@_cdecl("pulse_assistant_fuzz_main")
package func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return runDriver(&count, &vector) { data, size in fuzzOneInput(data, size) }
}
#else
@main
struct FuzzMain {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        let runs = arguments.first.flatMap { Int($0) } ?? 100_000
        let seed = arguments.dropFirst().first.flatMap { UInt64($0) } ?? 1
        let clock = ContinuousClock()
        let started = clock.now
        let report = FuzzHarness(target: target, seed: seed).run(runs)
        let elapsed = clock.now - started
        FileHandle.standardError.write(Data(("\(report.runs) runs, \(report.bytes) bytes, \(target.schemas.count) schemas, seed \(seed), "
            + "\(elapsed), \(report.findings.count) findings\n").utf8))
        for finding in report.findings { FileHandle.standardError.write(Data("  \(finding)\n".utf8)) }
        exit(report.findings.isEmpty ? 0 : 1)
    }
}
#endif
