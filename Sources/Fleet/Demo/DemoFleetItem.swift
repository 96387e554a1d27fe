import JSON

/// One record of the fleet as the generators produce it: typed for the bulk kinds, a finished
/// ``DemoRecord`` for the rest.
///
/// ``DemoFleet/records(_:)`` turns each item into a ``DemoRecord`` (JSON objects, for callers that
/// read values); the file writers serialize items straight to bytes (``appendValue(to:time:)``),
/// which is what makes a million-resource fleet a matter of seconds. Both give the same JSON.
enum DemoFleetItem {
    case resource(DemoFleetResource)
    case recoveryPoint(DemoFleetRecoveryPoint)
    case metricSample(DemoFleetSample)
    /// `generatedAt`, agents, connections and alerts: few enough to build as JSON objects.
    case record(DemoRecord)

    var record: DemoRecord {
        switch self {
        case .resource(let resource): .resource(resource.object)
        case .recoveryPoint(let point): .recoveryPoint(point.object)
        case .metricSample(let sample): .metricSample(sample.object)
        case .record(let record): record
        }
    }

    /// The one key of the JSON Lines record.
    var key: String {
        switch self {
        case .resource: "resource"
        case .recoveryPoint: "recoveryPoint"
        case .metricSample: "metricSample"
        case .record(let record): record.key
        }
    }

    /// The position of the item's array among ``DemoFleet/documentSections``; `nil` for `generatedAt`.
    var section: Int? {
        switch self {
        case .resource: 0
        case .recoveryPoint: 4
        case .metricSample: 5
        case .record(let record):
            switch record {
            case .generatedAt: nil
            case .resource: 0
            case .agent: 1
            case .connection: 2
            case .alert: 3
            case .recoveryPoint: 4
            case .metricSample: 5
            }
        }
    }

    /// Appends the record's value (the object, or `generatedAt`'s string) as compact JSON.
    func appendValue(to output: inout [UInt8], time: DemoFleetTimeFormatter) {
        switch self {
        case .resource(let resource): resource.appendJSON(to: &output, time: time)
        case .recoveryPoint(let point): point.appendJSON(to: &output, time: time)
        case .metricSample(let sample): sample.appendJSON(to: &output, time: time)
        case .record(let record): JSONSerializer.append(record.value, to: &output)
        }
    }

    /// Appends `{"<key>":<value>}`.
    func appendJSONLine(to output: inout [UInt8], time: DemoFleetTimeFormatter) {
        output.append(contentsOf: "{\"".utf8)
        output.append(contentsOf: key.utf8)
        output.append(contentsOf: "\":".utf8)
        appendValue(to: &output, time: time)
        output.append(UInt8(ascii: "}"))
    }
}
