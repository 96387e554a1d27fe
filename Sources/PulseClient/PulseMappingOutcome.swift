import Fleet
import JSON

/// What the mapping made of one Pulse row: a record of ours, or a skip with its reason.
package enum PulseMappingOutcome<Record: Sendable>: Sendable {
    case record(Record)
    case skip(FleetSkip)

    /// The record, when there is one.
    package var record: Record? {
        if case .record(let record) = self { record } else { nil }
    }

    /// The skip, when the row was skipped.
    package var skip: FleetSkip? {
        if case .skip(let skip) = self { skip } else { nil }
    }
}

/// One Pulse resource row as our `resource` record, with what the join and the agent table need.
package struct PulseMappedResource: Sendable {
    /// Pulse's id, verbatim.
    package var id: String
    /// The parent's id, when the row has one (Kubernetes objects point at their cluster).
    package var parentId: String?
    /// The `resource` record (DESIGN §3), with Pulse's own knowledge under `details.pulse`.
    package var record: JSONObject
    /// Other names Pulse and its alerts use for this resource, strongest first.
    package var aliases: [PulseAlias]
    /// The `agent` record of a host that runs a Pulse agent.
    package var agent: JSONObject?
    /// The record once checked (``Fleet/FleetBatchChecker/checkResource(_:)``), its compact text in
    /// the row: the assembler keeps this and lets ``record``'s tree go.
    package var row: IngestRow.Resource?
    /// Set when the row was recognised by its raw bytes (``PulseRowMemo``): ``record`` is then empty,
    /// and the resource stands for the record the store keeps.
    package var recognised: Recognition?

    /// A row recognised by its raw bytes.
    package struct Recognition: Sendable {
        /// The kept row it was recognised as.
        package var rawRow: FleetRawRow
        /// The content hash of the stored record it stands for.
        package var recordHash: String
        /// Whether the store's record was written with its parent left out (not synced then): it
        /// stands for this fleet's record only if the parent is still missing.
        package var parentUnlinked: Bool
    }
}

/// Another name for a resource, and how much it says.
package struct PulseAlias: Sendable, Hashable {
    package enum Strength: Int, Sendable, Hashable, Comparable {
        /// A source reference built from the row's own facets (`proxmox.sourceId`, `docker:{host}/{id}`,
        /// `{metricsTarget.resourceType}:{resourceId}`, `agent:{agentId}`, `canonicalIdentity.primaryId`):
        /// it names this resource and no other.
        case source = 1
        /// A name Pulse lists in `canonicalIdentity.aliases` (or a bare `metricsTarget.resourceId`):
        /// children inherit some of their host's (its hostname, its agent id), so several rows may list one.
        case listed = 2

        package static func < (lhs: Strength, rhs: Strength) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    package var name: String
    package var strength: Strength

    package init(_ name: String, _ strength: Strength) {
        self.name = name
        self.strength = strength
    }
}
