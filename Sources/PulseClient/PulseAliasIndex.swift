/// Other names → canonical ids, for joining alerts (whose `resourceId` is a legacy source id) and
/// for lookups by alias.
///
/// Pulse's alias lists overlap: a container lists its host's hostname and agent id, a disk its
/// host's name. So a name claimed by several resources is settled in this order:
/// 1. a resource's own id is never another resource's alias;
/// 2. a source reference (``PulseAlias/Strength/source``) beats a listed alias;
/// 3. among claims of equal strength, the claimant that is an ancestor of all the others (the
///    host its containers inherit the name from) takes it;
/// 4. otherwise the name is ambiguous: it joins nothing, and is counted.
package struct PulseAliasIndex: Sendable {
    /// Alias → canonical id.
    package private(set) var ids: [String: String] = [:]
    /// Names left out because two unrelated resources claim them equally.
    package private(set) var ambiguousCount = 0

    /// The strongest claim on one name so far and its first claimant (a resource position); the
    /// other claimants of equal strength, rare, wait in a side table.
    private struct Claim {
        var strength: PulseAlias.Strength
        var first: Int32
    }

    /// Settles the aliases of `resources`; `parents[i]` is the position of resource `i`'s parent, or -1.
    ///
    /// - Parameter only: when given, only these names are settled (none of them a resource's id):
    ///   what a join needs when the store keeps every other alias as it was.
    package init(resources: [PulseMappedResource], parents: [Int32], only names: Set<String>? = nil) {
        let canonical = names == nil ? Set(resources.map(\.id)) : []
        var claims: [String: Claim] = [:]
        var shared: [String: [Int32]] = [:]
        claims.reserveCapacity(names?.count ?? resources.count * 8)
        for (position, resource) in resources.enumerated() {
            let index = Int32(position)
            for alias in resource.aliases where names?.contains(alias.name) ?? !canonical.contains(alias.name) {
                guard let claim = claims[alias.name] else {
                    claims[alias.name] = Claim(strength: alias.strength, first: index)
                    continue
                }
                // A row's aliases are distinct and come together, so a claimant is never added twice.
                if alias.strength < claim.strength {
                    claims[alias.name] = Claim(strength: alias.strength, first: index)
                    shared[alias.name] = nil
                } else if alias.strength == claim.strength {
                    shared[alias.name, default: [claim.first]].append(index)
                }
            }
        }
        // Every name to its first claimant without rehashing; then the few shared ones settled.
        ids = claims.mapValues { resources[Int($0.first)].id }
        for (name, claimants) in shared {
            if let owner = Self.commonAncestor(among: claimants, parents: parents) {
                ids[name] = resources[Int(owner)].id
            } else {
                ids[name] = nil
                ambiguousCount += 1
            }
        }
    }

    /// The canonical id an alias stands for.
    package func resolve(_ name: String) -> String? {
        ids[name]
    }

    /// The claimant every other claimant descends from, if there is one: it can only be the one
    /// nearest the root (two at the same depth descend from neither), so one pass finds it and
    /// one more checks it, linear in the claimants even when thousands share a name (`local`).
    private static func commonAncestor(among claimants: [Int32], parents: [Int32]) -> Int32? {
        var best: Int32 = -1
        var bestDepth = Int.max
        var tied = false
        for claimant in claimants {
            let depth = depth(of: claimant, parents: parents)
            if depth < bestDepth {
                (best, bestDepth, tied) = (claimant, depth, false)
            } else if depth == bestDepth {
                tied = true
            }
        }
        guard !tied, best >= 0 else { return nil }
        return claimants.allSatisfy { $0 == best || descends($0, from: best, parents: parents) } ? best : nil
    }

    /// How many parents up the root is (bounded like ``descends(_:from:parents:)``).
    private static func depth(of position: Int32, parents: [Int32]) -> Int {
        var current = position
        for depth in 0..<64 {
            let parent = parents[Int(current)]
            if parent < 0 { return depth }
            current = parent
        }
        return 64
    }

    /// Whether `child` has `ancestor` on its parent chain (bounded: a cycle cannot hang the sync).
    private static func descends(_ child: Int32, from ancestor: Int32, parents: [Int32]) -> Bool {
        var current = child
        for _ in 0..<64 {
            let parent = parents[Int(current)]
            if parent < 0 { return false }
            if parent == ancestor { return true }
            current = parent
        }
        return false
    }
}
