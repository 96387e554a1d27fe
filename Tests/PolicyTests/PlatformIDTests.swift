import Foundation
import Testing

@testable import Policy

@Suite struct PlatformIDTests {
    static let resolutions: [(String, PlatformID)] = [
        ("pve", "proxmox-pve"), ("PVE", "proxmox-pve"), ("Proxmox", "proxmox-pve"), ("proxmox-pve", "proxmox-pve"),
        ("pbs", "proxmox-pbs"), ("PBS", "proxmox-pbs"), ("pmg", "proxmox-pmg"), ("Proxmox-PMG", "proxmox-pmg"),
        ("k8s", "kubernetes"), ("K8S", "kubernetes"), ("Kubernetes", "kubernetes"),
        ("vmware", "vmware-vsphere"), ("VMware", "vmware-vsphere"), ("vSphere", "vmware-vsphere"),
        ("hyper-v", "microsoft-hyperv"), ("Hyper-V", "microsoft-hyperv"), ("hyperv", "microsoft-hyperv"),
        ("synology", "synology-dsm"), ("Synology-DSM", "synology-dsm"),
        ("docker", "docker"), ("DOCKER", "docker"), ("agent", "agent"), ("TrueNAS", "truenas"),
        ("unraid", "unraid"), ("AWS", "aws"), ("azure", "azure"), ("gcp", "gcp"),
    ]

    @Test(arguments: resolutions)
    func resolvesIdsAndAliasesIgnoringCase(_ name: String, _ expected: PlatformID) throws {
        let manifest = try Fixtures.shippedManifest()
        #expect(try PlatformID(resolving: name, in: manifest) == expected)
    }

    @Test(arguments: ["podman", "qemu", "lxc", "esxi", "proxmox-ve", "", " pve", "kube"])
    func unknownNameListsTheKnownIds(_ name: String) throws {
        let manifest = try Fixtures.shippedManifest()
        #expect {
            try PlatformID(resolving: name, in: manifest)
        } throws: { error in
            guard let error = error as? UnknownPlatformError else { return false }
            return error.name == name && error.knownIDs == manifest.ids
        }
    }

    @Test func unknownNameMessageListsIdsThenAliases() throws {
        let manifest = try Fixtures.shippedManifest()
        let error = try #require(throws: UnknownPlatformError.self) {
            try manifest.platform(resolving: "podman")
        }
        #expect(error.description == """
            unknown platform "podman"; known platforms: agent, docker, kubernetes, proxmox-pve, proxmox-pbs, \
            proxmox-pmg, truenas, vmware-vsphere, unraid, synology-dsm, microsoft-hyperv, aws, azure, gcp; \
            aliases: k8s, pve, proxmox, pbs, pmg, vmware, vsphere, synology, hyper-v, hyperv
            """)
    }

    @Test func keepsTheWrittenSpellingSoTheLintCanJudgeIt() throws {
        let id = PlatformID("Docker")
        #expect(id.rawValue == "Docker")
        #expect(id != "docker")
        #expect(String(decoding: try JSONEncoder().encode(id), as: UTF8.self) == #""Docker""#)
    }
}
