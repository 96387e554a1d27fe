import Policy

/// The validated rows of a snapshot, as they go into the store's tables (see ``StoreSchema``).
///
/// A validator turns one JSON record into one of these only when the record has no error; the
/// writer binds them to prepared statements. Times are seconds since 1970, as the schema keeps them.
enum IngestRow {
    /// A `resource` row plus what its `resourceTag` and `resourceSearch` rows need.
    struct Resource: Sendable {
        var id: String
        var type: ResourceType
        /// The canonical platform id, an alias already normalised.
        var platform: String
        var name: String
        var status: String
        var powerState: String?
        var technology: String?
        var parentId: String?
        var cpu: Double?
        /// memoryUsed / memoryTotal, when both are given and the total is not 0.
        var memoryUsage: Double?
        /// diskUsed / diskTotal, likewise.
        var diskUsage: Double?
        var lastSeen: Int64?
        /// The record as given, but with the canonical platform id, as compact JSON.
        var record: String
        var tags: [String]
        /// The identity values joined by spaces, for the full-text index.
        var identityText: String
    }

    struct Agent: Sendable {
        var id: String
        var hostResourceId: String
        var endpoint: String
        var commandsEnabled: Bool
        var lastHeartbeat: Int64?
        var version: String?
    }

    struct Connection: Sendable {
        var id: String
        var platform: String
        var rootResourceId: String
        var endpoint: String
        var controlEnabled: Bool
    }

    struct Alert: Sendable {
        var id: String
        var resourceId: String
        var severity: String
        var message: String
        var since: Int64
    }

    struct RecoveryPoint: Sendable {
        var id: String
        var resourceId: String
        var platform: String
        var kind: String
        var at: Int64
        var sizeBytes: Int64?
        var verified: Bool?
    }

    struct MetricSample: Sendable {
        var resourceId: String
        var metric: String
        var at: Int64
        var value: Double
    }
}
