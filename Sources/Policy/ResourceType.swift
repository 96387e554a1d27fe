/// The fourteen canonical unified-resource types (DESIGN §3, seed "Canonical Resource Projection Rules").
///
/// Platforms project into these shared types; provider-local types (`esxi-host`, `vsphere-vm`,
/// `truenas-pool`) are forbidden by default, which is why the manifest keeps projections as raw strings
/// and the governance lint, not the decoder, judges them.
package enum ResourceType: String, CaseIterable, Sendable, Codable, Hashable {
    case agent
    case vm
    case systemContainer = "system-container"
    case appContainer = "app-container"
    case dockerService = "docker-service"
    case k8sCluster = "k8s-cluster"
    case k8sNode = "k8s-node"
    case pod
    case k8sDeployment = "k8s-deployment"
    case storage
    case ceph
    case physicalDisk = "physical-disk"
    case pbs
    case pmg

    /// The types whose projection makes the `workloads` surface applicable.
    package static let workloadTypes: Set<ResourceType> = [
        .vm, .systemContainer, .appContainer, .dockerService, .pod, .k8sDeployment,
    ]

    /// The types whose projection makes the `storage` surface applicable ("storage or disk resources").
    package static let storageTypes: Set<ResourceType> = [.storage, .ceph, .physicalDisk]

    /// Whether this type is a workload (a guest, container, service, pod or deployment).
    package var isWorkload: Bool { Self.workloadTypes.contains(self) }

    /// Whether this type is storage or a disk.
    package var isStorage: Bool { Self.storageTypes.contains(self) }
}
