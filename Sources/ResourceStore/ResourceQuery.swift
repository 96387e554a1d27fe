/// What `search_resources` asks of the store: filters, an order, a page.
///
/// Filters combine with AND; a list filter matches any of its values. The
/// order is always total — the sort key, then `id` — so that a keyset
/// position (``ResourceQuery/after``) names exactly where the next page
/// starts, however the store changes between pages.
public struct ResourceQuery: Sendable, Equatable {
    public var types: [String] = []
    public var platforms: [String] = []
    public var statuses: [String] = []
    public var powerStates: [String] = []
    public var parentId: String?
    /// Only resources without a parent (cluster roots, standalone hosts).
    public var rootsOnly = false
    public var tag: String?
    /// Only resources whose disk (or pool) usage is at least this, 0…1.
    public var minDiskUsage: Double?
    /// Words to find in names, tags and identity (full-text, prefix match on each word).
    public var text: String?
    /// Platforms whose resources are left out (not supported for assistant read), unless asked for.
    public var hiddenPlatforms: [String] = []
    public var sort: ResourceSort = .name
    /// Where the page starts: after this position in the order.
    public var after: ResourceKey?
    public var limit: Int = 50
    /// Load the full record of each row.
    public var withRecords = false

    public init() {}
}

/// The orders a search can have.
public enum ResourceSort: String, Sendable, CaseIterable {
    /// By name, A→Z, then id.
    case name
    /// Busiest first, then id; resources without the metric last.
    case cpu
    case memoryUsage
    case diskUsage

    /// The SQL expression sorted on. Metrics sort descending; a missing metric counts as -1 (last).
    var expression: String {
        switch self {
        case .name: "name"
        case .cpu: "ifnull(cpu, -1.0)"
        case .memoryUsage: "ifnull(memoryUsage, -1.0)"
        case .diskUsage: "ifnull(diskUsage, -1.0)"
        }
    }

    var descending: Bool { self != .name }
}

/// A position in a resource order: the sort key's value and the id.
public struct ResourceKey: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case text(String)
        case number(Double)
    }

    public var value: Value
    public var id: String

    public init(value: Value, id: String) {
        self.value = value
        self.id = id
    }
}

/// One page of resources and where the next one starts.
public struct ResourcePage: Sendable, Equatable {
    public var rows: [ResourceRow]
    /// Nil on the last page.
    public var next: ResourceKey?
}
