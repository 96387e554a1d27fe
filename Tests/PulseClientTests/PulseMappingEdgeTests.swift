import Fleet
import JSON
import Testing
@testable import PulseClient

@Suite("PulseMapping: rows the fixture does not show")
struct PulseMappingEdgeTests {
    /// The fixture's Proxmox VM with `changes` applied on top.
    static func vm(_ changes: [(String, JSONValue?)]) throws -> JSONObject {
        var row = try PulseFixtures.row("vm-9493142bd2bf2b8e")
        for (key, value) in changes { row[key] = value }
        return row
    }

    static func map(_ row: JSONObject) -> PulseMappingOutcome<PulseMappedResource> {
        var mapping = PulseMapping(manifest: PulseFixtures.manifest)
        return mapping.resource(row)
    }

    @Test func unknownFieldsAndFacetsAreKeptUnderDetails() throws {
        // Given a row with a field and a facet Pulse may add one day
        let row = try Self.vm([
            ("futureField", ["nested": [1, 2, 3]]), ("xcpng", ["poolId": "p1", "hosts": 3]),
            ("virtualMachine", ["runtimeState": "running", "hypervisor": "kvm", "vcpus": 4]),
        ])
        // When it is mapped
        let record = try #require(Self.map(row).record?.record)
        // Then the unknown ones are under details.pulse.fields and the known facet under facets, as sent
        let details = try #require(record.pulseDetails)
        #expect(details["fields"]?["futureField"] == ["nested": [1, 2, 3]])
        #expect(details["fields"]?["xcpng"] == ["poolId": "p1", "hosts": 3])
        #expect(details["facets"]?["virtualMachine"]?["vcpus"] == 4)
        #expect(details["fields"]?["canonicalIdentity"]?["primaryId"] == "vm:pve-lab:pve1:101")
        #expect(Validation.errors(record, .resource) == [])
    }

    @Test func keysThatLookLikeCredentialsAreWithheldByPath() throws {
        var agent = try #require(try PulseFixtures.row(PulseMappingTests.pve1).object("agent"))
        agent["tokenId"] = "tok-1"
        agent["tokenName"] = "pve1 agent"
        var docker = JSONObject()
        docker["labels"] = ["com.example.api_key": "x", "app": "web"]
        var row = try PulseFixtures.row(PulseMappingTests.pve1)
        row["agent"] = .object(agent)
        row["docker"] = .object(docker)
        row["clientSecret"] = "s"
        let record = try #require(Self.map(row).record?.record)
        let withheld = record.pulseDetails?["withheld"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(
            withheld == [
                "facets.agent.tokenId", "facets.agent.tokenName", "facets.docker.labels.com.example.api_key",
                "fields.clientSecret",
            ]
        )
        #expect(record.pulseDetails?["facets"]?["docker"]?["labels"] == ["app": "web"])
        #expect(record.pulseDetails?["facets"]?["agent"]?["agentId"] == "host-3f1c2a9e")
        #expect(Validation.errors(record, .resource) == [])
    }

    @Test func integersWhereStringsAreWantedAreAccepted() throws {
        var proxmox = try #require(try PulseFixtures.row("vm-9493142bd2bf2b8e").object("proxmox"))
        proxmox["sourceId"] = 101
        let row = try Self.vm([("name", 4242), ("proxmox", .object(proxmox)), ("tags", ["prod", 7, "prod"])])
        let mapped = try #require(Self.map(row).record)
        #expect(mapped.record["name"] == "4242")
        #expect(mapped.record["tags"] == ["prod", "7"])
        #expect(mapped.aliases.contains(PulseAlias("101", .source)))
        #expect(mapped.record.pulseDetails?["facets"]?["proxmox"]?["vmid"] == 101)
        #expect(Validation.errors(mapped.record, .resource) == [])
    }

    /// Malformed rows: skipped with their id (when they have one) and the reason.
    static let malformedRows: [(JSONObject, String?, String)] = [
        (["type": "vm", "name": "x"], nil, "malformed row: it has no id"),
        (["id": "vm-1", "name": "x"], "vm-1", "malformed row: it has no type"),
        (["id": "vm-2", "type": "vm", "name": ["first": "x"]], "vm-2", "malformed row: its name is object, not a string"),
        (["id": "vm-3", "type": 12], "vm-3", "malformed row: it has no type"),
        (["id": "", "type": "vm"], nil, "malformed row: it has no id"),
    ]

    @Test(arguments: malformedRows)
    func malformedRowsAreSkippedWithTheirIdAndReason(_ row: JSONObject, id: String?, reason: String) {
        let skip = Self.map(row).skip
        #expect(skip?.id == id)
        #expect(skip?.reason == reason)
    }

    @Test func aRowThatIsNotAnObjectIsSkipped() {
        var mapping = PulseMapping(manifest: PulseFixtures.manifest)
        #expect(mapping.resource(.string("vm-1")).skip?.reason == "malformed row: the row is string, not an object")
    }

    /// Platform derivation and the projection check (seed: a platform owns only the types it projects).
    static let projectionRows: [(JSONObject, String?)] = [
        (["id": "ceph-9", "type": "ceph", "name": "c", "status": "online", "sources": ["agent"]],
         "platform agent does not project ceph; its canonical projections are agent, storage, physical-disk (seed rule)"),
        (["id": "storage-9", "type": "storage", "name": "s", "status": "online", "sources": ["agent"],
          "storage": ["platform": "unraid"]], nil),
        (["id": "storage-8", "type": "storage", "name": "s", "status": "online", "sources": [],
          "storage": ["platform": "unraid"]], "Pulse places it on the platform \"generic\", which is not one of ours"),
        (["id": "vm-vs", "type": "system-container", "name": "s", "status": "online", "vmware": ["powerState": "POWERED_OFF"]],
         "platform vmware-vsphere does not project system-container; its canonical projections are agent, vm, storage (seed rule)"),
        (["id": "physical_disk-x", "type": "physical_disk", "name": "x", "status": "online", "sources": ["unraid"]],
         "platform unraid is presentation-only vocabulary, which projects no resources (seed rule)"),
    ]

    @Test(arguments: projectionRows)
    func platformsProjectOnlyTheirTypes(_ row: JSONObject, skip reason: String?) {
        let outcome = Self.map(row)
        #expect(outcome.skip?.reason == reason)
        if reason == nil {
            #expect(outcome.record?.record["platform"] == "agent")
        }
    }

    /// Power states from each facet (only workloads carry one).
    static let powerStateRows: [(String, JSONValue, String, String)] = [
        ("vmware", ["powerState": "POWERED_OFF"], "vm", "stopped"),
        ("vmware", ["powerState": "SUSPENDED"], "vm", "paused"),
        ("vmware", ["powerState": "poweredOn"], "vm", "running"),
        ("docker", ["containerState": "exited"], "app-container", "stopped"),
        ("docker", ["containerState": "restarting"], "app-container", "unknown"),
        ("kubernetes", ["podPhase": "Succeeded"], "pod", "stopped"),
        ("kubernetes", ["podPhase": "Pending"], "pod", "unknown"),
        ("truenas", ["app": ["state": "STOPPED"]], "app-container", "stopped"),
        ("proxmox", ["runtimeStatus": "paused"], "vm", "paused"),
        ("proxmox", ["runtimeStatus": "hibernating"], "vm", "unknown"),
    ]

    @Test(arguments: powerStateRows)
    func powerStates(_ facet: String, _ value: JSONValue, _ type: String, _ state: String) {
        var row: JSONObject = ["id": "x-1", "type": .string(type), "name": "x", "status": "online"]
        row[facet] = value
        let record = Self.map(row).record?.record
        #expect(record?["powerState"]?.stringValue == state)
        if let record { #expect(Validation.errors(record, .resource) == []) }
    }

    @Test func aNonWorkloadCarriesNoPowerState() throws {
        let record = try #require(Self.map(try PulseFixtures.row(PulseMappingTests.pve1)).record?.record)
        #expect(record["powerState"] == nil)
    }

    @Test func oddValuesAreStoredWithANote() throws {
        // Given a row with an unknown status, a CPU above 100 %, memory used above its total,
        // a zero lastSeen and an unknown runtime status
        let row = try Self.vm([
            ("status", "degraded"), ("lastSeen", "0001-01-01T00:00:00Z"),
            ("metrics", ["cpu": ["value": 150.0, "percent": 150.0], "memory": ["used": 10, "total": 8], "disk": ["value": 0]]),
        ])
        let record = try #require(Self.map(row).record?.record)
        #expect(record["status"] == "unknown")
        #expect(record["lastSeen"] == nil)
        #expect(record["metrics"]?["cpu"] == 1.0)
        #expect(record["metrics"]?["memoryUsed"] == 8)
        let notes = record.pulseDetails?["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(notes == [
            "status \"degraded\" is not one of online, offline, warning, unknown; stored as unknown",
            "metrics.memory.used 10 exceeds its total 8; stored as the total",
        ])
        #expect(Validation.errors(record, .resource) == [])
    }

    @Test func anIdleCPUWithoutPercentReadsItsValue() throws {
        let row = try Self.vm([("metrics", ["cpu": ["value": 0, "unit": "percent"]])])
        #expect(Self.map(row).record?.record["metrics"]?["cpu"] == 0.0)
    }

    @Test func scopesWeDoNotKnowAreLeftOutOfSources() throws {
        let row = try Self.vm([("platformScopes", ["proxmox-pve", "availability", "docker", "proxmox-pve"])])
        #expect(Self.map(row).record?.record["sources"] == ["proxmox-pve", "docker"])
    }
}

@Suite("PulseSecretKey agrees with the snapshot validator")
struct PulseSecretKeyTests {
    static let tricky = [
        "token", "Token", "tokenId", "tokenHint", "apiToken", "api_key", "API-KEY", "apiKey", "apikeys", "x-api-key",
        "password", "adminPassword", "pass_word", "PASSWORD", "secret", "secretName", "clientSecret", "secretCount",
        "automountServiceAccountToken", "imagePullSecrets", "tok", "toke", "passwor", "secre", "apike", "t-o-k-e-n",
        "s_e_c_r_e_t", "tokens", "mytokenx", "é-token", "", "k", "keyring", "passwd", "sekret", "tokn",
    ]

    /// Every key anywhere in the fixture files.
    static func fixtureKeys() throws -> Set<String> {
        var keys = Set<String>()
        func walk(_ value: JSONValue) {
            switch value.plain {
            case .object(let object):
                for (key, element) in object {
                    keys.insert(key)
                    walk(element)
                }
            case .array(let elements): elements.forEach(walk)
            default: break
            }
        }
        for name in PulseFixtures.names { walk(try PulseFixtures.json(name)) }
        return keys
    }

    @Test func everyKeyIsJudgedAsTheValidatorJudgesIt() throws {
        let keys = try Self.fixtureKeys().union(Self.tricky)
        #expect(keys.count > 300)
        for key in keys {
            #expect(PulseSecretKey.matches(key) == SnapshotVocabulary.looksSecret(key), "\(key)")
        }
    }
}
