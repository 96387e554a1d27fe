import ArgumentParser
import Fleet
import JSON
import PulseClient
import ResourceStore

/// What `sync` prints: what was written, what was skipped and why, and what the walk cost.
struct SyncReport {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    let summary: SyncSummary
    let walk: PulseWalkStats
    let store: String
    let source: String

    /// Skips of one kind, type and reason, with the first few ids: a thousand Docker images are one line.
    struct SkipGroup {
        var kind: String
        var type: String?
        var reason: String
        var count: Int
        var examples: [String]
    }

    static let examplesPerGroup = 3

    var skipGroups: [SkipGroup] {
        var groups: [String: SkipGroup] = [:]
        var order: [String] = []
        for skip in summary.skipped {
            let key = "\(skip.kind.rawValue)\u{0}\(skip.type ?? "")\u{0}\(skip.reason)"
            if groups[key] == nil {
                groups[key] = SkipGroup(kind: skip.kind.rawValue, type: skip.type, reason: skip.reason, count: 0, examples: [])
                order.append(key)
            }
            groups[key]?.count += 1
            if let id = skip.id, (groups[key]?.examples.count ?? 0) < Self.examplesPerGroup { groups[key]?.examples.append(id) }
        }
        return order.compactMap { groups[$0] }.sorted { ($0.count, $1.kind) > ($1.count, $0.kind) }
    }

    func rendered(_ format: Format) -> String {
        switch format {
        case .text: text
        case .json: JSONSerializer.pretty(json, sortedKeys: true)
        }
    }

    private static let kinds = ["resource", "agent", "alert", "recoveryPoint", "alias"]

    var json: JSONValue {
        var written: JSONObject = [:]
        for kind in Self.kinds {
            let counts = summary.counts[kind] ?? SyncSummary.Counts()
            written[kind] = [
                "added": .integer(Int64(counts.added)), "changed": .integer(Int64(counts.changed)),
                "removed": .integer(Int64(counts.removed)), "unchanged": .integer(Int64(counts.unchanged)),
                "keptUnseen": .integer(Int64(counts.keptUnseen)),
            ]
        }
        return [
            "source": .string(source), "store": .string(store), "replacedAll": .bool(summary.replacedAll),
            "written": .object(written),
            "resources": .array(summary.resourceCounts.map { ["type": .string($0.type), "platform": .string($0.platform), "count": .integer(Int64($0.count))] }),
            "skipped": .array(skipGroups.map { group in
                var object: JSONObject = ["kind": .string(group.kind), "reason": .string(group.reason), "count": .integer(Int64(group.count))]
                object.setIfPresent("type", group.type.map { .string($0) })
                object["examples"] = .array(group.examples.map { .string($0) })
                return .object(object)
            }),
            "skippedCount": .integer(Int64(summary.skipped.count)),
            "unjoinedAlerts": .integer(Int64(summary.unjoinedAlerts)),
            "unjoinedRecoveryPoints": .integer(Int64(summary.unjoinedRecoveryPoints)),
            "detachedResources": .integer(Int64(summary.detachedResources)),
            "walk": [
                "resourcePages": .integer(Int64(walk.resourcePages)), "recoveryPages": .integer(Int64(walk.recoveryPages)),
                "bytes": .integer(Int64(walk.bytes)), "seconds": .double(walk.seconds), "rewalks": .integer(Int64(walk.rewalks)),
                "churnDetected": .bool(walk.churnDetected),
                "recognisedRows": .integer(Int64(walk.recognisedRows)), "parsedRows": .integer(Int64(walk.parsedRows)),
                "recognitionRewalks": .integer(Int64(walk.recognitionRewalks)),
                "aliasNamesSettled": walk.aliasNamesSettled.map { .integer(Int64($0)) } ?? .null,
            ],
            "recognisedResources": .integer(Int64(summary.recognisedResources)),
            "writeSeconds": .double(Self.seconds(summary.elapsed)),
        ]
    }

    var text: String {
        let resources = summary.counts["resource"] ?? SyncSummary.Counts()
        var lines = [
            "Synced \(resources.added + resources.changed + resources.unchanged) resources from \(source) into \(store) "
                + "(\(walk.resourcePages + walk.recoveryPages + walk.alertPages) pages, \(Self.megabytes(walk.bytes)), "
                + "read in \(Self.format(walk.seconds)) s, written in \(Self.format(Self.seconds(summary.elapsed))) s)"
                + (summary.replacedAll ? "; the store's previous content was replaced." : "."),
        ]
        if walk.churnDetected || walk.rewalks > 0 {
            lines.append("The fleet changed while it was read: walked \(walk.rewalks + 1) times\(walk.churnDetected ? ", kept each resource once (its last copy)" : "").")
        }
        if walk.churnDetected {
            let unseen = Self.kinds.reduce(0) { $0 + (summary.counts[$1]?.keptUnseen ?? 0) }
            lines.append("It kept changing, so nothing the walks missed was deleted (\(unseen) rows kept unseen); the next sync that reads a steady fleet deletes what vanished.")
        }
        if walk.recognisedRows > 0 || walk.recognitionRewalks > 0 {
            lines.append(
                "Recognised \(walk.recognisedRows) resource rows by their bytes as the store keeps them (not parsed); parsed \(walk.parsedRows)"
                    + (walk.recognitionRewalks > 0 ? "; read every row again once, since recognised rows' parents changed." : ".")
            )
        }
        lines.append("Written (added / changed / removed / unchanged):")
        for kind in Self.kinds {
            let counts = summary.counts[kind] ?? SyncSummary.Counts()
            lines.append("  \(kind.padding(toLength: 14, withPad: " ", startingAt: 0)) \(counts.added) / \(counts.changed) / \(counts.removed) / \(counts.unchanged)")
        }
        lines.append("Resources by type and platform:")
        for row in summary.resourceCounts {
            lines.append("  \(row.type.padding(toLength: 18, withPad: " ", startingAt: 0)) \(row.platform.padding(toLength: 16, withPad: " ", startingAt: 0)) \(row.count)")
        }
        let groups = skipGroups
        if !groups.isEmpty {
            lines.append("Skipped \(summary.skipped.count):")
            for group in groups {
                let examples = group.examples.isEmpty ? "" : " (e.g. \(group.examples.joined(separator: ", ")))"
                lines.append("  \(group.count) \(group.kind)\(group.type.map { " \($0)" } ?? ""): \(group.reason)\(examples)")
            }
        }
        if summary.unjoinedAlerts > 0 {
            lines.append("\(summary.unjoinedAlerts) alert\(summary.unjoinedAlerts == 1 ? "" : "s") name no synced resource: kept under their Pulse resource id; list_alerts shows them with that id alone.")
        }
        if summary.unjoinedRecoveryPoints > 0 {
            lines.append("\(summary.unjoinedRecoveryPoints) recovery point\(summary.unjoinedRecoveryPoints == 1 ? "" : "s") belong to no synced resource (kept).")
        }
        if summary.detachedResources > 0 {
            lines.append("\(summary.detachedResources) resource\(summary.detachedResources == 1 ? "" : "s") had a parent that was not synced (kept as roots).")
        }
        return lines.joined(separator: "\n")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ seconds: Double) -> String {
        String((seconds * 100).rounded() / 100)
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1_000_000 ? "\(format(Double(bytes) / 1_000_000)) MB" : "\(bytes / 1000) kB"
    }
}
