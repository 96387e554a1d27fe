import Policy

/// The validated rows of a snapshot, as they go into the store's tables (see ``StoreSchema``).
///
/// A validator turns one JSON record into one of these only when the record has no error; the
/// writer binds them to prepared statements. Times are seconds since 1970, as the schema keeps them.
package enum IngestRow {
    /// A `resource` row plus what its `resourceTag` and `resourceSearch` rows need.
    package struct Resource: Sendable {
        package var id: String
        package var type: ResourceType
        /// The canonical platform id, an alias already normalised.
        package var platform: String
        package var name: String
        package var status: String
        package var powerState: String?
        package var technology: String?
        package var parentId: String?
        package var cpu: Double?
        /// memoryUsed / memoryTotal, when both are given and the total is not 0.
        package var memoryUsage: Double?
        /// diskUsed / diskTotal, likewise.
        package var diskUsage: Double?
        package var lastSeen: Int64?
        /// The record as given, but with the canonical platform id, as compact JSON.
        package var record: String
        package var tags: [String]
        /// The identity values joined by spaces, for the full-text index.
        package var identityText: String
    }

    package struct Agent: Sendable {
        package var id: String
        package var hostResourceId: String
        package var endpoint: String
        package var commandsEnabled: Bool
        package var lastHeartbeat: Int64?
        package var version: String?
    }

    package struct Connection: Sendable {
        package var id: String
        package var platform: String
        package var rootResourceId: String
        package var endpoint: String
        package var controlEnabled: Bool
    }

    package struct Alert: Sendable {
        package var id: String
        package var resourceId: String
        package var severity: String
        package var message: String
        package var since: Int64
    }

    package struct RecoveryPoint: Sendable {
        package var id: String
        package var resourceId: String
        package var platform: String
        package var kind: String
        package var at: Int64
        package var sizeBytes: Int64?
        package var verified: Bool?
    }

    package struct MetricSample: Sendable {
        package var resourceId: String
        package var metric: String
        package var at: Int64
        package var value: Double

        package init(resourceId: String, metric: String, at: Int64, value: Double) {
            self.resourceId = resourceId
            self.metric = metric
            self.at = at
            self.value = value
        }
    }
}
