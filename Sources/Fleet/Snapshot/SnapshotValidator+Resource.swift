import JSON
import Policy

extension SnapshotValidator {
    /// What the structural checks need of a resource, even an invalid one, and its row when it is valid.
    ///
    /// An invalid resource with a usable id still takes part in the id, parent and reference checks,
    /// so one bad field does not also make every child and alert of it "dangling".
    package struct ResourceResult {
        package var id: String?
        package var parentId: String?
        package var row: IngestRow.Resource?
    }

    /// Checks one resource record; `serialized` is its text when already as ``JSONSerializer``
    /// writes it, stored as it stands unless the platform is renamed.
    package mutating func resource(_ object: JSONObject, serialized: ArraySlice<UInt8>?, checker: SnapshotChecker) -> ResourceResult {
        let errorsBefore = checker.log.count
        var id: String?, name: String?, status: String?, powerState: String?, technology: String?
        var parentId: String?, type: ResourceType?, platform: SnapshotPlatforms.Resolved?
        var tags: [String] = [], identity = "", lastSeen: Int64?, metrics = SnapshotMetrics()
        for (key, value) in object {
            switch key {
            case "id": id = checker.text(value, key)
            case "type": type = resourceType(value, checker: checker)
            case "platform": platform = self.platform(value, key, checker: checker)
            case "name": name = checker.text(value, key)
            case "status": status = checker.word(value, key, oneOf: SnapshotVocabulary.statuses)
            case _ where value.isNull:  // an optional field left empty is the same as one left out
                if !Self.resourceFields.contains(key) { unknown(key, value, of: .resource, checker: checker) }
            case "powerState": powerState = checker.word(value, key, oneOf: SnapshotVocabulary.powerStates)
            case "technology": technology = checker.text(value, key)
            case "parentId": parentId = checker.text(value, key)
            case "tags": tags = strings(value, key, unique: true, checker: checker)
            case "metrics": metrics = SnapshotMetrics(value, checker: checker)
            case "identity": identity = self.identity(value, checker: checker)
            case "sources": _ = strings(value, key, unique: false, checker: checker)
            case "lastSeen": lastSeen = checker.timestamp(value, key)?.secondsSince1970
            case "details": freeForm(value, key, checker: checker)
            default: unknown(key, value, of: .resource, checker: checker)
            }
        }
        checker.requireFields(
            [("id", id == nil), ("type", type == nil), ("platform", platform == nil), ("name", name == nil),
             ("status", status == nil)],
            in: object
        )
        if let type, let platform {
            checkProjection(type, of: platform, written: object["platform"], checker: checker)
        }
        if powerState != nil, let type, !type.isWorkload {
            checker.fail(
                "powerState", object["powerState"],
                "applies only to workloads (\(SnapshotVocabulary.list(Self.workloadNames))), not to \(type.rawValue)"
            )
        }
        guard checker.log.count == errorsBefore, let id, let type, let platform, let name, let status else {
            return ResourceResult(id: id, parentId: parentId, row: nil)
        }
        let recordText: String
        if object["platform"] != .string(platform.id.rawValue) {
            var record = object
            record["platform"] = .string(platform.id.rawValue)
            recordText = JSONSerializer.string(.object(record))
        } else if let serialized {
            recordText = String(decoding: serialized, as: UTF8.self)
        } else {
            recordText = JSONSerializer.string(.object(object))
        }
        let row = IngestRow.Resource(
            id: id, type: type, platform: platform.id.rawValue, name: name, status: status,
            powerState: powerState, technology: technology, parentId: parentId, cpu: metrics.cpu,
            memoryUsage: metrics.memoryUsage, diskUsage: metrics.diskUsage, lastSeen: lastSeen,
            record: recordText, tags: tags, identityText: identity
        )
        return ResourceResult(id: id, parentId: parentId, row: row)
    }

    private static let resourceFields = Set(fields[.resource] ?? [])
    private static let workloadNames = ResourceType.allCases.filter(\.isWorkload).map(\.rawValue)

    /// A canonical resource type; anything else is a provider-local type the seed forbids.
    private func resourceType(_ value: JSONValue, checker: SnapshotChecker) -> ResourceType? {
        guard case .string(let text) = value, let type = ResourceType(rawValue: text) else {
            checker.fail(
                "type", value,
                "not a canonical resource type; the canonical types are "
                    + SnapshotVocabulary.list(ResourceType.allCases.map(\.rawValue)),
                seedRule: .canonicalProjections
            )
            return nil
        }
        return type
    }

    /// A resource belongs to a platform that projects resources, and only of a type it projects.
    ///
    /// Presentation-only vocabulary projects nothing; an admitted platform (vSphere) projects its
    /// phase-1 types, so its resources are stored (the read side labels and gates them).
    private func checkProjection(
        _ type: ResourceType, of platform: SnapshotPlatforms.Resolved, written: JSONValue?, checker: SnapshotChecker
    ) {
        if platform.governance == .presentationOnly {
            checker.fail(
                "platform", written,
                "\(platform.id) is presentation-only vocabulary, not a platform that projects resources",
                seedRule: .presentationOnlyIsNotSupport
            )
        } else if !platform.projections.contains(type) {
            checker.fail(
                "type", .string(type.rawValue),
                "platform \(platform.id) does not project this type; its canonical projections are "
                    + SnapshotVocabulary.list(platform.projectionList),
                seedRule: .canonicalProjections
            )
        }
    }

    /// Identity facts (`hostname`, `clusterName`): string values, returned joined for full-text search.
    private func identity(_ value: JSONValue, checker: SnapshotChecker) -> String {
        guard case .object(let object) = value else {
            checker.fail("identity", value, "must be an object of strings")
            return ""
        }
        var words: [String] = []
        for (key, element) in object {
            if SnapshotVocabulary.looksSecret(key) {
                checker.secret("identity.\(key)")
            } else if case .string(let text) = element {
                words.append(text)
            } else {
                checker.fail("identity.\(key)", element, "must be a string")
            }
        }
        return words.joined(separator: " ")
    }
}
