import ArgumentParser
import Foundation
import Policy
import Synchronization

/// `pulse-assistant replay`: play recorded transcripts against fresh servers and show what changed.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay transcripts against fresh servers; exit 1 with a readable diff when anything differs.",
        discussion: """
            Each transcript's header rebuilds the session's world (the demo fleet or a snapshot, the fixed clock, the \
            control level, reference endpoints with their faults); a fresh `pulse-assistant serve` gets the client's \
            lines in order and its answers are compared by id as JSON values. Progress notifications and the fields \
            durationMicroseconds, durationMs and elapsedMs are not compared. Files replay in parallel. --update \
            rewrites each file with what the server said this time.
            """
    )

    @Argument(help: ArgumentHelp("Transcript files (.jsonl).", valueName: "file"))
    var files: [String]

    @OptionGroup var manifestOptions: ManifestOptions

    @Flag(name: .long, help: "Rewrite each transcript with this run's server lines instead of comparing.")
    var update = false

    @Option(name: .long, help: "How many transcripts replay at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Seconds to wait for any one answer.")
    var timeout: Double = 20

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one transcript file") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)  // a server that dies mid-replay must not take the replayer with it
        let manifest = try manifestOptions.load()
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let results = Mutex<[Int: (ok: Bool, report: String)]>([:])
        let slots = DispatchSemaphore(value: jobs)
        let files = self.files, update = self.update, timeout = self.timeout
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            slots.wait()
            defer { slots.signal() }
            let result = Self.replay(files[index], executable: executable, manifest: manifest, update: update, timeout: timeout)
            results.withLock { $0[index] = result }
        }
        let all = results.withLock { $0 }
        var failed = 0
        for index in files.indices {
            guard let result = all[index] else { continue }
            if !result.ok { failed += 1 }
            (result.ok ? { print($0) } : { StandardError.write($0) })(result.report)
        }
        if failed > 0 {
            StandardError.write("\(failed) of \(files.count) transcript\(files.count == 1 ? "" : "s") differ")
            throw ExitCode(1)
        }
    }

    static func replay(
        _ path: String, executable: URL, manifest: PlatformSupportManifest, update: Bool, timeout: Double
    ) -> (ok: Bool, report: String) {
        do {
            let transcript = try Transcript.read(path)
            let outcome = try Replay(path: path, transcript: transcript, executable: executable, manifest: manifest, timeout: timeout).run()
            if update {
                try Transcript(header: transcript.header, entries: outcome.live).text.write(toFile: path, atomically: true, encoding: .utf8)
                return (true, "updated \(path) (\(outcome.responses) responses)")
            }
            guard outcome.differences.isEmpty else {
                return (false, "FAIL \(path)\n" + outcome.differences.prefix(40).map { "  " + $0 }.joined(separator: "\n"))
            }
            return (true, "ok   \(path) (\(outcome.responses) responses)")
        } catch {
            return (false, "FAIL \(path)\n  \(error)")
        }
    }
}
