import AssistantTools
import JSON
import Policy
import ResourceStore
import GRDB
import Testing

/// The read tools over the embedded demo fleet, through the registry as a client calls them.
@Suite("Read tools on the demo fleet")
struct ReadToolsTests {
    let client = InProcessClient()

    /// Calls a tool and returns its structured content, failing the test on an error result.
    func call(_ name: String, _ arguments: JSONValue = [:]) async throws -> JSONValue {
        try await client.ensureInitialized()
        let result = try await client.callTool(name, arguments)
        #expect(result["isError"] == nil, "\(name) failed: \(result["content"]?.description ?? "")")
        let structured = try #require(result["structuredContent"])
        let schema = try #require(client.server.registry.descriptors.first { $0.name == name }?.outputSchema)
        #expect(SchemaValidator.violations(of: structured, against: schema).isEmpty, "\(name) output does not match its schema")
        return structured
    }

    /// Calls a tool expecting an `isError` result; returns its text.
    func refusal(_ name: String, _ arguments: JSONValue) async throws -> String {
        try await client.ensureInitialized()
        let result = try await client.callTool(name, arguments)
        #expect(result["isError"] == true)
        return try #require(result["content"]?.arrayValue?.first?["text"]?.stringValue)
    }

    func rows(_ value: JSONValue, _ key: String = "resources") -> [JSONValue] {
        value[key]?.arrayValue ?? []
    }

    @Test("search leaves unsupported platforms out unless asked, and labels them then")
    func gating() async throws {
        let hidden = rows(try await call("search_resources", ["platforms": ["vmware"], "limit": 500]))
        #expect(hidden.isEmpty)
        let notes = try await call("search_resources", ["platforms": ["vmware"]])["notes"]?.arrayValue
        #expect(notes?.first?.stringValue?.contains("includeUnsupported: true") == true)

        let shown = rows(try await call("search_resources", ["platforms": ["vmware"], "includeUnsupported": true, "limit": 500]))
        #expect(!shown.isEmpty)
        for row in shown {
            #expect(row["platform"] == "vmware-vsphere")
            #expect(row["platformSupport"] == ["supported": false, "governanceState": "admitted", "readinessStage": "first-lab-ready"])
        }
    }

    @Test("a cursor walk returns every readable resource exactly once")
    func cursorWalk() async throws {
        var ids: [String] = []
        var arguments: JSONObject = ["limit": 37]
        for _ in 0..<100 {
            let page = try await call("search_resources", .object(arguments))
            ids += rows(page).compactMap { $0["id"]?.stringValue }
            guard let next = page["nextCursor"] else { break }
            arguments["cursor"] = next
        }
        let store = try Fixtures.demoStores.store()
        var all = ResourceQuery()
        all.hiddenPlatforms = ReadGate(manifest: Fixtures.manifest).hiddenPlatforms
        #expect(ids.count == (try store.read { try $0.count(all) }))
        #expect(Set(ids).count == ids.count)
        #expect(ids.count > 100)
    }

    @Test("search rows, written straight to text, are byte for byte the rows their fields make as a tree", arguments: [false, true])
    func rowsAreTheirTree(detail: Bool) async throws {
        // Given every resource, hidden platforms too, as the store reads them
        let gate = ReadGate(manifest: Fixtures.manifest)
        var query = ResourceQuery()
        query.withRecords = detail
        query.limit = 500
        let stored = try Fixtures.demoStores.store().read { try $0.search(query) }.rows

        // When search_resources answers for the same page
        let page = try await call("search_resources", ["includeUnsupported": true, "detail": .bool(detail), "limit": 500])

        // Then its text is the tree the rows were built as before they were written straight to text
        let expected: JSONValue = ["resources": .array(stored.map { Self.tree(of: $0, gate: gate, detail: detail) })]
        #expect(stored.count > 100)
        #expect(stored.contains { gate.label(forPlatform: $0.platform) != nil })
        #expect(JSONSerializer.bytes(page) == JSONSerializer.bytes(expected))
    }

    /// A row as it was built as a tree: the order and form of every field.
    static func tree(of row: ResourceRow, gate: ReadGate, detail: Bool) -> JSONValue {
        func rounded(_ value: Double) -> JSONValue { .double((value * 10_000).rounded() / 10_000) }
        var object: JSONObject = [
            "id": .string(row.id), "type": .string(row.type), "platform": .string(row.platform), "name": .string(row.name),
            "status": .string(row.status),
        ]
        object.setIfPresent("powerState", row.powerState.map(JSONValue.string))
        object.setIfPresent("technology", row.technology.map(JSONValue.string))
        object.setIfPresent("parentId", row.parentId.map(JSONValue.string))
        object.setIfPresent("cpu", row.cpu.map(rounded))
        object.setIfPresent("memoryUsage", row.memoryUsage.map(rounded))
        object.setIfPresent("diskUsage", row.diskUsage.map(rounded))
        object.setIfPresent("lastSeen", row.lastSeen.map { .string($0.description) })
        if detail, let record = row.record, let full = try? JSONParser.parse(record) {
            for key in ["tags", "metrics", "identity", "sources", "details"] {
                object.setIfPresent(key, full[key])
            }
        }
        object.setIfPresent("platformSupport", gate.label(forPlatform: row.platform))
        return .object(object)
    }

    @Test("search filters, sorts and detail")
    func searchFilters() async throws {
        let vms = rows(try await call("search_resources", ["types": ["vm"], "statuses": ["online"], "sort": "cpu", "limit": 20]))
        #expect(!vms.isEmpty)
        #expect(vms.allSatisfy { $0["type"] == "vm" && $0["status"] == "online" && $0["tags"] == nil })
        let cpus = vms.compactMap { $0["cpu"]?.doubleValue }
        #expect(cpus == cpus.sorted(by: >))
        let detailed = rows(try await call("search_resources", ["types": ["vm"], "detail": true, "limit": 3]))
        #expect(detailed.allSatisfy { $0["identity"] != nil && $0["metrics"] != nil })
        #expect(rows(try await call("search_resources", ["text": "zzzz-no-such-thing"])).isEmpty)
    }

    @Test("search refuses unknown platforms, foreign cursors and wrong argument types")
    func searchRefusals() async throws {
        #expect(try await refusal("search_resources", ["platforms": ["podman"]]).hasPrefix("Unknown platform \"podman\". Known platform ids: agent,"))
        let page = try await call("search_resources", ["types": ["vm"], "limit": 1])
        let cursor = try #require(page["nextCursor"])
        #expect(try await refusal("search_resources", ["types": ["pod"], "limit": 1, "cursor": cursor]).contains("other filters"))
        #expect(try await refusal("search_resources", ["cursor": "bogus"]).hasPrefix("Invalid cursor"))
        #expect(try await refusal("search_resources", ["limit": 501]).contains("`limit`: must be at most 500"))
        #expect(try await refusal("search_resources", ["types": "vm"]).contains("`types`: expected an array, got string"))
    }

    @Test("get_resource: the whole picture of one resource")
    func getResource() async throws {
        let vm = try #require(rows(try await call("search_resources", ["types": ["vm"], "platforms": ["pve"], "limit": 1])).first)
        let id = try #require(vm["id"])
        let result = try await call("get_resource", ["id": id])
        #expect(result["resource"]?["id"] == id)
        #expect(result["resource"]?["identity"] != nil)
        #expect(result["platformSupport"]?["assistantControl"] == "augmentation-only")
        #expect(result["parentChain"]?.arrayValue?.first?["type"] == "agent")
        #expect(result["recovery"]?["surface"] == "supported")
        #expect(result["control"]?["openActions"] == [])
    }

    @Test("get_resource: an unknown id answers with the closest ids")
    func unknownResource() async throws {
        let vm = try #require(rows(try await call("search_resources", ["types": ["vm"], "limit": 1])).first?["id"]?.stringValue)
        let text = try await refusal("get_resource", ["id": .string(vm + "9")])
        #expect(text.hasPrefix("No resource has id \"\(vm)9\". Closest: \(vm) ("))
        #expect(try await refusal("get_resource", [:]).hasPrefix("get_resource needs the resource: pass id"))
        #expect(try await refusal("get_resource", ["id": .string(vm), "name": "x"]).hasPrefix("Give only one of id or name"))
    }

    @Test("get_resource on an unsupported platform says so plainly")
    func unsupportedResource() async throws {
        let esx = try #require(rows(try await call("search_resources", ["platforms": ["vmware"], "includeUnsupported": true, "limit": 1])).first)
        let id = try #require(esx["id"]?.stringValue)
        let text = try await refusal("get_resource", ["id": .string(id)])
        #expect(text.hasPrefix("\(id) belongs to vmware-vsphere, which is admitted but not supported (readiness stage first-lab-ready"))
        let shown = try await call("get_resource", ["id": .string(id), "includeUnsupported": true])
        #expect(shown["resource"]?["platformSupport"]?["supported"] == false)
        #expect(shown["platformSupport"]?["statement"]?.stringValue?.hasPrefix("vmware-vsphere is not supported.") == true)
    }

    @Test("get_topology: a node's guests, the roots, and a cut-off tree")
    func topology() async throws {
        let node = try #require(rows(try await call("search_resources", ["types": ["agent"], "platforms": ["pve"], "limit": 1])).first?["id"])
        let tree = try await call("get_topology", ["rootId": node, "depth": 1])
        let children = tree["roots"]?.arrayValue?.first?["children"]?.arrayValue ?? []
        #expect(!children.isEmpty)
        #expect(tree["nodeCount"]?.integerValue == Int64(children.count + 1))
        let roots = try await call("get_topology", ["depth": 1, "maxNodes": 5])
        #expect(roots["truncated"] == true)
        #expect(roots["nodeCount"] == 5)
        #expect(roots["roots"]?.arrayValue?.allSatisfy { $0["platform"] != "vmware-vsphere" } == true)
    }

    @Test("list_alerts: most severe first, unsupported platforms left out")
    func alerts() async throws {
        let alerts = rows(try await call("list_alerts", ["limit": 500]), "alerts")
        #expect(!alerts.isEmpty)
        let ranks = alerts.map { ["critical": 0, "warning": 1, "info": 2][$0["severity"]?.stringValue ?? ""] ?? 3 }
        #expect(ranks == ranks.sorted())
        #expect(alerts.allSatisfy { $0["platform"] != "vmware-vsphere" })
        let critical = rows(try await call("list_alerts", ["severities": ["critical"]]), "alerts")
        #expect(critical.allSatisfy { $0["severity"] == "critical" })
    }

    @Test("get_storage_summary: totals, fullest first, minUsage")
    func storage() async throws {
        let summary = try await call("get_storage_summary", ["limit": 500])
        #expect((summary["totals"]?.arrayValue ?? []).isEmpty == false)
        let usages = rows(summary).compactMap { $0["diskUsage"]?.doubleValue }
        #expect(usages == usages.sorted(by: >))
        let full = rows(try await call("get_storage_summary", ["minUsage": 0.8, "limit": 500]))
        #expect(full.allSatisfy { ($0["diskUsage"]?.doubleValue ?? 0) >= 0.8 })
        #expect(full.allSatisfy { ["storage", "ceph", "physical-disk"].contains($0["type"]?.stringValue ?? "") })
    }

    @Test("list_recovery_points: listed where recovery is supported, explained where it is n/a")
    func recoveryPoints() async throws {
        let store = try Fixtures.demoStores.store()
        let protected = try #require(try await store.database.read { db in
            try String.fetchOne(db, sql: "SELECT resourceId FROM recoveryPoint r JOIN resource x ON x.id = r.resourceId WHERE x.platform = 'proxmox-pve' LIMIT 1")
        })
        let listed = try await call("list_recovery_points", ["resourceId": .string(protected)])
        #expect(listed["available"] == true)
        #expect((listed["recoveryPoints"]?.arrayValue ?? []).isEmpty == false)

        let container = try #require(rows(try await call("search_resources", ["platforms": ["docker"], "types": ["app-container"], "limit": 1])).first?["id"])
        let explained = try await call("list_recovery_points", ["resourceId": container])
        #expect(explained["available"] == false)
        #expect(explained["recoverySurface"] == "n/a")
        #expect(explained["recoveryPoints"] == nil)
        #expect(explained["reason"]?.stringValue?.hasPrefix("Recovery is n/a for docker in the support matrix") == true)
    }

    @Test("get_metrics: downsampled history; an unknown metric lists the recorded ones")
    func metrics() async throws {
        let store = try Fixtures.demoStores.store()
        let sampled = try #require(try await store.database.read { db in
            try String.fetchOne(db, sql: """
                SELECT m.resourceId FROM metricSample m JOIN resource r ON r.id = m.resourceId
                WHERE m.metric = 'cpu' AND r.platform != 'vmware-vsphere' GROUP BY m.resourceId HAVING count(*) > 20 LIMIT 1
                """)
        })
        let history = try await call("get_metrics", ["resourceId": .string(sampled), "metric": "cpu", "maxPoints": 10])
        let points = history["points"]?.arrayValue ?? []
        #expect(!points.isEmpty && points.count <= 10)
        #expect(history["downsampled"] == true)
        #expect((history["sampleCount"]?.integerValue ?? 0) > 10)
        let text = try await refusal("get_metrics", ["resourceId": .string(sampled), "metric": "temperature"])
        #expect(text.contains("Recorded metrics:") && text.contains("cpu"))
        #expect(try await refusal("get_metrics", ["resourceId": .string(sampled), "metric": "cpu", "since": "yesterday"]).contains("`since`: \"yesterday\" is not an RFC 3339 time"))
    }
}
