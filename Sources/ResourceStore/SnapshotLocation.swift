/// Where a record sits in a snapshot, rendered as the path at the start of an error.
///
/// ```
/// JSON document   resources[12].platform        element(.resource, 12) + "platform"
/// JSON Lines      line 45: resource.platform    lineRecord(45, .resource) + "platform"
///                 line 45                       line(45): the line itself is wrong
/// ```
/// Paths are built only when an error is reported, so a valid record costs nothing here.
enum SnapshotLocation: Sendable, Hashable {
    /// The JSON document's top level: `generatedAt`, an unknown key.
    case document
    /// The element `index` of the document's array of `kind` records.
    case element(SnapshotRecordKind, Int)
    /// A JSON Lines line (numbered from 1) before its record kind is known.
    case line(Int)
    /// The record of `kind` on a JSON Lines line.
    case lineRecord(Int, SnapshotRecordKind)

    /// The location of a resource kept by its position alone (an element index or a line number),
    /// which is how the structural checks remember a million of them compactly.
    static func resource(at position: Int, inLines: Bool) -> SnapshotLocation {
        inLines ? .lineRecord(position, .resource) : .element(.resource, position)
    }

    /// Whether this is a place in JSON Lines.
    var isLine: Bool {
        switch self {
        case .line, .lineRecord: true
        case .document, .element: false
        }
    }

    /// The element index or line number: what the structural checks store.
    var position: Int {
        switch self {
        case .document: 0
        case .element(_, let index): index
        case .line(let number), .lineRecord(let number, _): number
        }
    }

    /// The error path of `field` (dotted, with `[i]` for array elements) inside this record.
    func path(_ field: String? = nil) -> String {
        switch self {
        case .document:
            return field ?? "snapshot"
        case .element(let kind, let index):
            return "\(kind.documentKey)[\(index)]" + (field.map { ".\($0)" } ?? "")
        case .line(let number):
            return "line \(number)" + (field.map { ": \($0)" } ?? "")
        case .lineRecord(let number, let kind):
            return "line \(number): \(kind.lineKey)" + (field.map { ".\($0)" } ?? "")
        }
    }
}
