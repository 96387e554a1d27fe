import JSON

/// Reads the JSON document form of a snapshot, parsed whole.
///
/// ```json
/// {"generatedAt": "…", "resources": [...], "agents": [...], "connections": [...],
///  "alerts": [...], "recoveryPoints": [...], "metricSamples": [...]}
/// ```
/// `resources` is required (it is what makes a document a snapshot); the other arrays are optional.
/// Arrays are visited in that order, resources first, whatever the order of the keys, so that
/// references to resources are resolved as they are met.
enum SnapshotDocumentReader {
    static let topLevelKeys = ["generatedAt"] + SnapshotRecordKind.allCases.map(\.documentKey)

    static func read(_ bytes: [UInt8], into visitor: some SnapshotVisitor) throws {
        let log = visitor.log
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            log.append(SnapshotError(path: "snapshot", rule: "not valid JSON: \(error)"))
            return
        }
        visitor.didRead(bytes: bytes.count)
        guard case .object(let object) = document else {
            log.append(at: .document, nil, shown: SnapshotError.kind(of: document), rule: "must be a JSON object with a \"resources\" array")
            return
        }
        let checker = SnapshotChecker(location: .document, log: log)
        for key in object.keys where !topLevelKeys.contains(key) {
            checker.unknown(key, allowed: topLevelKeys, in: "a snapshot")
        }
        if let generatedAt = object["generatedAt"] {
            visitor.visitGeneratedAt(generatedAt, at: .document, field: "generatedAt")
        }
        if !object.contains("resources") {
            checker.fail("resources", nil, "is required (an empty snapshot is {\"resources\": []})")
        }
        for kind in SnapshotRecordKind.allCases {
            guard let value = object[kind.documentKey] else { continue }
            guard case .array(let elements) = value else {
                checker.wrongShape(kind.documentKey, value, "must be an array of \(kind.lineKey) objects")
                continue
            }
            for (index, element) in elements.enumerated() {
                let location = SnapshotLocation.element(kind, index)
                guard case .object(let record) = element else {
                    log.append(at: location, nil, shown: SnapshotError.kind(of: element), rule: "must be an object")
                    continue
                }
                try visitor.visit(kind, record, serialized: nil, at: location)
            }
        }
    }
}
