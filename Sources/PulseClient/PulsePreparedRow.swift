import Fleet
import JSON
import Policy

/// One `/api/resources` row made ready for the ``PulseFleetAssembler`` where its page was read:
/// mapped and its record checked, or, recognised by its raw bytes, its memo read. The walk
/// prepares each page on the task that fetched it, so the rows of the next pages are mapped
/// while the assembler takes in this one.
package struct PulsePreparedRow: Sendable {
    /// What the row is; nil for a recognised row whose memo did not read.
    let outcome: PulseMappingOutcome<PulseMappedResource>?
    /// How the next walk may recognise it (nil: read it again).
    let raw: Raw?
    /// Recognised by its raw bytes rather than parsed.
    let wasRecognised: Bool

    /// A row as the next walk may recognise it: its raw hash, or the kept row it was recognised as.
    enum Raw: Sendable {
        case read(hash: String)
        case kept(FleetRawRow)
    }

    /// A row recognised by its raw bytes, standing for the kept `row` (``PulseRowMemo``).
    static func recognised(_ row: FleetRawRow) -> PulsePreparedRow {
        PulsePreparedRow(outcome: PulseRowMemo.decode(row), raw: .kept(row), wasRecognised: true)
    }
}

/// Maps rows and checks their records (``Fleet/FleetBatchChecker/checkResource(_:)``): each page's
/// task has a copy of its own.
package struct PulseRowPreparer: Sendable {
    private var mapping: PulseMapping
    private var checker: FleetBatchChecker

    package init(manifest: PlatformSupportManifest) {
        mapping = PulseMapping(manifest: manifest)
        checker = FleetBatchChecker(manifest: manifest)
    }

    /// The manifest's fingerprint, as the checker salts the hashes it keeps.
    var fingerprint: String { checker.fingerprint }

    /// A parsed row, mapped, its record checked and its tree let go (the record's text is in the
    /// row). A record the check refuses is a skip whose raw bytes are not kept: the next walk reads it again.
    mutating func read(_ value: JSONValue, rawHash: String?) -> PulsePreparedRow {
        let raw = rawHash.map { PulsePreparedRow.Raw.read(hash: $0) }
        switch mapping.resource(value) {
        case .skip(let skip):
            return PulsePreparedRow(outcome: .skip(skip), raw: raw, wasRecognised: false)
        case .record(var resource):
            switch checker.checkResource(resource.record) {
            case .success(let row):
                resource.row = row
                resource.record = JSONObject()
                return PulsePreparedRow(outcome: .record(resource), raw: raw, wasRecognised: false)
            case .failure(let refusal):
                return PulsePreparedRow(outcome: .skip(refusal.skip), raw: nil, wasRecognised: false)
            }
        }
    }

    /// A record checked again after the assembler changed it (its parent left out): its new row.
    mutating func recheck(_ record: JSONObject) -> IngestRow.Resource? {
        try? checker.checkResource(record).get()
    }

    /// Every row of a page, in its order.
    mutating func prepare(_ page: PulseResourcePage) -> [PulsePreparedRow] {
        page.entries.map { entry in
            switch entry {
            case .recognised(let row): .recognised(row)
            case .read(let value, let rawHash): read(value, rawHash: rawHash)
            }
        }
    }

    /// The mapping's recovery point record.
    mutating func recoveryPoint(_ value: JSONValue) -> PulseMappingOutcome<JSONObject> {
        mapping.recoveryPoint(value)
    }
}
