import JSON

/// The Docker platform of a site: `docker-01` (Swarm manager), `docker-02` (Swarm worker) and
/// `podman-01`, whose runtime variant is Podman — a `technology`, never a platform.
extension DemoFleetSite {
    static let dockerHostNames = ["docker-01", "docker-02", "podman-01"]

    func dockerHostName(_ host: Int) -> String { named(Self.dockerHostNames[host]) }
    func dockerHostID(_ host: Int) -> String { "agent/" + dockerHostName(host) }
    func isPodman(_ host: Int) -> Bool { host == 2 }

    /// The container that exited with code 137 (killed for memory): docker-02's fourth.
    func isOOMKilled(host: Int, slot: Int) -> Bool { host == 1 && slot == 3 }

    func containerName(host: Int, slot: Int) -> String {
        let ordinal = dockerContainerCounts[..<host].reduce(0, +) + slot
        return named(DemoFleetCatalog.name(DemoFleetCatalog.dockerContainers, at: ordinal))
    }

    func containerID(host: Int, slot: Int) -> String {
        "container/\(dockerHostName(host))/\(containerName(host: host, slot: slot))"
    }

    func dockerHostLoad(_ host: Int) -> DemoFleetLoad {
        var random = random(.dockerHost, host)
        return DemoFleetLoad(&random, memory: [.gib(32), .gib(64)], disk: [.gib(500), .gib(1000)], busy: 0.1...0.4)
    }

    func dockerResources(_ emit: (DemoFleetResource) throws -> Void) rethrows {
        for host in 0..<3 {
            try emit(dockerHost(host))
            for slot in 0..<dockerContainerCounts[host] {
                try emit(container(host: host, slot: slot))
            }
        }
        for service in 0..<serviceCount {
            var random = random(.service, service)
            let replicas = random.int(in: 1...4)
            let degraded = service == 2
            var resource = DemoFleetResource(
                id: "service/\(dockerHostName(0))/\(DemoFleetCatalog.swarmServices[service])", type: .dockerService,
                platform: "docker", name: named(DemoFleetCatalog.swarmServices[service]),
                status: degraded ? .warning : .online, technology: "swarm", parentID: dockerHostID(0),
                lastSeen: recently(&random))
            resource.tags = ["prod"]
            resource.identity = ["serviceId": .string(DemoFleetRandom.hex(random.next(), width: 16))]
            resource.details = [
                "mode": "replicated", "replicas": .integer(Int64(replicas)),
                "runningReplicas": .integer(Int64(degraded ? replicas - 1 : replicas)),
                "image": .string("registry.example.internal/\(DemoFleetCatalog.swarmServices[service]):1.\(service)"),
            ]
            try emit(resource)
        }
    }

    private func dockerHost(_ host: Int) -> DemoFleetResource {
        var random = random(.dockerHost, host + 100)
        let name = dockerHostName(host)
        var resource = DemoFleetResource(
            id: dockerHostID(host), type: .agent, platform: "docker", name: name, status: .online,
            technology: isPodman(host) ? "podman" : "docker", parentID: nil, lastSeen: recently(&random))
        resource.tags = host == 2 ? ["staging"] : ["prod"]
        resource.metrics = dockerHostLoad(host).metrics(now: now)
        resource.identity = [
            "hostname": .string(name), "ip": .string(address(group: 2, host: 21 + host)),
            "machineId": .string(random.machineID()), "containerRuntime": .string(isPodman(host) ? "podman" : "docker"),
        ]
        resource.details = isPodman(host)
            ? ["runtimeVersion": "5.2.5", "rootless": true]
            : ["runtimeVersion": "27.3.1", "swarmRole": .string(host == 0 ? "manager" : "worker")]
        return resource
    }

    private func container(host: Int, slot: Int) -> DemoFleetResource {
        let ordinal = dockerContainerCounts[..<host].reduce(0, +) + slot
        var random = random(.container, ordinal)
        let killed = isOOMKilled(host: host, slot: slot)
        let power: DemoFleetResource.Power = killed ? .stopped : random.chance(0.88) ? .running : .stopped
        let load = DemoFleetLoad(&random, memory: DemoFleetCatalog.appMemory, disk: nil,
                                 busy: 0.01...0.3, running: power == .running)
        let name = containerName(host: host, slot: slot)
        var resource = DemoFleetResource(
            id: containerID(host: host, slot: slot), type: .appContainer, platform: "docker", name: name,
            status: .init(power), power: power, technology: isPodman(host) ? "podman" : "docker",
            parentID: dockerHostID(host), lastSeen: recently(&random))
        resource.tags = [random.pick(DemoFleetCatalog.containerEnvironments)]
        resource.metrics = load.metrics(now: now)
        resource.identity = ["containerId": .string(DemoFleetRandom.hex(random.next(), width: 12))]
        let image = DemoFleetCatalog.dockerContainers[ordinal % DemoFleetCatalog.dockerContainers.count]
        resource.details = ["image": .string(image + ":latest"), "restartPolicy": "unless-stopped"]
        if power == .stopped { resource.details["exitCode"] = .integer(killed ? 137 : 0) }
        return resource
    }
}
