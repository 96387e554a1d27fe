/// What `search_resources` asks of the store: filters, an order, a page.
///
/// Filters combine with AND; a list filter matches any of its values. The
/// order is always total — the sort key, then `id` — so that a keyset
/// position (``ResourceQuery/after``) names exactly where the next page
/// starts, however the store changes between pages.
package struct ResourceQuery: Sendable, Equatable {
    package var types: [String] = []
    package var platforms: [String] = []
    package var statuses: [String] = []
    package var powerStates: [String] = []
    package var parentId: String?
    /// Only resources without a parent (cluster roots, standalone hosts).
    package var rootsOnly = false
    package var tag: String?
    /// Only resources whose disk (or pool) usage is at least this, 0…1.
    package var minDiskUsage: Double?
    /// Words to find in names, tags and identity (full-text, prefix match on each word).
    package var text: String?
    /// Platforms whose resources are left out (not supported for assistant read), unless asked for.
    package var hiddenPlatforms: [String] = []
    package var sort: ResourceSort = .name
    /// Where the page starts: after this position in the order.
    package var after: ResourceKey?
    package var limit: Int = 50
    /// Load the full record of each row.
    package var withRecords = false

    package init() {}
}

/// The orders a search can have.
package enum ResourceSort: String, Sendable, CaseIterable {
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
package struct ResourceKey: Sendable, Equatable {
    package enum Value: Sendable, Equatable {
        case text(String)
        case number(Double)
    }

    package var value: Value
    package var id: String

    package init(value: Value, id: String) {
        self.value = value
        self.id = id
    }
}

/// One page of resources and where the next one starts.
package struct ResourcePage: Sendable, Equatable {
    package var rows: [ResourceRow]
    /// Nil on the last page.
    package var next: ResourceKey?
}
