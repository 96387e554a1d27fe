import Fleet
import JSON
import Policy
import ResourceStore
import Testing

/// One failing snapshot per validation rule of a resource, each with its exact message.
///
/// Each case adds records to the valid base snapshot (five resources, so a new one is
/// `resources[5]`), ingests it as a JSON document and expects exactly these errors; the same
/// snapshot as JSON Lines must break the same rules.
struct IngestValidationTests {
    typealias F = IngestFixtures

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var records: [(SnapshotRecordKind, JSONValue)]
        var expected: [String]
        var testDescription: String { name }

        init(_ name: String, _ records: [(SnapshotRecordKind, JSONValue)], _ expected: [String]) {
            self.name = name
            self.records = records
            self.expected = expected
        }

        init(_ name: String, resource changes: [String: JSONValue?], _ expected: String) {
            self.init(name, [(.resource, F.resource("vm/new", changes))], [expected])
        }
    }

    static let projectionRule = #"seed, Canonical Rules: "Platform work must project into canonical shared resources first. Do not add provider-local top-level resource types by default""#
    static let secretRule = "looks like a secret; a snapshot never carries secrets (an endpoint's token comes from the environment or a file named in configuration)"

    static let resourceCases: [Case] = [
        Case("provider-local type", resource: ["type": "esxi-host"],
             #"resources[5].type: not a canonical resource type; the canonical types are agent, vm, system-container, app-container, docker-service, k8s-cluster, k8s-node, pod, k8s-deployment, storage, ceph, physical-disk, pbs, pmg (value: "esxi-host"); "# + projectionRule),
        Case("unknown platform", resource: ["platform": "proxmox-ve"],
             #"resources[5].platform: unknown platform; known platforms: agent, docker, kubernetes, proxmox-pve, proxmox-pbs, proxmox-pmg, truenas, vmware-vsphere, unraid, synology-dsm, microsoft-hyperv, aws, azure, gcp; aliases: k8s, pve, proxmox, pbs, pmg, vmware, vsphere, synology, hyper-v, hyperv (value: "proxmox-ve")"#),
        Case("podman as a platform", resource: ["platform": "podman", "type": "app-container"],
             #"resources[5].platform: podman is a runtime variant, not a platform: it belongs in "technology", under the platform docker (value: "podman"); seed, Runtime Variants: "Runtime variants are not top-level platforms""#),
        Case("QEMU as a platform", resource: ["platform": "QEMU"],
             #"resources[5].platform: qemu is a runtime variant, not a platform: it belongs in "technology", under the platform proxmox-pve (value: "QEMU"); seed, Runtime Variants: "Runtime variants are not top-level platforms""#),
        Case("lxc as a platform", resource: ["platform": "lxc", "type": "system-container"],
             #"resources[5].platform: lxc is a runtime variant, not a platform: it belongs in "technology", under the platform proxmox-pve (value: "lxc"); seed, Runtime Variants: "Runtime variants are not top-level platforms""#),
        Case("type the platform does not project", resource: ["type": "pod"],
             #"resources[5].type: platform proxmox-pve does not project this type; its canonical projections are agent, vm, system-container, storage, ceph, physical-disk (value: "pod"); "# + projectionRule),
        Case("vSphere physical disk (outside phase 1)", resource: ["platform": "vmware-vsphere", "type": "physical-disk", "powerState": nil, "parentId": "agent/esx-1"],
             #"resources[5].type: platform vmware-vsphere does not project this type; its canonical projections are agent, vm, storage (value: "physical-disk"); "# + projectionRule),
        Case("presentation-only platform", resource: ["platform": "aws"],
             #"resources[5].platform: aws is presentation-only vocabulary, not a platform that projects resources (value: "aws"); seed, Current Inconsistencies To Treat Explicitly: "Those ids must not be interpreted as current support unless the classifications above say so""#),
        Case("presentation-only alias", resource: ["platform": "Hyper-V"],
             #"resources[5].platform: microsoft-hyperv is presentation-only vocabulary, not a platform that projects resources (value: "Hyper-V"); seed, Current Inconsistencies To Treat Explicitly: "Those ids must not be interpreted as current support unless the classifications above say so""#),
        Case("duplicate resource id", [(.resource, F.resource("vm/pve-a/101"))],
             [#"resources[5].id: duplicate resource id; first defined at resources[1] (value: "vm/pve-a/101")"#]),
        Case("dangling parent", resource: ["parentId": "agent/nowhere"],
             #"resources[5].parentId: no resource has this id; a parent must be a resource of the snapshot (value: "agent/nowhere")"#),
        Case("parent cycle", [(.resource, F.resource("vm/c1", ["parentId": "vm/c2"])), (.resource, F.resource("vm/c2", ["parentId": "vm/c1"]))],
             [#"resources[5].parentId: parent cycle (each → its parent): vm/c1 → vm/c2 → vm/c1 (value: "vm/c2")"#]),
        Case("own parent", resource: ["parentId": "vm/new"],
             #"resources[5].parentId: parent cycle (each → its parent): vm/new → vm/new (value: "vm/new")"#),
        Case("status", resource: ["status": "up"],
             #"resources[5].status: must be one of online, offline, warning, unknown (value: "up")"#),
        Case("power state", resource: ["powerState": "on"],
             #"resources[5].powerState: must be one of running, stopped, paused, unknown (value: "on")"#),
        Case("power state on storage", resource: ["type": "storage"],
             #"resources[5].powerState: applies only to workloads (vm, system-container, app-container, docker-service, pod, k8s-deployment), not to storage (value: "running")"#),
        Case("lastSeen not RFC 3339", resource: ["lastSeen": "2026-11-28 09:59"],
             #"resources[5].lastSeen: must be an RFC 3339 date-time such as 2026-11-28T10:00:00Z (value: "2026-11-28 09:59")"#),
        Case("cpu above 1", resource: ["metrics": ["cpu": 1.5]],
             "resources[5].metrics.cpu: must be a number from 0 to 1 (value: 1.5)"),
        Case("negative byte count", resource: ["metrics": ["memoryUsed": -1]],
             "resources[5].metrics.memoryUsed: must be an integer ≥ 0 (value: -1)"),
        Case("fractional uptime", resource: ["metrics": ["uptimeSeconds": 1.5]],
             "resources[5].metrics.uptimeSeconds: must be an integer ≥ 0 (value: 1.5)"),
        Case("used above total", resource: ["metrics": ["diskUsed": 50, "diskTotal": 40]],
             "resources[5].metrics.diskUsed: must not exceed metrics.diskTotal (40) (value: 50)"),
        Case("unknown metric", resource: ["metrics": ["load": 1]],
             "resources[5].metrics.load: unknown field; metrics has cpu, memoryUsed, memoryTotal, diskUsed, diskTotal, uptimeSeconds"),
        Case("missing name", resource: ["name": nil], "resources[5].name: is required"),
        Case("name of the wrong type", resource: ["name": 5], "resources[5].name: must be a non-empty string (value: 5)"),
        Case("null status", resource: ["status": .null],
             "resources[5].status: must be one of online, offline, warning, unknown (value: null)"),
        Case("tags not an array", resource: ["tags": "prod"], #"resources[5].tags: must be an array of strings (value: "prod")"#),
        Case("repeated tag", resource: ["tags": ["a", "a"]], #"resources[5].tags[1]: appears twice; each tag is given once (value: "a")"#),
        Case("identity value not a string", resource: ["identity": ["vmid": 101]],
             "resources[5].identity.vmid: must be a string (value: 101)"),
        Case("unknown field", resource: ["owner": "bob"],
             #"resources[5].owner: unknown field; a resource has id, type, platform, name, status, powerState, technology, parentId, tags, metrics, identity, sources, lastSeen, details"#),
        Case("secret field", resource: ["password": "hunter2"], "resources[5].password: " + secretRule),
        Case("secret deep in details", resource: ["details": ["auth": ["apiKey": "xyz"]]],
             "resources[5].details.auth.apiKey: " + secretRule),
        Case("secret in identity", resource: ["identity": ["api_token": "xyz"]], "resources[5].identity.api_token: " + secretRule),
    ]

    @Test(arguments: resourceCases)
    func rejectsAResourceThatBreaksARule(_ testCase: Case) throws {
        try Self.expectRejection(testCase)
    }

    /// Ingests the case's snapshot in both forms: the document gives exactly the expected errors,
    /// JSON Lines the same rules and values at its own paths.
    static func expectRejection(_ testCase: Case, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let snapshot = F.adding(testCase.records)
        let store = try ResourceStore.inMemory()
        let document = try #require(throws: SnapshotRejection.self, sourceLocation: sourceLocation) {
            try store.ingest(.bytes(F.document(snapshot)), manifest: F.manifest(), now: F.now)
        }
        #expect(document.errors.map(\.description) == testCase.expected, sourceLocation: sourceLocation)
        let lines = try #require(throws: SnapshotRejection.self, sourceLocation: sourceLocation) {
            try store.ingest(.bytes(F.lines(snapshot)), manifest: F.manifest(), now: F.now)
        }
        // A duplicate names where the first one was, which differs between the forms.
        let rule = { (error: SnapshotError) in error.rule.components(separatedBy: "; first defined at")[0] }
        #expect(lines.errors.map(rule) == document.errors.map(rule), sourceLocation: sourceLocation)
        #expect(lines.errors.map(\.value) == document.errors.map(\.value), sourceLocation: sourceLocation)
        #expect(lines.errors.allSatisfy { $0.path.hasPrefix("line ") }, sourceLocation: sourceLocation)
        #expect(try F.count("resource", in: store) == 0, "nothing was stored", sourceLocation: sourceLocation)
    }
}
