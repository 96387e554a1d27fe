import JSON

/// One record of a snapshot, as the demo fleet streams it (DESIGN §3).
///
/// The payload is the record's JSON object exactly as it goes on the wire, built
/// once, so that the JSON Lines writer, the one-document writer and an in-process
/// ingest all see the same bytes. ``jsonLine`` wraps it in its one-key line:
///
/// ```
/// {"generatedAt":"2026-11-28T10:00:00Z"}
/// {"resource":{"id":"vm/pve-a/101","type":"vm",...}}
/// {"agent":{"id":"pulse-agent/pve-a","hostResourceId":"agent/pve-a",...}}
/// ```
///
/// (This file is named `DemoFleetRecord.swift` so that every file of the demo fleet
/// shares the `DemoFleet` prefix.)
package enum DemoRecord: Sendable, Hashable {
    case generatedAt(Timestamp)
    case resource(JSONObject)
    case agent(JSONObject)
    case connection(JSONObject)
    case alert(JSONObject)
    case recoveryPoint(JSONObject)
    case metricSample(JSONObject)

    /// The one key of the JSON Lines record: `generatedAt`, `resource`, `agent`, `connection`, `alert`,
    /// `recoveryPoint` or `metricSample`.
    package var key: String {
        switch self {
        case .generatedAt: "generatedAt"
        case .resource: "resource"
        case .agent: "agent"
        case .connection: "connection"
        case .alert: "alert"
        case .recoveryPoint: "recoveryPoint"
        case .metricSample: "metricSample"
        }
    }

    /// The key of the array that holds this kind of record in the one-document form (`resources`,
    /// `agents`…); `generatedAt` is a plain member there.
    package var documentKey: String {
        switch self {
        case .generatedAt: "generatedAt"
        case .resource: "resources"
        case .agent: "agents"
        case .connection: "connections"
        case .alert: "alerts"
        case .recoveryPoint: "recoveryPoints"
        case .metricSample: "metricSamples"
        }
    }

    /// The record's value: the RFC 3339 string for `generatedAt`, the object otherwise.
    package var value: JSONValue {
        switch self {
        case .generatedAt(let at): .string(at.description)
        case .resource(let object), .agent(let object), .connection(let object), .alert(let object),
             .recoveryPoint(let object), .metricSample(let object):
            .object(object)
        }
    }

    /// The record's object, `nil` for `generatedAt`.
    package var object: JSONObject? {
        value.objectValue
    }

    /// The JSON Lines form: `{"<key>": <value>}`.
    package var jsonLine: JSONValue {
        .object(JSONObject([(key, value)]))
    }
}
