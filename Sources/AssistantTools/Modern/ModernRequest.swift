import JSON
import JSONRPC

/// What a 2026-07-28 request says about itself in `params._meta`: the era is decided per request,
/// from that request only (the stdio process is not a session).
///
/// ```
/// params._meta["io.modelcontextprotocol/protocolVersion"]     required: the request is modern
/// params._meta["io.modelcontextprotocol/clientCapabilities"]  required: what this request may be asked
/// params._meta["io.modelcontextprotocol/clientInfo"]          optional: for the log and the audit
/// params._meta["io.modelcontextprotocol/logLevel"]            optional: notifications/message only with it
/// params._meta["progressToken"]                               optional
/// ```
struct ModernRequest: Sendable {
    /// The one stateless revision served.
    static let version = "2026-07-28"
    static let versionKey = "io.modelcontextprotocol/protocolVersion"
    static let capabilitiesKey = "io.modelcontextprotocol/clientCapabilities"
    static let clientInfoKey = "io.modelcontextprotocol/clientInfo"
    static let logLevelKey = "io.modelcontextprotocol/logLevel"
    static let serverInfoKey = "io.modelcontextprotocol/serverInfo"

    /// The `LoggingLevel` values of the schema.
    static let logLevels: Set<String> = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]

    /// Every version this binary serves, newest first: `supportedVersions` of `server/discover` and the
    /// `supported` list of -32022 (the SDK's `auto` client falls back to `initialize` only when it sees them).
    static var supportedVersions: [String] {
        [version] + ProtocolVersion.allCases.sorted(by: >).map(\.rawValue)
    }

    var params: JSONObject
    var client: ClientInfo
    var logLevel: String?
    var progressToken: JSONValue?

    /// Whether `params` carries the modern era's version key: such a request is served statelessly.
    static func isModern(_ params: JSONValue?) -> Bool {
        params?["_meta"]?[versionKey] != nil
    }

    /// Reads and checks the request's `_meta`.
    ///
    /// - Throws: -32602 for params that are not an object or a required key missing or mistyped,
    ///   -32022 for a version not served.
    init(_ params: JSONValue?) throws(JSONRPCError) {
        let object: JSONObject
        switch params {
        case nil: object = JSONObject()
        case .object(let value)?: object = value
        case let other?: throw .invalidParams("params must be an object, got \(other.typeName)")
        }
        guard case .object(let meta)? = object["_meta"] else {
            throw .invalidParams("params._meta is required in protocol version \(Self.version) (\(Self.versionKey), \(Self.capabilitiesKey))")
        }
        guard let version = meta[Self.versionKey] else {
            throw .invalidParams("params._meta.\(Self.versionKey) is required")
        }
        guard let requested = version.stringValue else {
            throw .invalidParams("params._meta.\(Self.versionKey) must be a string, got \(version.typeName)")
        }
        guard requested == Self.version else {
            throw .unsupportedProtocolVersion(requested, supported: Self.supportedVersions)
        }
        guard case .object(let capabilities)? = meta[Self.capabilitiesKey] else {
            throw .invalidParams("params._meta.\(Self.capabilitiesKey) is required and must be an object")
        }
        var name = "", clientVersion = ""
        if let info = meta[Self.clientInfoKey] {
            guard let infoName = info["name"]?.stringValue, let infoVersion = info["version"]?.stringValue else {
                throw .invalidParams("params._meta.\(Self.clientInfoKey) must be an object with string name and version")
            }
            name = infoName
            clientVersion = infoVersion
        }
        if let level = meta[Self.logLevelKey] {
            guard let text = level.stringValue, Self.logLevels.contains(text) else {
                throw .invalidParams("params._meta.\(Self.logLevelKey) must be one of \(Self.logLevels.sorted().joined(separator: ", "))")
            }
            logLevel = text
        }
        self.params = object
        self.client = ClientInfo(name: name, version: clientVersion, capabilities: capabilities)
        self.progressToken = meta["progressToken"]
    }

    /// Whether the request declared every capability in `required` (each a top-level key, and each
    /// nested key of an object value, e.g. `elicitation.form`; an empty `elicitation` object means form).
    func declares(_ required: JSONObject) -> Bool {
        for (key, value) in required {
            guard case .object(let declared)? = client.capabilities[key] else { return false }
            guard case .object(let nested) = value, !declared.isEmpty else { continue }
            for (inner, _) in nested where declared[inner] == nil { return false }
        }
        return true
    }
}

extension JSONRPCError {
    /// MCP 2026-07-28: the request's protocol version is not served.
    package static let unsupportedProtocolVersionCode = -32022
    /// MCP 2026-07-28: serving the request needs a client capability it did not declare.
    package static let missingRequiredClientCapabilityCode = -32021

    static func unsupportedProtocolVersion(_ requested: String, supported: [String]) -> JSONRPCError {
        JSONRPCError(
            code: unsupportedProtocolVersionCode,
            message: "Unsupported protocol version: \(requested.prefix(64)); supported: \(supported.joined(separator: ", "))",
            data: ["supported": JSONValue(supported), "requested": .string(requested)]
        )
    }

    static func missingRequiredClientCapability(_ required: JSONObject, why: String) -> JSONRPCError {
        JSONRPCError(
            code: missingRequiredClientCapabilityCode,
            message: "Missing required client capability: \(why)",
            data: ["requiredCapabilities": .object(required)]
        )
    }
}
