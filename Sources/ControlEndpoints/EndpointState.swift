import JSON

/// The reference endpoint's world: resources, the executions applied, and each idempotency key's answer.
///
/// ```json
/// {"resources": {"vm/pve-a/101": {"powerState": "stopped", "replicas": 3, "restarts": 1, "deleted": true}},
///  "executions": [{"actionId": "…", "idempotencyKey": "…", "resourceId": "…", "action": "stop", "params": {}}],
///  "results": {"<idempotencyKey>": {"state": "completed", "message": "…", "observed": {…}}}}
/// ```
///
/// Every applied action appends one execution and stores its result under
/// its key; a refused one (unknown action, bad params) changes nothing, so
/// each key in `results` has exactly one execution. Nothing here reads a
/// clock: the same requests give the same file and the same answers.
struct EndpointState: Sendable, Equatable {
    var resources: JSONObject = [:]
    var executions: [JSONValue] = []
    var results: JSONObject = [:]

    init() {}

    /// Reads the document; a missing section is empty, a section of the wrong type is an error.
    init(_ value: JSONValue) throws(EndpointStateError) {
        guard case .object(let object) = value else { throw .malformed("the state must be a JSON object, got \(value.typeName)") }
        func section<T>(_ key: String, _ read: (JSONValue) -> T?, default empty: T) throws(EndpointStateError) -> T {
            guard let field = object[key] else { return empty }
            guard let section = read(field) else { throw .malformed("\"\(key)\" has the wrong type (\(field.typeName))") }
            return section
        }
        resources = try section("resources", \.objectValue, default: [:])
        executions = try section("executions", \.arrayValue, default: [])
        results = try section("results", \.objectValue, default: [:])
    }

    var jsonValue: JSONValue {
        ["resources": .object(resources), "executions": .array(executions), "results": .object(results)]
    }
}

// MARK: - Applying actions

extension EndpointState {
    /// The actions the reference endpoint knows, and what each does to a resource's entry.
    static let knownActions = ["start", "stop", "shutdown", "reboot", "restart", "scale", "delete"]

    /// Applies `request` once per idempotency key; the `control.execute` result to answer.
    ///
    /// A key seen before returns its stored result and appends nothing; a key
    /// reused for a different action or resource is refused rather than
    /// answered with another request's result.
    mutating func apply(_ request: EndpointRequest) -> JSONValue {
        if let stored = results[request.idempotencyKey] {
            if let previous = execution(forKey: request.idempotencyKey), !Self.matches(previous, request) {
                return Self.failed(
                    "idempotency key \(request.idempotencyKey) was already used for a different request; nothing was applied",
                    observed: resources[request.resourceId]
                )
            }
            return stored
        }
        var entry = resources[request.resourceId]?.objectValue ?? [:]
        let summary: String
        switch request.action {
        case "start":
            entry["powerState"] = "running"
            summary = "powerState running"
        case "stop", "shutdown":
            entry["powerState"] = "stopped"
            summary = "powerState stopped"
        case "reboot", "restart":
            let restarts = (entry["restarts"]?.integerValue ?? 0) + 1
            entry["powerState"] = "running"
            entry["restarts"] = .integer(restarts)
            summary = "powerState running, restarts \(restarts)"
        case "scale":
            guard case .integer(let replicas)? = request.params["replicas"], replicas >= 0 else {
                let got = request.params["replicas"].map { "\($0)" } ?? "nothing"
                return Self.failed("scale needs params.replicas, an integer of 0 or more; got \(got); nothing was applied", observed: resources[request.resourceId])
            }
            entry["replicas"] = .integer(replicas)
            summary = "replicas \(replicas)"
        case "delete":
            entry["deleted"] = true
            summary = "deleted"
        default:
            return Self.failed(
                "unknown action '\(request.action)'; this endpoint knows \(Self.knownActions.joined(separator: ", ")); nothing was applied",
                observed: resources[request.resourceId]
            )
        }
        resources[request.resourceId] = .object(entry)
        executions.append([
            "actionId": .string(request.actionId),
            "idempotencyKey": .string(request.idempotencyKey),
            "resourceId": .string(request.resourceId),
            "action": .string(request.action),
            "params": .object(request.params),
        ])
        let result: JSONValue = [
            "state": "completed",
            "message": .string("\(request.action) applied to \(request.resourceId): \(summary)"),
            "observed": .object(entry),
        ]
        results[request.idempotencyKey] = result
        return result
    }

    /// The execution recorded for `key`, if any.
    func execution(forKey key: String) -> JSONObject? {
        executions.lazy.compactMap(\.objectValue).first { $0["idempotencyKey"]?.stringValue == key }
    }

    private static func matches(_ execution: JSONObject, _ request: EndpointRequest) -> Bool {
        execution["resourceId"]?.stringValue == request.resourceId
            && execution["action"]?.stringValue == request.action
            && (execution["params"] ?? [:]).isEquivalent(to: .object(request.params))
    }

    /// A `failed` result: the action was not applied.
    static func failed(_ message: String, observed: JSONValue? = nil) -> JSONValue {
        ["state": "failed", "message": .string(message), "observed": observed ?? .null]
    }
}
