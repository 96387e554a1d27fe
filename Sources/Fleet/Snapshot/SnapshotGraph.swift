/// The whole-snapshot checks: unique resource ids, parents that exist, no parent cycles, and
/// references from other records to resources that exist.
///
/// It keeps ids only, never records: a resource is an ordinal (its position among the snapshot's
/// resources, which is also its rowid − 1), an entry in `ordinals`, a parent ordinal and where it
/// was written. For a million resources that is tens of megabytes. A parent or a reference may
/// come before the resource it names (JSON Lines in any order), so those are checked at once when
/// possible and otherwise kept, with their location, until ``finish(log:)``.
package struct SnapshotGraph {
    /// Whether positions are JSON Lines line numbers (else JSON document element indexes); set
    /// from the first resource's location.
    private var inLines = false
    private(set) var ordinals: [String: Int32] = [:]
    private var ids: [String] = []
    /// The parent's ordinal, ``noParent``, or ``pendingParent`` until the parent is seen.
    private var parents: [Int32] = []
    private var positions: [Int32] = []
    private var pendingParents: [(child: Int32, parentId: String)] = []
    private var pendingReferences: [(location: SnapshotLocation, field: String, id: String)] = []

    package init() {}

    private static let noParent: Int32 = -1
    private static let pendingParent: Int32 = -2

    /// How many distinct resources have been registered.
    var count: Int { ids.count }

    /// Registers a resource and returns its ordinal, or reports a duplicate id and returns nil.
    package mutating func register(
        id: String, parentId: String?, at location: SnapshotLocation, log: SnapshotErrorLog
    ) -> Int32? {
        if let first = ordinals[id] {
            let firstPath = SnapshotLocation.resource(at: Int(positions[Int(first)]), inLines: inLines).path()
            log.append(at: location, "id", value: .string(id), rule: "duplicate resource id; first defined at \(firstPath)")
            return nil
        }
        if ids.isEmpty { inLines = location.isLine }
        let ordinal = Int32(ids.count)
        ordinals[id] = ordinal
        ids.append(id)
        positions.append(Int32(truncatingIfNeeded: location.position))
        if let parentId {
            if let parent = ordinals[parentId] {
                parents.append(parent)
            } else {
                parents.append(Self.pendingParent)
                pendingParents.append((ordinal, parentId))
            }
        } else {
            parents.append(Self.noParent)
        }
        return ordinal
    }

    /// Checks that `id` names a resource, now if it is known, else at ``finish(log:)``.
    package mutating func reference(_ id: String, _ field: String, at location: SnapshotLocation) {
        if ordinals[id] == nil {
            pendingReferences.append((location, field, id))
        }
    }

    /// Resolves what was left pending and looks for parent cycles, reporting every problem.
    package mutating func finish(log: SnapshotErrorLog) {
        for (child, parentId) in pendingParents {
            if let parent = ordinals[parentId] {
                parents[Int(child)] = parent
            } else {
                parents[Int(child)] = Self.noParent
                log.append(
                    at: location(of: child), "parentId", value: .string(parentId),
                    rule: "no resource has this id; a parent must be a resource of the snapshot"
                )
            }
        }
        pendingParents = []
        for (location, field, id) in pendingReferences where ordinals[id] == nil {
            log.append(at: location, field, value: .string(id), rule: "no resource has this id")
        }
        pendingReferences = []
        findCycles(log: log)
    }

    private func location(of ordinal: Int32) -> SnapshotLocation {
        .resource(at: Int(positions[Int(ordinal)]), inLines: inLines)
    }

    /// Walks up from every resource once: 0 unvisited, 1 on the current walk, 2 known to reach a root.
    /// Meeting a resource of the current walk is a cycle, reported once at its first member.
    private func findCycles(log: SnapshotErrorLog) {
        var state = [UInt8](repeating: 0, count: ids.count)
        var walk: [Int32] = []
        for start in ids.indices where state[start] == 0 {
            walk.removeAll(keepingCapacity: true)
            var current = Int32(start)
            while current >= 0, state[Int(current)] == 0 {
                state[Int(current)] = 1
                walk.append(current)
                current = parents[Int(current)]
            }
            if current >= 0, state[Int(current)] == 1, let entry = walk.firstIndex(of: current) {
                // Start the cycle at its earliest resource, so the report does not depend on where the walk began.
                let cycle = Array(walk[entry...])
                let first = cycle.indices.min { cycle[$0] < cycle[$1] } ?? 0
                let members = Array(cycle[first...] + cycle[..<first])
                let shown = members.count > 10 ? Array(members.prefix(9)) : members
                let names = shown.map { ids[Int($0)] } + (members.count > 10 ? ["…"] : []) + [ids[Int(members[0])]]
                log.append(
                    at: location(of: members[0]), "parentId", value: .string(ids[Int(parents[Int(members[0])])]),
                    rule: "parent cycle (each → its parent): " + names.joined(separator: " → ")
                        + (members.count > 10 ? " (\(members.count) resources in the cycle)" : "")
                )
            }
            for member in walk { state[Int(member)] = 2 }
        }
    }
}
