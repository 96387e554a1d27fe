import Testing

@testable import Policy

@Suite struct ResourceTypeTests {
    @Test func theFourteenCanonicalTypes() {
        #expect(ResourceType.allCases.map(\.rawValue) == [
            "agent", "vm", "system-container", "app-container", "docker-service", "k8s-cluster", "k8s-node", "pod",
            "k8s-deployment", "storage", "ceph", "physical-disk", "pbs", "pmg",
        ])
    }

    @Test(arguments: ResourceType.allCases)
    func workloadAndStorageClassification(_ type: ResourceType) {
        let workloads: Set<ResourceType> = [.vm, .systemContainer, .appContainer, .dockerService, .pod, .k8sDeployment]
        let storage: Set<ResourceType> = [.storage, .ceph, .physicalDisk]
        #expect(type.isWorkload == workloads.contains(type))
        #expect(type.isStorage == storage.contains(type))
        #expect(!(type.isWorkload && type.isStorage))
    }

    @Test(arguments: ["esxi-host", "vsphere-vm", "truenas-pool", "VM", "podman"])
    func providerLocalTypesAreNotCanonical(_ word: String) {
        #expect(ResourceType(rawValue: word) == nil)
    }
}
