/// Where a record sits in a snapshot, rendered as the path at the start of an error.
///
/// ```
/// JSON document   resources[12].platform        element(.resource, 12) + "platform"
/// JSON Lines      line 45: resource.platform    lineRecord(45, .resource) + "platform"
///                 line 45                       line(45): the line itself is wrong
/// ```
/// Paths are built only when an error is reported, so a valid record costs nothing here.
package enum SnapshotLocation: Sendable, Hashable {
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

    /// Where a reader meets a place: JSON Lines by line number; a JSON document's top level first,
    /// then its arrays in the order ``SnapshotDocumentReader`` visits them, each by element index.
    struct ReadOrder: Comparable, Sendable {
        var group: Int
        var index: Int

        /// After every record: what is found once reading is over.
        static let afterReading = ReadOrder(group: .max, index: 0)

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.group, lhs.index) < (rhs.group, rhs.index)
        }
    }

    var readOrder: ReadOrder {
        switch self {
        case .document: ReadOrder(group: -1, index: 0)
        case .element(let kind, let index): ReadOrder(group: kind.order, index: index)
        case .line(let number), .lineRecord(let number, _): ReadOrder(group: 0, index: number)
        }
    }
}
