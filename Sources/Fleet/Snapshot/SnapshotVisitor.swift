import JSON

/// What the snapshot readers hand records to: the ingest, or a test.
///
/// A reader only splits the snapshot into records and reports what is wrong with its framing
/// (malformed lines, unknown top-level keys); judging records is the visitor's job.
package protocol SnapshotVisitor: AnyObject {
    /// Where framing errors go.
    var log: SnapshotErrorLog { get }

    /// The snapshot's `generatedAt` value, unchecked, found at `location` (`field` within it).
    func visitGeneratedAt(_ value: JSONValue, at location: SnapshotLocation, field: String?)

    /// One record of `kind`, already known to be a JSON object; `serialized` is its text when the
    /// snapshot holds it exactly as ``JSONSerializer`` would write `object` (a JSON Lines record
    /// usually), else nil.
    func visit(
        _ kind: SnapshotRecordKind, _ object: JSONObject, serialized: ArraySlice<UInt8>?, at location: SnapshotLocation
    ) throws

    /// Called as reading advances, with the bytes consumed so far.
    func didRead(bytes: Int)
}
