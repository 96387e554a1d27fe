import ArgumentParser
import AssistantTools
import Fleet
import Foundation
import Policy
import ResourceStore

/// How much control the assistant gets, and the clock it is judged by: the operator's choice.
///
/// The level comes from `--control-level`, else `PULSE_ASSISTANT_CONTROL_LEVEL`, else the config file's
/// `controlLevel`, else `read-only`. No tool argument can reach any of them.
struct ControlOptions: ParsableArguments {
    static let levelVariable = "PULSE_ASSISTANT_CONTROL_LEVEL"
    static let configVariable = "PULSE_ASSISTANT_CONFIG"

    @Option(name: .long, help: ArgumentHelp(
        "read-only (the default: control_resource is not offered and every control call is refused), controlled (a human approves each action through MCP elicitation) or autonomous. Else $PULSE_ASSISTANT_CONTROL_LEVEL, else the config file.",
        valueName: "level"
    ))
    var controlLevel: ControlLevel?

    @Option(name: .long, help: ArgumentHelp(
        "A JSON config file: controlLevel, heartbeatWindowSeconds, connectTimeoutMs, actionDeadlineMs, approvalTimeoutSeconds, endpointToken and endpointTokens ({\"env\": NAME} or {\"file\": PATH}, mode 0600). Else $PULSE_ASSISTANT_CONFIG.",
        valueName: "path"
    ))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Seconds after its last heartbeat that an agent counts as stale (default 300, or the config file's).", valueName: "seconds"))
    var heartbeatWindow: Int?

    @Option(name: .long, help: ArgumentHelp("Fix the server's clock at this RFC 3339 time (replays, tests, demos of an old snapshot); the wall clock without it.", valueName: "time"))
    var clock: String?

    @Flag(name: .long, help: "Number action ids act-000001, act-000002, … instead of random ones (replays and tests).")
    var sequentialIds = false

    func validate() throws {
        if let heartbeatWindow, heartbeatWindow < 1 { throw ValidationError("--heartbeat-window must be at least 1 second") }
        if let clock, Timestamp(clock) == nil { throw ValidationError("--clock must be an RFC 3339 time such as 2026-11-28T10:00:00Z, got '\(clock)'") }
    }

    /// The server's clock.
    var serverClock: ServerClock {
        clock.flatMap(Timestamp.init).map(ServerClock.fixed) ?? .system
    }

    /// The config file named by `--config` or the environment, read and checked; `nil` without one.
    func configFile(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ControlConfigFile? {
        guard let path = config ?? environment[Self.configVariable] else { return nil }
        do {
            return try ControlConfigFile.load(path)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// The settings, by precedence: flag, environment, config file, default.
    func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ControlSettings {
        try settings(file: configFile(environment: environment), environment: environment)
    }

    /// The settings over an already-read config file.
    func settings(file: ControlConfigFile?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ControlSettings {
        var level = controlLevel
        if level == nil, let text = environment[Self.levelVariable], !text.isEmpty {
            guard let parsed = ControlLevel(rawValue: text) else {
                throw ValidationError("\(Self.levelVariable) must be one of \(ControlLevel.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
            }
            level = parsed
        }
        var settings = (file ?? ControlConfigFile()).settings(level: level, environment: environment)
        if let heartbeatWindow {
            settings.heartbeatWindowSeconds = Double(heartbeatWindow)
        }
        return settings
    }

    /// Everything the server needs to act on control calls: `file` is the config file already read (read
    /// here when `nil`), `clock` replaces the one of `--clock`.
    func control(file: ControlConfigFile? = nil, clock: ServerClock? = nil, sequential: Bool = false) throws -> AssistantServer.Control {
        AssistantServer.Control(
            settings: try settings(file: file ?? configFile()), clock: clock ?? serverClock,
            ids: sequential || sequentialIds ? .sequential() : .random,
            // A recorded or replayed session seals 2026-07-28 approval states under the fixed replay key.
            requestStates: sequential || sequentialIds ? .replay : .ephemeral()
        )
    }
}

extension ControlLevel: ExpressibleByArgument {}
