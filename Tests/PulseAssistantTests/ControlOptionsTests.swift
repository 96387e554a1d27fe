import AssistantTools
import Foundation
import Policy
import Testing
@testable import pulse_assistant

/// Where the control level and the rest of the control settings come from: flag, environment,
/// config file, default, in that order.
@Suite("control options")
struct ControlOptionsTests {
    static func configFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pa-config-\(UUID()).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func options(_ arguments: [String]) throws -> ControlOptions {
        try ControlOptions.parse(arguments)
    }

    @Test("the level: flag over environment over config file over read-only", arguments: [
        ([], [:], nil, ControlLevel.readOnly),
        ([], [:], "autonomous", .autonomous),
        ([], ["PULSE_ASSISTANT_CONTROL_LEVEL": "controlled"], "autonomous", .controlled),
        (["--control-level", "read-only"], ["PULSE_ASSISTANT_CONTROL_LEVEL": "autonomous"], "autonomous", .readOnly),
    ] as [([String], [String: String], String?, ControlLevel)])
    func precedence(flags: [String], environment: [String: String], fileLevel: String?, expected: ControlLevel) throws {
        let config = try fileLevel.map { try Self.configFile(#"{"controlLevel": "\#($0)"}"#) }
        defer { if let config { try? FileManager.default.removeItem(atPath: config) } }
        let arguments = flags + (config.map { ["--config", $0] } ?? [])
        #expect(try Self.options(arguments).settings(environment: environment).level == expected)
    }

    @Test("the config file's path may come from the environment, and sets every value")
    func configFromEnvironment() throws {
        let path = try Self.configFile("""
            {"controlLevel": "controlled", "heartbeatWindowSeconds": 60, "connectTimeoutMs": 500, "actionDeadlineMs": 2000,
             "approvalTimeoutSeconds": 30, "endpointToken": {"file": "/etc/pa.token"},
             "endpointTokens": {"truenas/nas-01": {"env": "NAS_TOKEN"}}}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = try Self.options([]).settings(environment: ["PULSE_ASSISTANT_CONFIG": path])
        #expect(settings.level == .controlled)
        #expect(settings.heartbeatWindowSeconds == 60)
        #expect(settings.connectTimeoutMilliseconds == 500)
        #expect(settings.actionDeadlineMilliseconds == 2000)
        #expect(settings.approvalTimeoutSeconds == 30)
        #expect(settings.tokens.fallback == .file("/etc/pa.token"))
        #expect(settings.tokens.byEndpoint == ["truenas/nas-01": .environment("NAS_TOKEN")])
    }

    @Test("--heartbeat-window wins over the file")
    func heartbeatFlag() throws {
        let path = try Self.configFile(#"{"heartbeatWindowSeconds": 60}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try Self.options(["--config", path, "--heartbeat-window", "90"]).settings(environment: [:]).heartbeatWindowSeconds == 90)
    }

    @Test("a bad config or level is refused with what is wrong", arguments: [
        (#"{"controlLevel": "yolo"}"#, [:], "controlLevel must be one of read-only, controlled, autonomous"),
        (#"{"controlLevl": "controlled"}"#, [:], "unknown key controlLevl"),
        (#"{"actionDeadlineMs": 0}"#, [:], "actionDeadlineMs must be a positive whole number"),
        (#"{"endpointToken": "s3cret"}"#, [:], #"endpointToken must be {"env": NAME} or {"file": PATH}"#),
        (#"[1]"#, [:], "the config must be a JSON object"),
        ("{", [:], "is not JSON"),
        ("{}", ["PULSE_ASSISTANT_CONTROL_LEVEL": "full"], "PULSE_ASSISTANT_CONTROL_LEVEL must be one of"),
    ] as [(String, [String: String], String)])
    func refused(config: String, environment: [String: String], message: String) throws {
        let path = try Self.configFile(config)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: (any Error).self) {
            try Self.options(["--config", path]).settings(environment: environment)
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains(message))
        #expect(!"\(error.map { "\($0)" } ?? "")".contains("s3cret"))
    }

    @Test("--clock fixes the server's clock; a bad one is refused")
    func clock() throws {
        #expect(try Self.options(["--clock", "2026-11-28T10:00:00Z"]).serverClock.milliseconds() == 1_795_860_000_000)
        #expect(throws: (any Error).self) { try Self.options(["--clock", "yesterday"]) }
    }

    @Test("a token comes from the environment or a 0600 file, and an unusable source says why without a token")
    func tokens() throws {
        let tokens = EndpointTokens(fallback: .environment("T"), byEndpoint: [:], environment: ["T": "abc"])
        #expect(try tokens.token(for: "a").get() == "abc")
        let unset = EndpointTokens(fallback: .environment("MISSING"), byEndpoint: [:], environment: [:])
        #expect(throws: TokenUnavailable.self) { try unset.token(for: "a").get() }

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pa-token-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "from-file\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let open = EndpointTokens(fallback: .environment("T"), byEndpoint: ["a": .file(path)], environment: ["T": "abc"])
        let failure = #expect(throws: TokenUnavailable.self) { try open.token(for: "a").get() }
        #expect(failure?.message.contains(path) == true)
        #expect(failure?.message.contains("from-file") == false)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try open.token(for: "a").get() == "from-file")
        #expect(try open.token(for: "b").get() == "abc")
    }
}
