import Foundation
import Testing

/// A transcript's snapshot fixture stays inside the transcript's directory: a transcript arrives in a
/// change and replays in CI, so its header must not make the replayer read, or print, a file elsewhere.
@Suite("replay fixtures", .serialized)
struct ReplayFixtureTests {
    static let initialize = #"{"c2s":{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}}"#

    /// A directory holding `secret.json` (not a snapshot) and `t/`, where the transcript goes.
    static func sandbox() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pa-fixture-\(UUID())")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("t/fixtures"), withIntermediateDirectories: true)
        try #"{"auths": {"registry.example": {"auth": "SECRETc2VjcmV0"}}, "key": "SECRET-----BEGIN OPENSSH PRIVATE KEY-----"}"#
            .write(to: root.appendingPathComponent("secret.json"), atomically: true, encoding: .utf8)
        return root
    }

    static func transcript(snapshot: String, in root: URL) throws -> String {
        let file = root.appendingPathComponent("t/session.jsonl")
        let header = #"{"transcript":{"version":1,"fixture":{"snapshot":"\#(snapshot)"},"clock":"2026-11-28T10:00:00Z","controlLevel":"read-only"}}"#
        try (header + "\n" + initialize + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test("a fixture path that leaves the transcript's directory is refused before anything is read", arguments: [
        ("../secret.json", #"no ".." component"#),
        ("fixtures/../../secret.json", #"no ".." component"#),
        ("ABSOLUTE", "relative to the transcript's directory"),
        ("link.json", "leads outside the transcript's directory"),
        ("fixtures/dir-link/secret.json", "leads outside the transcript's directory"),
    ])
    func escapes(path: String, message: String) async throws {
        let root = try Self.sandbox()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("t/link.json").path, withDestinationPath: "../secret.json")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("t/fixtures/dir-link").path, withDestinationPath: root.path)
        let snapshot = path == "ABSOLUTE" ? root.appendingPathComponent("secret.json").path : path
        let file = try Self.transcript(snapshot: snapshot, in: root)

        let output = try await CommandRunner.run(["replay", file])

        #expect(output.status == 1)
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(!output.stderr.contains("SECRET") && !output.stdout.contains("SECRET"), "\(output.stderr)")
    }

    @Test("a fixture inside the directory is read, and a file that is no snapshot is refused without its values")
    func inside() async throws {
        let root = try Self.sandbox()
        defer { try? FileManager.default.removeItem(at: root) }
        try #"{"resources": [{"id": "agent/a", "type": "agent", "platform": "agent", "name": "a", "status": "online"}]}"#
            .write(to: root.appendingPathComponent("t/fixtures/fleet.json"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: root.appendingPathComponent("secret.json"), to: root.appendingPathComponent("t/fixtures/copy.json"))

        let good = try await CommandRunner.run(["replay", "--update", try Self.transcript(snapshot: "fixtures/fleet.json", in: root)])
        #expect(good.status == 0, "\(good.stderr)")

        let bad = try await CommandRunner.run(["replay", try Self.transcript(snapshot: "fixtures/copy.json", in: root)])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("auths: unknown field"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("SECRET"), "\(bad.stderr)")
    }

    @Test("a hostile header or entry is a clear error and exit 1, never a trap", arguments: [
        (#"{"transcript":{"version":1,"fixture":{"demo":{"seed":-1}},"clock":"2026-11-28T10:00:00Z","controlLevel":"read-only"}}"#,
         "fixture.demo.seed must be a whole number from 0"),
        (#"{"transcript":{"version":1,"fixture":{"demo":{"scale":-5}},"clock":"2026-11-28T10:00:00Z","controlLevel":"read-only"}}"#,
         "fixture.demo.scale must be a whole number from 1"),
        (#"{"transcript":{"version":1,"fixture":{"demo":{}},"clock":"2026-11-28T10:00:00Z","controlLevel":"read-only","maxLineBytes":-1}}"#,
         "maxLineBytes must be a whole number from 1024"),
        (#"{"transcript":{"version":1,"fixture":{"demo":{}},"clock":"2026-11-28T10:00:00Z","controlLevel":"read-only","endpoints":[{"for":["*"],"delayMs":1e300}]}}"#,
         "endpoints.delayMs must be a whole number"),
        (#"{"transcript":{"version":1,"fixture":{"pulse":{"resources":1e9}},"clock":"2026-11-28T10:00:00Z","controlLevel":"read-only"}}"#,
         "fixture.pulse.resources must be a whole number from 10"),
        (#"{"transcript":{"version":1,"fixture":{"pulse":{"faults":["x"]}},"clock":"2026-11-28T10:00:00Z","controlLevel":"read-only"}}"#,
         "fixture.pulse.faults holds fault objects"),
        // Outside a checkout there is no fake Pulse to run, and the header cannot name one.
        (#"{"transcript":{"version":1,"fixture":{"pulse":{}},"clock":"2026-11-28T10:00:00Z","controlLevel":"read-only"}}"#,
         "a pulse fixture needs the fake Pulse (tests/fakepulse/fakepulse.py"),
        ("{\"transcript\":{\"version\":1,\"fixture\":{\"demo\":{}},\"clock\":\"2026-11-28T10:00:00Z\",\"controlLevel\":\"read-only\"}}\n{\"c2sOversized\": 1125899906842624}",
         ":2: c2sOversized holds a byte count from 1 to"),
    ])
    func hostile(text: String, message: String) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pa-hostile-\(UUID()).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let output = try await CommandRunner.run(["replay", file.path])
        #expect(output.status == 1)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    @Test("an oversized line is sent in pieces, and the session replays")
    func oversized() async throws {
        let root = try Self.sandbox()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("t/oversized.jsonl")
        try """
            {"transcript":{"version":1,"fixture":{"demo":{"seed":1,"scale":1}},"clock":"2026-11-28T10:00:00Z","controlLevel":"read-only","maxLineBytes":4096}}
            \(Self.initialize)
            {"c2sOversized": 33554432}
            {"c2s":{"jsonrpc":"2.0","id":2,"method":"ping"}}

            """.write(to: file, atomically: true, encoding: .utf8)
        let updated = try await CommandRunner.run(["replay", "--update", file.path])
        #expect(updated.status == 0, "\(updated.stderr)")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains(#""id":2,"result":{}"#), "\(text.suffix(400))")
        #expect(text.contains("exceeds the limit of 4096 bytes"))
    }
}
