import JSON

/// The Kubernetes platform of a site: one cluster, a control-plane node, workers, deployments, pods.
///
/// Pods are parented to the **node** they are scheduled on, never to their deployment: the
/// topology a person walks is cluster → node → pod (DESIGN §4's `get_topology`), and a node's
/// trouble is then one subtree. The owning deployment is named in the pod's `details`
/// (`deployment`, `deploymentId`). Deployments are children of the cluster.
extension DemoFleetSite {
    var k8sClusterName: String { named("k8s-prod") }
    var k8sClusterID: String { "k8s-cluster/" + k8sClusterName }

    /// Node 0 is the control plane, nodes 1… are workers.
    func k8sNodeName(_ node: Int) -> String { named(node == 0 ? "k8s-cp-1" : "k8s-worker-\(node)") }
    func k8sNodeID(_ node: Int) -> String { "k8s-node/\(k8sClusterName)/\(k8sNodeName(node))" }
    var k8sNodeCount: Int { 1 + workerCount }

    func deploymentID(_ deployment: Int) -> String {
        let entry = DemoFleetCatalog.deployments[deployment % DemoFleetCatalog.deployments.count]
        return "deployment/\(k8sClusterName)/\(entry.namespace)/\(deploymentName(deployment))"
    }

    func deploymentName(_ deployment: Int) -> String {
        named(DemoFleetCatalog.name(DemoFleetCatalog.deploymentNames, at: deployment))
    }

    /// The crashlooping pod an alert points at: the first replica of the third deployment (`worker`).
    func isCrashLooping(deployment: Int, replica: Int) -> Bool { deployment == 2 && replica == 0 }

    /// The pod's name, `<deployment>-<replica-set hash>-<5 chars>`; the last character is the
    /// replica's own, so pods of one deployment never clash.
    func podName(deployment: Int, replica: Int) -> String {
        let alphabet = Self.podNameAlphabet
        var bytes = Array(deploymentName(deployment).utf8)
        bytes.append(UInt8(ascii: "-"))
        var random = random(.deployment, deployment)
        for _ in 0..<10 { bytes.append(random.pick(alphabet)) }
        bytes.append(UInt8(ascii: "-"))
        var own = self.random(.pod, deployment * 64 + replica)
        for _ in 0..<4 { bytes.append(own.pick(alphabet)) }
        bytes.append(alphabet[replica % alphabet.count])
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The characters Kubernetes uses in generated name suffixes (no vowels, no look-alikes).
    private static let podNameAlphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)

    func podID(deployment: Int, replica: Int) -> String {
        let entry = DemoFleetCatalog.deployments[deployment % DemoFleetCatalog.deployments.count]
        return "pod/\(k8sClusterName)/\(entry.namespace)/\(podName(deployment: deployment, replica: replica))"
    }

    func k8sNodeLoad(_ node: Int) -> DemoFleetLoad {
        var random = random(.k8sNode, node)
        return DemoFleetLoad(&random, memory: [.gib(16), .gib(32)], disk: [.gib(100), .gib(200)], busy: 0.1...0.55)
    }

    func kubernetesResources(_ emit: (DemoFleetResource) throws -> Void) rethrows {
        var random = random(.k8sCluster)
        var cluster = DemoFleetResource(
            id: k8sClusterID, type: .k8sCluster, platform: "kubernetes", name: k8sClusterName, status: .online,
            technology: "k3s", parentID: nil, lastSeen: recently(&random))
        cluster.tags = ["prod"]
        cluster.identity = ["clusterName": .string(k8sClusterName), "clusterUid": .string(random.machineID())]
        cluster.details = ["version": "v1.31.4+k3s1", "nodes": .integer(Int64(k8sNodeCount))]
        try emit(cluster)
        for node in 0..<k8sNodeCount {
            var nodeRandom = self.random(.k8sNode, node + 100)
            var resource = DemoFleetResource(
                id: k8sNodeID(node), type: .k8sNode, platform: "kubernetes", name: k8sNodeName(node), status: .online,
                technology: "k3s", parentID: k8sClusterID, lastSeen: recently(&nodeRandom))
            resource.tags = ["prod"]
            resource.metrics = k8sNodeLoad(node).metrics(now: now)
            resource.identity = [
                "hostname": .string(k8sNodeName(node)), "ip": .string(address(group: 2, host: 31 + node)),
                "clusterName": .string(k8sClusterName), "machineId": .string(nodeRandom.machineID()),
            ]
            resource.details = ["roles": .string(node == 0 ? "control-plane" : "worker"), "kubelet": "v1.31.4+k3s1"]
            try emit(resource)
        }
        for deployment in replicas.indices {
            try emit(self.deployment(deployment))
        }
        for deployment in replicas.indices {
            for replica in 0..<replicas[deployment] { try emit(pod(deployment: deployment, replica: replica)) }
        }
    }

    private func deployment(_ deployment: Int) -> DemoFleetResource {
        var random = random(.deployment, deployment + 1_000)
        let entry = DemoFleetCatalog.deployments[deployment % DemoFleetCatalog.deployments.count]
        let wanted = replicas[deployment]
        let ready = (0..<wanted).filter { !isCrashLooping(deployment: deployment, replica: $0) }.count
        var resource = DemoFleetResource(
            id: deploymentID(deployment), type: .k8sDeployment, platform: "kubernetes",
            name: deploymentName(deployment), status: ready < wanted ? .warning : .online, technology: "kubernetes",
            parentID: k8sClusterID, lastSeen: recently(&random))
        resource.tags = [entry.namespace == "shop" ? "prod" : "platform"]
        resource.identity = ["namespace": .string(entry.namespace), "uid": .string(random.machineID())]
        resource.details = [
            "namespace": .string(entry.namespace), "replicas": .integer(Int64(wanted)),
            "readyReplicas": .integer(Int64(ready)), "strategy": "RollingUpdate",
        ]
        return resource
    }

    private func pod(deployment: Int, replica: Int) -> DemoFleetResource {
        var random = random(.pod, deployment * 64 + replica + 100_000)
        let entry = DemoFleetCatalog.deployments[deployment % DemoFleetCatalog.deployments.count]
        let crashing = isCrashLooping(deployment: deployment, replica: replica)
        // System pods run on the control plane; the rest are spread over the workers.
        let node = entry.namespace == "kube-system" ? 0 : 1 + (deployment + replica) % workerCount
        let load = DemoFleetLoad(&random, memory: DemoFleetCatalog.podMemory, disk: nil, busy: 0.01...0.35)
        var resource = DemoFleetResource(
            id: podID(deployment: deployment, replica: replica), type: .pod, platform: "kubernetes",
            name: podName(deployment: deployment, replica: replica), status: crashing ? .warning : .online,
            power: .running, technology: "containerd", parentID: k8sNodeID(node), lastSeen: recently(&random))
        resource.tags = [entry.namespace == "shop" ? "prod" : "platform"]
        resource.metrics = load.metrics(now: now)
        resource.identity = ["namespace": .string(entry.namespace), "uid": .string(random.machineID())]
        resource.details = [
            "namespace": .string(entry.namespace), "deployment": .string(deploymentName(deployment)),
            "deploymentId": .string(deploymentID(deployment)), "phase": "Running",
            "restarts": .integer(crashing ? 47 : Int64(random.int(in: 0...2))),
        ]
        if crashing { resource.details["reason"] = "CrashLoopBackOff" }
        return resource
    }
}
