import Fleet
import Foundation
import JSON
import Policy
@testable import PulseClient

/// The shared Pulse fixtures (`shared/pulse/fixtures/api-*.json`), copied into this target's
/// resources so that a clean clone tests without `shared/`. One difference: the Docker port bindings
/// of `api-resources.list.json` say 127.0.0.1 where Pulse's bind every interface (no test data names an
/// address beyond loopback; nothing reads those fields but the kept details).
enum PulseFixtures {
    /// Every fixture file's name.
    static let names = [
        "api-actions-decision.request.json", "api-actions-decision.response.json", "api-actions-execute.request.json",
        "api-actions-execute.response.json", "api-actions-get.response.json", "api-actions-plan.request.json",
        "api-actions-plan.response.json", "api-agent-fleet-context.json", "api-agent-resource-capabilities.vm.json",
        "api-alerts-active.json", "api-error-envelopes.json", "api-metrics-history.all.json",
        "api-metrics-history.single.json", "api-recovery-points.json", "api-resource.vm.get.json",
        "api-resources.list.json", "api-state.excerpt.json",
    ]

    static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw FixtureMissing(name: name)
        }
        return Array(try Data(contentsOf: url))
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONParser.parse(bytes(name))
    }

    /// The rows of `api-resources.list.json`.
    static func resourceRows() throws -> [JSONObject] {
        try json("api-resources.list.json")["data"]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    /// One row of `api-resources.list.json` by id.
    static func row(_ id: String) throws -> JSONObject {
        guard let row = try resourceRows().first(where: { $0["id"]?.stringValue == id }) else {
            throw FixtureMissing(name: id)
        }
        return row
    }

    static let manifest: PlatformSupportManifest = {
        do {
            return try PlatformSupportManifest.bundled { try Data(contentsOf: $0) }
        } catch {
            fatalError("the bundled platform manifest does not load: \(error)")
        }
    }()

    struct FixtureMissing: Error {
        var name: String
    }
}

/// Runs our snapshot validator over mapped records: what the store will do with them.
enum Validation {
    /// The validator's complaints about one record of `kind` (none when it passes).
    static func errors(_ record: JSONObject, _ kind: SnapshotRecordKind) -> [String] {
        var validator = SnapshotValidator(manifest: PulseFixtures.manifest)
        let log = SnapshotErrorLog()
        let checker = SnapshotChecker(location: .element(kind, 0), log: log)
        switch kind {
        case .resource: _ = validator.resource(record, serialized: nil, checker: checker)
        case .agent: _ = validator.agent(record, checker: checker)
        case .alert: _ = validator.alert(record, checker: checker)
        case .recoveryPoint: _ = validator.recoveryPoint(record, checker: checker)
        case .connection: _ = validator.connection(record, checker: checker)
        case .metricSample: _ = validator.metricSample(record, checker: checker)
        }
        return log.rejection?.errors.map(\.description) ?? []
    }

    /// Every complaint about every record of a batch.
    static func errors(_ batch: FleetBatch) -> [String] {
        batch.records.flatMap { errors($0, .resource) } + batch.agents.flatMap { errors($0, .agent) }
            + batch.alerts.flatMap { errors($0, .alert) } + batch.recoveryPoints.flatMap { errors($0, .recoveryPoint) }
    }
}

extension JSONObject {
    /// `details.pulse`, for assertions.
    var pulseDetails: JSONObject? {
        self["details"]?["pulse"]?.objectValue
    }
}

extension FleetBatch {
    /// Every resource record of the batch as a tree: those given as records, and those checked where
    /// they were mapped (``FleetBatch/checkedResources``), read back from their text.
    var records: [JSONObject] {
        resources + checkedResources.compactMap { row in
            guard case .object(let record)? = try? JSONParser.parse(row.record.utf8) else { return nil }
            return record
        }
    }
}
