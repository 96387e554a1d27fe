import Fleet

/// An active alert, with the resource it is about.
package struct AlertRow: Sendable, Equatable {
    package var id: String
    package var resourceId: String
    package var severity: String
    package var message: String
    package var since: Timestamp
    /// The resource's name, type and platform; `nil` for an alert whose resource the store does not
    /// hold (a type the sync skips, or a row Pulse did not list): kept and shown, never dropped.
    package var resourceName: String?
    package var resourceType: String?
    package var platform: String?

    static let columns = "a.id, a.resourceId, a.severity, a.message, a.since, r.name, r.type, r.platform"

    init(_ row: ReadRow) {
        id = row[0]
        resourceId = row[1]
        severity = row[2]
        message = row[3]
        since = row[4]
        resourceName = row[5]
        resourceType = row[6]
        platform = row[7]
    }

    /// Critical first, then warning, then info.
    static let rankSQL = "CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END"

    var rank: Int {
        switch severity {
        case "critical": 0
        case "warning": 1
        default: 2
        }
    }
}

/// What `list_alerts` asks for: filters and a keyset page, most severe and newest first.
package struct AlertQuery: Sendable, Equatable {
    package var severities: [String] = []
    package var platforms: [String] = []
    package var resourceId: String?
    package var hiddenPlatforms: [String] = []
    /// The last alert of the previous page.
    package var after: AlertKey?
    package var limit = 50

    package init() {}
}

/// A position in the alert order: (severity rank, since, id).
package struct AlertKey: Sendable, Equatable {
    package var rank: Int
    package var since: Int64
    package var id: String

    package init(rank: Int, since: Int64, id: String) {
        self.rank = rank
        self.since = since
        self.id = id
    }
}
