import ControlEndpoints
import Foundation
import JSON
import Policy

/// The operator's config file: a JSON object, every key optional, unknown keys refused.
///
/// ```json
/// {
///   "controlLevel": "controlled",
///   "heartbeatWindowSeconds": 300,
///   "connectTimeoutMs": 3000,
///   "actionDeadlineMs": 30000,
///   "approvalTimeoutSeconds": 300,
///   "endpointToken": {"file": "/etc/pulse-assistant/endpoint.token"},
///   "endpointTokens": {"truenas/nas-1": {"env": "PULSE_TRUENAS_TOKEN"}},
///   "pulseToken": {"file": "/etc/pulse-assistant/pulse.token"},
///   "pulseCAFile": "/etc/pulse-assistant/pulse-ca.pem",
///   "pulseOrgId": "default"
/// }
/// ```
///
/// A token is named by where it lives (`env` or a `0600` `file`), never written in the file itself.
package struct ControlConfigFile: Sendable, Equatable {
    package var controlLevel: ControlLevel?
    package var heartbeatWindowSeconds: Double?
    package var connectTimeoutMilliseconds: Int?
    package var actionDeadlineMilliseconds: Int?
    package var approvalTimeoutSeconds: Double?
    package var endpointToken: EndpointTokens.Source?
    package var endpointTokens: [String: EndpointTokens.Source] = [:]
    /// Where the Pulse API token lives (`$PULSE_API_TOKEN` when not given).
    package var pulseToken: EndpointTokens.Source?
    /// A PEM file of the CA that signed the Pulse server's certificate (Pulse's own is self-signed).
    package var pulseCAFile: String?
    /// The Pulse organisation to read (`X-Pulse-Org-ID`).
    package var pulseOrgId: String?

    package init() {}

    static let keys = [
        "controlLevel", "heartbeatWindowSeconds", "connectTimeoutMs", "actionDeadlineMs", "approvalTimeoutSeconds",
        "endpointToken", "endpointTokens", "pulseToken", "pulseCAFile", "pulseOrgId",
    ]

    /// Reads and checks the file at `path`.
    ///
    /// - Throws: a ``ConfigError`` naming the file, the key and what is wrong.
    package static func load(_ path: String) throws(ConfigError) -> ControlConfigFile {
        let data: [UInt8]
        do {
            data = try RegularFile.read(path, limit: 1 << 20)
        } catch {
            throw ConfigError("cannot read the config file: \(error)")
        }
        do {
            return try parse(JSONParser.parse(data), path: path)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError("\(path) is not JSON: \(error)")
        }
    }

    static func parse(_ value: JSONValue, path: String) throws(ConfigError) -> ControlConfigFile {
        guard case .object(let object) = value else { throw ConfigError("\(path): the config must be a JSON object") }
        let unknown = object.keys.filter { !keys.contains($0) }
        guard unknown.isEmpty else {
            throw ConfigError("\(path): unknown key\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")); known: \(keys.joined(separator: ", "))")
        }
        var config = ControlConfigFile()
        if let level = object["controlLevel"] {
            guard let text = level.stringValue, let parsed = ControlLevel(rawValue: text) else {
                throw ConfigError("\(path): controlLevel must be one of \(ControlLevel.allCases.map(\.rawValue).joined(separator: ", ")), got \(level)")
            }
            config.controlLevel = parsed
        }
        config.heartbeatWindowSeconds = try positive(object, "heartbeatWindowSeconds", path).map(Double.init)
        config.connectTimeoutMilliseconds = try positive(object, "connectTimeoutMs", path)
        config.actionDeadlineMilliseconds = try positive(object, "actionDeadlineMs", path)
        config.approvalTimeoutSeconds = try positive(object, "approvalTimeoutSeconds", path).map(Double.init)
        if let token = object["endpointToken"] {
            config.endpointToken = try source(token, "endpointToken", path)
        }
        if let tokens = object["endpointTokens"] {
            guard case .object(let byId) = tokens else { throw ConfigError("\(path): endpointTokens must be an object of endpoint id → {\"env\" or \"file\"}") }
            for (id, token) in byId {
                config.endpointTokens[id] = try source(token, "endpointTokens.\(id)", path)
            }
        }
        if let token = object["pulseToken"] {
            config.pulseToken = try source(token, "pulseToken", path)
        }
        config.pulseCAFile = try text(object, "pulseCAFile", path)
        config.pulseOrgId = try text(object, "pulseOrgId", path)
        return config
    }

    private static func text(_ object: JSONObject, _ key: String, _ path: String) throws(ConfigError) -> String? {
        guard let value = object[key] else { return nil }
        guard let text = value.stringValue, !text.isEmpty, text.count <= 4096 else {
            throw ConfigError("\(path): \(key) must be a non-empty string")
        }
        return text
    }

    private static func positive(_ object: JSONObject, _ key: String, _ path: String) throws(ConfigError) -> Int? {
        guard let value = object[key] else { return nil }
        guard let number = value.integerValue, number > 0, number <= Int64(Int32.max) else {
            throw ConfigError("\(path): \(key) must be a positive whole number, got \(value)")
        }
        return Int(number)
    }

    private static func source(_ value: JSONValue, _ key: String, _ path: String) throws(ConfigError) -> EndpointTokens.Source {
        guard case .object(let object) = value, object.count == 1 else {
            throw ConfigError("\(path): \(key) must be {\"env\": NAME} or {\"file\": PATH}")
        }
        if let name = object["env"]?.stringValue, !name.isEmpty { return .environment(name) }
        if let file = object["file"]?.stringValue, !file.isEmpty { return .file(file) }
        throw ConfigError("\(path): \(key) must be {\"env\": NAME} or {\"file\": PATH}")
    }

    /// The file's values without its token sources, as JSON: what a transcript's header keeps, so that a
    /// replay runs with the same deadlines and windows (and its own token).
    package var recordable: JSONValue {
        var object: JSONObject = [:]
        object.setIfPresent("controlLevel", controlLevel.map { .string($0.rawValue) })
        object.setIfPresent("heartbeatWindowSeconds", heartbeatWindowSeconds.map { .integer(Int64($0)) })
        object.setIfPresent("connectTimeoutMs", connectTimeoutMilliseconds.map { .integer(Int64($0)) })
        object.setIfPresent("actionDeadlineMs", actionDeadlineMilliseconds.map { .integer(Int64($0)) })
        object.setIfPresent("approvalTimeoutSeconds", approvalTimeoutSeconds.map { .integer(Int64($0)) })
        return .object(object)
    }

    /// The settings: this file's values over the defaults; `level` is the one already chosen from the flag
    /// or the environment, which win over the file's.
    package func settings(level: ControlLevel?, environment: [String: String]) -> ControlSettings {
        var settings = ControlSettings()
        settings.level = level ?? controlLevel ?? .default
        heartbeatWindowSeconds.map { settings.heartbeatWindowSeconds = $0 }
        connectTimeoutMilliseconds.map { settings.connectTimeoutMilliseconds = $0 }
        actionDeadlineMilliseconds.map { settings.actionDeadlineMilliseconds = $0 }
        approvalTimeoutSeconds.map { settings.approvalTimeoutSeconds = $0 }
        settings.tokens = EndpointTokens(
            fallback: endpointToken ?? .environment(EndpointTokens.defaultVariable), byEndpoint: endpointTokens,
            environment: environment
        )
        return settings
    }
}

/// A config file that cannot be used, said for the operator.
package struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
