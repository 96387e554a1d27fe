import Fleet
import JSON
import Policy
import ResourceStore
import Testing

/// One failing snapshot per validation rule of agents, connections, alerts, recovery points and
/// metric samples, each with its exact message. The base snapshot has one record of each kind, so
/// an added one is `agents[1]`, `alerts[1]` and so on.
struct IngestRecordValidationTests {
    typealias F = IngestFixtures
    typealias Case = IngestValidationTests.Case

    static func adding(_ kind: SnapshotRecordKind, _ changes: [String: JSONValue?], _ name: String, _ expected: String) -> Case {
        Case(name, [(kind, F.record(kind, changes))], [expected])
    }

    static let dangling = "no resource has this id"
    static let endpointRule = "must be an endpoint unix:/absolute/path, tcp:host:port or pulse:AGENT_ID"

    static let cases: [Case] = [
        // Agents
        adding(.agent, ["hostResourceId": "agent/none"], "agent host that does not exist",
               #"agents[1].hostResourceId: \#(dangling) (value: "agent/none")"#),
        adding(.agent, ["endpoint": "http://10.0.0.1:7700"], "agent endpoint as a URL",
               #"agents[1].endpoint: \#(endpointRule) (value: "http://10.0.0.1:7700")"#),
        adding(.agent, ["endpoint": "tcp:127.0.0.1:70000"], "agent endpoint port out of range",
               #"agents[1].endpoint: \#(endpointRule) (value: "tcp:127.0.0.1:70000")"#),
        adding(.agent, ["endpoint": "unix:run/pulse.sock"], "agent socket path not absolute",
               #"agents[1].endpoint: \#(endpointRule) (value: "unix:run/pulse.sock")"#),
        adding(.agent, ["commandsEnabled": "yes"], "commandsEnabled not a boolean",
               #"agents[1].commandsEnabled: must be true or false (value: "yes")"#),
        adding(.agent, ["id": "pulse-agent/pve-a"], "duplicate agent id",
               #"agents[1].id: duplicate agent id (value: "pulse-agent/pve-a")"#),
        adding(.agent, ["lastHeartbeat": 1_795_860_000], "heartbeat as a number",
               "agents[1].lastHeartbeat: must be an RFC 3339 date-time such as 2026-11-28T10:00:00Z (value: 1795860000)"),
        adding(.agent, ["endpoint": nil], "agent without endpoint", "agents[1].endpoint: is required"),
        // Connections
        adding(.connection, ["platform": "docker"], "connection to an agent-backed platform",
               #"connections[1].platform: a platform connection needs a supported api-backed platform (proxmox-pve, proxmox-pbs, proxmox-pmg, truenas); docker is agent-backed (value: "docker")"#),
        adding(.connection, ["platform": "vmware"], "connection to an admitted platform",
               #"connections[1].platform: a platform connection needs a supported api-backed platform (proxmox-pve, proxmox-pbs, proxmox-pmg, truenas); vmware-vsphere is admitted, not supported (value: "vmware"); seed, Pre-Support Readiness Stages: "first-lab-ready is an implementation checkpoint, not a support claim""#),
        adding(.connection, ["platform": "synology"], "connection to presentation-only vocabulary",
               #"connections[1].platform: a platform connection needs a supported api-backed platform (proxmox-pve, proxmox-pbs, proxmox-pmg, truenas); synology-dsm is presentation-only, not supported (value: "synology"); seed, Current Inconsistencies To Treat Explicitly: "Those ids must not be interpreted as current support unless the classifications above say so""#),
        adding(.connection, ["rootResourceId": "agent/none"], "connection root that does not exist",
               #"connections[1].rootResourceId: \#(dangling) (value: "agent/none")"#),
        adding(.connection, ["token": "s3cr3t"], "connection carrying its token",
               "connections[1].token: " + IngestValidationTests.secretRule),
        adding(.connection, ["id": "truenas/nas-1"], "duplicate connection id",
               #"connections[1].id: duplicate connection id (value: "truenas/nas-1")"#),
        adding(.connection, ["endpoint": "tcp::7701"], "connection endpoint without host",
               #"connections[1].endpoint: \#(endpointRule) (value: "tcp::7701")"#),
        // Alerts
        adding(.alert, ["severity": "major"], "alert severity",
               #"alerts[1].severity: must be one of critical, warning, info (value: "major")"#),
        adding(.alert, ["since": "2026-13-01T00:00:00Z"], "alert since not a date",
               #"alerts[1].since: must be an RFC 3339 date-time such as 2026-11-28T10:00:00Z (value: "2026-13-01T00:00:00Z")"#),
        adding(.alert, ["resourceId": "vm/none"], "alert on a resource that does not exist",
               #"alerts[1].resourceId: \#(dangling) (value: "vm/none")"#),
        adding(.alert, ["id": "alert-1"], "duplicate alert id", #"alerts[1].id: duplicate alert id (value: "alert-1")"#),
        adding(.alert, ["message": nil], "alert without message", "alerts[1].message: is required"),
        adding(.alert, ["acknowledged": true], "unknown alert field",
               "alerts[1].acknowledged: unknown field; an alert has id, resourceId, severity, message, since"),
        // Recovery points
        adding(.recoveryPoint, ["kind": "replica"], "recovery point kind",
               #"recoveryPoints[1].kind: must be one of backup, snapshot (value: "replica")"#),
        adding(.recoveryPoint, ["sizeBytes": -5], "negative backup size",
               "recoveryPoints[1].sizeBytes: must be an integer ≥ 0 (value: -5)"),
        adding(.recoveryPoint, ["platform": "veeam"], "recovery point of an unknown platform",
               #"recoveryPoints[1].platform: unknown platform; known platforms: agent, docker, kubernetes, proxmox-pve, proxmox-pbs, proxmox-pmg, truenas, vmware-vsphere, unraid, synology-dsm, microsoft-hyperv, aws, azure, gcp; aliases: k8s, pve, proxmox, pbs, pmg, vmware, vsphere, synology, hyper-v, hyperv (value: "veeam")"#),
        adding(.recoveryPoint, ["resourceId": "vm/none"], "recovery point of a resource that does not exist",
               #"recoveryPoints[1].resourceId: \#(dangling) (value: "vm/none")"#),
        adding(.recoveryPoint, ["id": "rp-1"], "duplicate recovery point id",
               #"recoveryPoints[1].id: duplicate recovery point id (value: "rp-1")"#),
        // Metric samples
        adding(.metricSample, ["value": "high"], "sample value not a number",
               #"metricSamples[1].value: must be a finite number (value: "high")"#),
        adding(.metricSample, ["value": 1.5], "cpu sample above 1",
               "metricSamples[1].value: a cpu sample must be a number from 0 to 1 (value: 1.5)"),
        adding(.metricSample, ["at": "2026-11-28T09:50:00Z"], "duplicate sample",
               "metricSamples[1]: duplicate metric sample: vm/pve-a/101 already has cpu at 2026-11-28T09:50:00Z"),
        adding(.metricSample, ["resourceId": "vm/none"], "sample of a resource that does not exist",
               #"metricSamples[1].resourceId: \#(dangling) (value: "vm/none")"#),
        adding(.metricSample, ["metric": ""], "empty metric name",
               #"metricSamples[1].metric: must be a non-empty string (value: "")"#),
    ]

    @Test(arguments: cases)
    func rejectsARecordThatBreaksARule(_ testCase: Case) throws {
        try IngestValidationTests.expectRejection(testCase)
    }

    @Test func samplesOfOtherMetricsMayExceedOne() throws {
        let snapshot = F.adding([(.metricSample, F.record(.metricSample, ["metric": "netIn", "value": 1_250_000]))])
        let summary = try ResourceStore.inMemory().ingest(.bytes(F.document(snapshot)), manifest: F.manifest(), now: F.now)
        #expect(summary.count(.metricSample) == 2)
    }
}
