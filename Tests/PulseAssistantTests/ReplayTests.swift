import Foundation
import JSON
import Testing
@testable import pulse_assistant

/// The golden transcripts replay byte for byte (as JSON values), an altered one fails with a diff, and a
/// recorded session replays.
@Suite("replay", .serialized)
struct ReplayTests {
    static let directory = Repository.root.appendingPathComponent("transcripts")

    static var transcripts: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".jsonl") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("pa-\(UUID())-\(name)")
    }

    @Test("every transcript in transcripts/ replays")
    func golden() async throws {
        let files = Self.transcripts
        #expect(files.count >= 17)
        let output = try await CommandRunner.run(["replay"] + files)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == files.count)
    }

    @Test("an altered transcript fails, naming the response, the path, what was expected and what came")
    func altered() async throws {
        let original = try String(contentsOfFile: Self.directory.appendingPathComponent("control-autonomous.jsonl").path, encoding: .utf8)
        let altered = original.replacingOccurrences(of: #""state":"completed""#, with: #""state":"failed""#)
        #expect(altered != original)
        let file = Self.temporary("altered.jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try altered.write(to: file, atomically: true, encoding: .utf8)

        let output = try await CommandRunner.run(["replay", file.path])

        #expect(output.status == 1)
        #expect(output.stderr.contains("FAIL \(file.path)"))
        #expect(output.stderr.contains(#".result.structuredContent.state: expected "failed", got "completed""#), "\(output.stderr)")
        #expect(output.stderr.contains("1 of 1 transcript differ"))
    }

    @Test("--update rewrites a transcript with what the server says now")
    func update() async throws {
        let file = Self.temporary("update.jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            {"transcript":{"version":1,"fixture":{"demo":{"seed":1,"scale":1}},"clock":"2026-11-28T10:00:00Z","controlLevel":"read-only"}}
            {"c2s":{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}}
            {"c2s":{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_platform_support","arguments":{"platform":"pmg"}}}}

            """.write(to: file, atomically: true, encoding: .utf8)

        let updated = try await CommandRunner.run(["replay", "--update", file.path])
        #expect(updated.status == 0, "\(updated.stderr)")
        let transcript = try Transcript.read(file.path)
        let responses = transcript.entries.compactMap { entry -> JSONValue? in if case .s2c(let value) = entry { value } else { nil } }
        #expect(responses.map { $0["id"] } == [1, 2])
        #expect(responses.last?["result"]?["structuredContent"]?["platforms"]?.arrayValue?.first?["id"] == "proxmox-pmg")

        let replayed = try await CommandRunner.run(["replay", file.path])
        #expect(replayed.status == 0, "\(replayed.stderr)")
    }

    @Test("serve --record writes a transcript that replays")
    func record() async throws {
        let file = Self.temporary("recorded.jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        let input = [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"elicitation":{}},"clientInfo":{"name":"t","version":"1"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_resource","arguments":{"id":"vm/pve-a/101","token":"Bearer abcdefghijklmnop"}}}"#,
            "not json",
        ].joined(separator: "\n") + "\n"

        let served = try await CommandRunner.run(["serve", "--record", file.path, "--clock", "2026-11-28T10:00:00Z"], input: input)

        #expect(served.status == 0)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(!text.contains("abcdefghijklmnop"))
        let transcript = try Transcript.read(file.path)
        #expect(transcript.header.clock.description == "2026-11-28T10:00:00Z")
        #expect(transcript.header.client == ["elicitation": [:]])
        #expect(transcript.entries.contains(.c2sRaw("not json")))
        #expect(transcript.entries.filter { if case .s2c = $0 { true } else { false } }.count == 3)
        let replayed = try await CommandRunner.run(["replay", file.path])
        #expect(replayed.status == 0, "\(replayed.stderr)")
    }

    @Test("a broken transcript is refused with the line and what is wrong", arguments: [
        ("", "is empty"),
        (#"{"nope":1}"#, ":1: not a transcript header"),
        (#"{"transcript":{"version":1,"fixture":{"demo":{}},"clock":"2026-11-28T10:00:00Z","controlLevel":"sudo"}}"#, "controlLevel must be"),
        ("{\"transcript\":{\"version\":1,\"fixture\":{\"demo\":{}},\"clock\":\"2026-11-28T10:00:00Z\",\"controlLevel\":\"read-only\"}}\n{\"c2x\":{}}", ":2: unknown entry c2x"),
    ])
    func broken(text: String, message: String) async throws {
        let file = Self.temporary("broken.jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let output = try await CommandRunner.run(["replay", file.path])
        #expect(output.status == 1)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    @Test("the diff names every path that differs")
    func diff() {
        let expected: JSONValue = ["a": 1, "b": ["x", "y"], "c": ["d": true]]
        let got: JSONValue = ["a": 2, "b": ["x"], "c": ["e": true]]
        #expect(JSONDiff.differences(expected, got) == [
            "$.a: expected 1, got 2",
            "$.b: expected 2 items, got 1",
            "$.c.d: expected true, got nothing",
            "$.c.e: expected nothing, got true",
        ])
        #expect(JSONDiff.removing(["durationMs"], from: ["x": ["durationMs": 5, "y": 1]]) == ["x": ["y": 1]])
    }
}
