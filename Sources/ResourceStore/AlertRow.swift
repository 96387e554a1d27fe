import Fleet

/// An active alert, with the resource it is about.
public struct AlertRow: Sendable, Equatable {
    public var id: String
    public var resourceId: String
    public var severity: String
    public var message: String
    public var since: Timestamp
    public var resourceName: String
    public var resourceType: String
    public var platform: String

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
public struct AlertQuery: Sendable, Equatable {
    public var severities: [String] = []
    public var platforms: [String] = []
    public var resourceId: String?
    public var hiddenPlatforms: [String] = []
    /// The last alert of the previous page.
    public var after: AlertKey?
    public var limit = 50

    public init() {}
}

/// A position in the alert order: (severity rank, since, id).
public struct AlertKey: Sendable, Equatable {
    public var rank: Int
    public var since: Int64
    public var id: String

    public init(rank: Int, since: Int64, id: String) {
        self.rank = rank
        self.since = since
        self.id = id
    }
}
