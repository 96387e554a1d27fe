import Foundation
import Testing

/// `ingest` as an operator runs it: a cut JSON Lines file, a fleet that shrinks, inputs without end
/// (`/dev/zero`); and runtime failures of the other commands, said plainly with exit 1.
@Suite("ingest command", .serialized)
struct IngestCommandTests {
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pa-ingest-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// How many resources the store holds, read by Python's sqlite3 (read-only), not by our code.
    static func resourceCount(_ store: URL) throws -> Int {
        let script = "import sqlite3,sys; print(sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True).execute('select count(*) from resource').fetchone()[0])"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, store.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test("a JSON Lines file cut short is refused; a shrink needs --allow-shrink")
    func cutAndShrunk() async throws {
        // Given the demo fleet written by `demo` and ingested
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fleet = dir.appendingPathComponent("fleet.jsonl"), cut = dir.appendingPathComponent("cut.jsonl")
        let store = dir.appendingPathComponent("s.db")
        #expect(try await CommandRunner.run(["demo", "--out", fleet.path]).status == 0)
        let first = try await CommandRunner.run(["ingest", fleet.path, "--store", store.path])
        #expect(first.status == 0, "\(first.stderr)")
        let full = try Self.resourceCount(store)
        #expect(full > 250)

        // When the first 124 lines are ingested (`head -n 124`)
        let lines = try String(contentsOf: fleet, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        try (lines.prefix(124).joined(separator: "\n") + "\n").write(to: cut, atomically: true, encoding: .utf8)
        let refused = try await CommandRunner.run(["ingest", cut.path, "--store", store.path])

        // Then the file is refused for its missing end record, and the store is unchanged
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("has no end record"), "\(refused.stderr)")
        #expect(try Self.resourceCount(store) == full)

        // And accepting a file without an end record still meets the shrink guard
        let shrunk = try await CommandRunner.run(["ingest", cut.path, "--store", store.path, "--no-end-record"])
        #expect(shrunk.status == 1)
        #expect(shrunk.stderr.contains("the new fleet has 123 resources where the store has \(full)"), "\(shrunk.stderr)")
        #expect(shrunk.stderr.contains("--allow-shrink"))
        #expect(try Self.resourceCount(store) == full)

        let forced = try await CommandRunner.run(["ingest", cut.path, "--store", store.path, "--no-end-record", "--allow-shrink"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try Self.resourceCount(store) == 123)
    }

    @Test("input without end or without a newline is refused in bounded memory", arguments: ["/dev/zero", "LONG_LINE"])
    func endless(path: String) async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var input = path
        if path == "LONG_LINE" {
            // 40 MiB without a newline, in JSON Lines' form: over the 16 MiB line bound
            input = dir.appendingPathComponent("long.jsonl").path
            var bytes = Array(#"{"resource": {"id": ""#.utf8)
            bytes += [UInt8](repeating: UInt8(ascii: "a"), count: 40 << 20)
            try Data(bytes).write(to: URL(fileURLWithPath: input))
        }
        let output = try await CommandRunner.run(["ingest", input, "--store", dir.appendingPathComponent("s.db").path])
        #expect(output.status == 1)
        #expect(output.stderr.contains(path == "LONG_LINE" ? "longer than 16 MiB" : "this starts with byte 0x0"), "\(output.stderr)")
    }

    @Test("a file read whole is refused when it is no regular file, before it is read", arguments: [
        ["replay", "/dev/zero"], ["matrix", "--check", "--manifest", "/dev/zero"], ["policy-report", "--manifest", "FIFO"],
    ])
    func wholeFiles(arguments: [String]) async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let output = try await CommandRunner.run(arguments.map { $0 == "FIFO" ? fifo : $0 })
        #expect(output.status == 1)
        #expect(output.stderr.contains("not a regular file"), "\(output.stderr)")
    }

    @Test("a runtime failure exits 1 with a plain message, no usage banner", arguments: [
        ["serve", "--store", "/nonexistent-dir/s.db"],
        ["audit", "verify", "--store", "/nonexistent-dir/s.db"],
        ["ingest", "/nonexistent-dir/f.jsonl", "--store", "FRESH"],
    ])
    func runtimeFailure(arguments: [String]) async throws {
        // A store path of its own: a fixed one in /tmp may hold a store another build made.
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("s.db").path
        let output = try await CommandRunner.run(arguments.map { $0 == "FRESH" ? store : $0 })
        #expect(output.status == 1, "\(output.stderr)")
        #expect(!output.stderr.contains("USAGE:") && !output.stderr.contains("Usage:"), "\(output.stderr)")
        #expect(output.stderr.contains("/nonexistent-dir/"))
    }

    @Test("serve answers promptly while another process holds an idle write lock on its store")
    func lockedStore() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fleet = dir.appendingPathComponent("fleet.jsonl"), store = dir.appendingPathComponent("s.db")
        #expect(try await CommandRunner.run(["demo", "--out", fleet.path]).status == 0)
        #expect(try await CommandRunner.run(["ingest", fleet.path, "--store", store.path]).status == 0)

        // Another process takes the write lock and sits on it
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(60)", store.path]
        let out = Pipe()
        holder.standardOutput = out
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        _ = out.fileHandleForReading.availableData  // "locked"

        let input = [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_resource","arguments":{"id":"vm/pve-a/101"}}}"#,
        ].joined(separator: "\n") + "\n"
        let clock = ContinuousClock()
        let started = clock.now
        let served = try await CommandRunner.run(["serve", "--store", store.path], input: input)
        let elapsed = clock.now - started

        #expect(served.status == 0, "\(served.stderr)")
        #expect(elapsed < .seconds(5), "took \(elapsed)")
        #expect(served.stdout.contains(#""id":2"#), "\(served.stdout)")
        #expect(served.stdout.contains("web-01") || served.stdout.contains("vm/pve-a/101"), "\(served.stdout)")
    }
}
