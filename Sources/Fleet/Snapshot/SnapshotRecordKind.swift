/// The kinds of record a snapshot carries, with their names in both snapshot forms.
///
/// ```
/// JSON Lines:     {"resource": {...}}          lineKey     = "resource"
/// JSON document:  {"resources": [{...}, ...]}  documentKey = "resources"
/// ```
package enum SnapshotRecordKind: String, CaseIterable, Sendable, Hashable, Comparable {
    case resource
    case agent
    case connection
    case alert
    case recoveryPoint
    case metricSample

    /// The single key of a JSON Lines record of this kind.
    package var lineKey: String { rawValue }

    /// The key of the JSON document's array of records of this kind.
    package var documentKey: String {
        switch self {
        case .resource: "resources"
        case .agent: "agents"
        case .connection: "connections"
        case .alert: "alerts"
        case .recoveryPoint: "recoveryPoints"
        case .metricSample: "metricSamples"
        }
    }

    /// The kind whose JSON Lines key is `key`.
    package init?(lineKey key: String) {
        self.init(rawValue: key)
    }

    /// The kind whose JSON document array is `key`.
    package init?(documentKey key: String) {
        guard let kind = Self.allCases.first(where: { $0.documentKey == key }) else { return nil }
        self = kind
    }

    /// Declaration order, so that summaries list kinds the way the format does.
    package static func < (lhs: SnapshotRecordKind, rhs: SnapshotRecordKind) -> Bool {
        lhs.order < rhs.order
    }

    /// The kind's place in the declaration order, which is also the order the document's arrays are read in.
    var order: Int {
        Self.allCases.firstIndex(of: self) ?? 0
    }
}
