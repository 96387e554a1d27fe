/// One row as a source sent it, known by a hash of its bytes, and what the source needs to stand in
/// for the row without reading it again when the same bytes come back.
///
/// A sync keeps these (`syncedRawRow`); the next walk of the source recognises a row whose raw hash
/// it holds and neither parses nor maps it: the row's resource (unchanged, as the store keeps it)
/// and its aliases, agent or skip come from the memo. The store does not read a memo: it is the
/// source's own (for Pulse, ``PulseRowMemo`` in `PulseClient`).
package struct FleetRawRow: Sendable, Hashable {
    /// The row's raw hash: its bytes, salted with what its mapping depends on (the manifest, the
    /// mapping's version), as 32 hex digits.
    package var hash: String
    /// The resource the row became, or nil for a row that became none (a skip, kept with its reason).
    /// A row whose resource the check refused is not kept: it is read again next time.
    package var resourceId: String?
    /// What the source needs to stand in for the row.
    package var memo: String
    /// The content hash the store kept for the resource (`syncedRow.hash`) when it kept this row: a
    /// recognised row stands for that record and no other. Nil for a skip, and in a batch for a row
    /// just read (the store fills it in as it writes).
    package var recordHash: String?
    /// Whether the walk recognised the row (kept as it is) rather than read it (written).
    package var isRecognised: Bool

    package init(hash: String, resourceId: String?, memo: String, recordHash: String? = nil, isRecognised: Bool = false) {
        self.hash = hash
        self.resourceId = resourceId
        self.memo = memo
        self.recordHash = recordHash
        self.isRecognised = isRecognised
    }
}

/// A resource its source recognised by its raw bytes as the row the store keeps: its record is not
/// in the batch, only what the check needs to confirm it is still the stored one.
package struct RecognisedResource: Sendable, Hashable {
    package var id: String
    /// Its parent in this fleet (nil when it has none, or its parent is not in this fleet).
    package var parentId: String?
    /// The content hash of the record it stands for (``FleetRawRow/recordHash``): the store's must match.
    package var recordHash: String

    package init(id: String, parentId: String?, recordHash: String) {
        self.id = id
        self.parentId = parentId
        self.recordHash = recordHash
    }
}

/// A sync found a resource its source recognised by raw bytes that the store no longer keeps as it
/// was (another sync or an ingest wrote in between, or the resource's parent changed): the batch
/// lacks that resource's record, so nothing is written, and the caller walks again reading every row.
package struct FleetRecognitionStale: Error, Sendable, CustomStringConvertible {
    /// How many recognised resources did not match.
    package var count: Int

    package init(count: Int) {
        self.count = count
    }

    package var description: String {
        "\(count) resources recognised by their raw bytes are no longer as the store keeps them"
    }
}
