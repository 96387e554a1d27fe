import Foundation
import JSON
import Testing

@Suite("pulse-assistant serve")
struct ServeCommandTests {
    static let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#

    @Test("requests written and stdin closed at once are all answered, then exit 0")
    func drainsAtEndOfInput() async throws {
        let call = #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_platform_support","arguments":{"platform":"pbs"}}}"#
        let output = try await CommandRunner.run(["serve"], input: "\(Self.initialize)\n\(call)\n")
        #expect(output.status == 0)
        let lines = output.stdout.split(separator: "\n").map { try? JSONParser.parse(String($0)) }
        #expect(lines.count == 2)
        let ids = Set(lines.compactMap { $0?["id"] })
        #expect(ids == [1, 2])
        let result = lines.first { $0?["id"] == 2 }??["result"]
        #expect(result?["structuredContent"]?["platforms"]?.arrayValue?.first?["id"] == "proxmox-pbs")
    }

    @Test("the last line is answered even without a trailing newline")
    func unterminatedLastLine() async throws {
        let output = try await CommandRunner.run([], input: Self.initialize)
        #expect(output.status == 0)
        #expect(output.stdout.hasPrefix(#"{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18""#))
    }

    @Test("--max-line-bytes sets the limit: a longer line is -32600 and the next is served")
    func lineLimit() async throws {
        let long = #"{"jsonrpc":"2.0","id":9,"method":"ping","params":{"pad":""# + String(repeating: "x", count: 5000) + #""}}"#
        let ping = #"{"jsonrpc":"2.0","id":3,"method":"ping"}"#
        let output = try await CommandRunner.run(["serve", "--max-line-bytes", "4096"], input: "\(long)\n\(ping)\n")
        let lines = output.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(lines.count == 2)
        #expect(lines.first?["error"]?["code"] == -32600)
        #expect(lines.first?["id"] == .null)
        #expect(lines.last == ["jsonrpc": "2.0", "id": 3, "result": [:]])
    }

    @Test("bad flags are refused before serving", arguments: [["--max-line-bytes", "10"], ["--max-in-flight", "0"]])
    func badFlags(_ flags: [String]) async throws {
        let output = try await CommandRunner.run(["serve"] + flags)
        #expect(output.status == 64)
        #expect(output.stdout.isEmpty)
    }
}
