import JSON
import Testing

@testable import Fleet

/// What the demo must contain for the read and control tools to have something to show.
@Suite struct DemoFleetContentTests {
    private let resources = DemoFleetFixture.resources
    private let agents = DemoFleetFixture.objects("agent")
    private var ids: Set<String> { Set(resources.compactMap { $0["id"]?.stringValue }) }

    /// Seconds since the agent's last heartbeat at the demo clock.
    private func heartbeatAge(_ agent: JSONObject) -> Int64 {
        let beat = agent["lastHeartbeat"]?.stringValue.flatMap(Timestamp.init)
        return DemoFleet.defaultNow.secondsSince1970 - (beat?.secondsSince1970 ?? 0)
    }

    @Test func pveNodesCoverEveryAgentSituation() throws {
        // Given the PVE nodes and the agents by host
        let nodes = resources.filter { $0["platform"] == "proxmox-pve" && $0["type"] == "agent" }
        #expect((3...4).contains(nodes.count))
        var agentByHost: [String: JSONObject] = [:]
        for agent in agents {
            if let host = agent["hostResourceId"]?.stringValue { agentByHost[host] = agent }
        }
        let situations = nodes.map { node -> String in
            guard let agent = agentByHost[node["id"]?.stringValue ?? ""] else { return "absent" }
            if agent["commandsEnabled"] == false { return "commandsDisabled" }
            return heartbeatAge(agent) > 600 ? "stale" : "healthy"
        }
        // Then there is one of each, and the node without an agent is reported by the API alone
        #expect(situations == ["healthy", "commandsDisabled", "stale", "absent"])
        #expect(nodes.last?["sources"] == ["proxmox-pve"])
        #expect(nodes.first?["sources"] == ["proxmox-pve", "agent"])
        #expect(nodes.allSatisfy { $0["identity"]?["clusterName"] == "lab" && $0["technology"] == "pve" })
    }

    @Test func guestsMixPowerStatesWithExactlyOnePaused() {
        let guests = resources.filter {
            $0["platform"] == "proxmox-pve" && ($0["type"] == "vm" || $0["type"] == "system-container")
        }
        let states = guests.compactMap { $0["powerState"]?.stringValue }
        #expect(states.filter { $0 == "paused" }.count == 1)
        #expect(states.filter { $0 == "stopped" }.count >= 3)
        #expect(states.filter { $0 == "running" }.count > guests.count * 2 / 3)
        #expect(guests.allSatisfy { $0["technology"] == ($0["type"] == "vm" ? "qemu" : "lxc") })
    }

    @Test func oneDockerHostRunsPodman() throws {
        let hosts = resources.filter { $0["platform"] == "docker" && $0["type"] == "agent" }
        let podman = try #require(hosts.first { $0["technology"] == "podman" })
        #expect(podman["identity"]?["containerRuntime"] == "podman")
        #expect(agents.contains { $0["hostResourceId"] == podman["id"] })
        #expect(hosts.count == 3)
        #expect(resources.contains { $0["platform"] == "docker" && $0["type"] == "docker-service" })
    }

    @Test func anotherEndpointDirectoryMovesEverySocket() {
        var endpoints: [String] = []
        DemoFleet(endpointDirectory: "/tmp/elsewhere").records { record in
            switch record {
            case .agent(let object), .connection(let object): endpoints.append(object["endpoint"]?.stringValue ?? "")
            default: break
            }
        }
        #expect(endpoints.count == 16)
        #expect(DemoFleet(endpointDirectory: "/tmp/elsewhere").controlEndpoints.map(\.endpoint) == endpoints)
        #expect(endpoints.allSatisfy { $0.hasPrefix("unix:/tmp/elsewhere/") && $0.hasSuffix(".sock") })
    }

    @Test func agentsAndConnectionsPointAtResources() throws {
        for agent in agents {
            #expect(ids.contains(agent["hostResourceId"]?.stringValue ?? ""))
            #expect(agent["endpoint"]?.stringValue?.hasPrefix("unix:/tmp/pulse-demo/") == true)
        }
        let kubernetesAgent = try #require(agents.first { $0["id"] == "pulse-agent/k8s-prod" })
        #expect(kubernetesAgent["hostResourceId"] == "k8s-cluster/k8s-prod")
        let connections = DemoFleetFixture.objects("connection")
        #expect(connections.map { $0["endpoint"]?.stringValue } == [
            "unix:/tmp/pulse-demo/truenas-nas-01.sock", "unix:/tmp/pulse-demo/proxmox-pve-lab.sock",
            "unix:/tmp/pulse-demo/proxmox-pbs-pbs-01.sock", "unix:/tmp/pulse-demo/proxmox-pmg-pmg-01.sock",
        ])
        let trueNAS = try #require(connections.first { $0["platform"] == "truenas" })
        #expect(trueNAS["rootResourceId"] == "agent/nas-01" && trueNAS["controlEnabled"] == true)
        for connection in connections { #expect(ids.contains(connection["rootResourceId"]?.stringValue ?? "")) }
    }

    @Test(arguments: [
        ("storage-full", "storage/pbs-01/offsite", "critical"), ("host-offline", "agent/build-01", "critical"),
        ("disk-degraded", "disk/nas-01/sdc", "warning"), ("agent-stale", "agent/pve-c", "warning"),
        ("guest-paused", nil, "info"), ("pod-crashloop", nil, "warning"),
    ] as [(String, String?, String)])
    func alertsPointAtTroubledResources(code: String, resourceID: String?, severity: String) throws {
        let alert = try #require(DemoFleetFixture.objects("alert").first {
            $0["id"]?.stringValue?.hasPrefix("alert/\(code)/") == true
        })
        let target = try #require(alert["resourceId"]?.stringValue)
        if let resourceID { #expect(target == resourceID) }
        #expect(alert["severity"]?.stringValue == severity)
        let resource = try #require(resources.first { $0["id"]?.stringValue == target })
        if code != "agent-stale" { #expect(resource["status"] != "online", "\(target) should look troubled") }
    }

    @Test func recoveryPointsCoverGuestsAndSomeAreUnverified() {
        let points = DemoFleetFixture.objects("recoveryPoint")
        #expect(points.allSatisfy { ids.contains($0["resourceId"]?.stringValue ?? "") })
        let backups = points.filter { $0["kind"] == "backup" }
        #expect(backups.allSatisfy { $0["platform"] == "proxmox-pbs" })
        #expect(Set(backups.compactMap { $0["resourceId"]?.stringValue }).count > 60)
        #expect(backups.contains { $0["verified"] == false })
        #expect(points.contains { $0["kind"] == "snapshot" && $0["platform"] == "proxmox-pve" })
        #expect(points.contains { $0["kind"] == "snapshot" && $0["platform"] == "truenas" })
        #expect(!points.contains { ($0["resourceId"]?.stringValue ?? "").contains("vc-01") })
    }

    @Test func metricHistoryIsFiveMinutelyAndEndsOnTheResourcesValue() throws {
        let samples = DemoFleetFixture.objects("metricSample")
        let cpuSamples = samples.filter { $0["metric"] == "cpu" }
        let cpuSeries = Dictionary(grouping: cpuSamples) { $0["resourceId"]?.stringValue ?? "" }
        #expect((24...60).contains(cpuSeries.count))
        for (id, series) in cpuSeries {
            #expect(series.count == 288)
            let times = series.compactMap { $0["at"]?.stringValue.flatMap(Timestamp.init)?.secondsSince1970 }
            #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 == 300 })
            #expect(times.last == DemoFleet.defaultNow.secondsSince1970)
            let resource = try #require(resources.first { $0["id"]?.stringValue == id })
            #expect(series.last?["value"] == resource["metrics"]?["cpu"], "\(id)")
        }
        #expect(samples.contains { $0["metric"] == "memoryUsed" } && samples.contains { $0["metric"] == "diskUsed" })
    }

    @Test func noSecretsAnywhere() throws {
        let text = DemoFleetFixture.records.map { JSONSerializer.string($0.jsonLine) }.joined(separator: "\n")
        for word in ["token", "password", "secret", "apikey"] { #expect(!text.lowercased().contains(word)) }
    }
}
