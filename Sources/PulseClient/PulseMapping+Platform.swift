import JSON
import Policy

extension PulseMapping {
    /// The one platform that owns a row, in the order of Pulse's own `monitorPlatformType`
    /// (`internal/monitoring/monitor.go:6102`, which gives `/api/state`'s `platformType`): a
    /// Proxmox, VMware or TrueNAS facet decides first, so a Proxmox node with a Pulse agent is
    /// `proxmox-pve` (the agent augments it); then `storage.platform`; then the type; then the
    /// sources. The platform must project our type (seed table "Canonical projections"), or the
    /// row is skipped: a `ceph` reported by a bare agent has no owner that projects it.
    mutating func owningPlatform(
        _ row: JSONObject, pulseType: String, type: ResourceType
    ) -> Result<PlatformFacts, SkipReason> {
        let name = Self.pulsePlatformType(row, pulseType: pulseType)
        guard let facts = platform(named: name) else {
            return .failure(SkipReason(text: "Pulse places it on the platform \"\(name)\", which is not one of ours"))
        }
        if facts.governance == .presentationOnly {
            return .failure(
                SkipReason(text: "platform \(facts.id) is presentation-only vocabulary, which projects no resources (seed rule)")
            )
        }
        guard facts.projections.contains(type) else {
            let list = facts.projectionList.map(\.rawValue).joined(separator: ", ")
            return .failure(
                SkipReason(
                    text: "platform \(facts.id) does not project \(type.rawValue); its canonical projections are \(list) (seed rule)"
                )
            )
        }
        return .success(facts)
    }

    /// Pulse's `platformType` for a row, transcribed from `monitorPlatformType` and
    /// `monitorStoragePlatformType` at the contract's commit (`generic` and `unknown` included).
    static func pulsePlatformType(_ row: JSONObject, pulseType: String) -> String {
        if row.object("proxmox") != nil { return "proxmox-pve" }
        if row.object("vmware") != nil { return "vmware-vsphere" }
        if row.object("truenas") != nil { return "truenas" }
        if row.object("availability") != nil { return "generic" }
        let sources = Set(row.strings("sources"))
        if let storage = row.object("storage"), let platform = storagePlatform(storage, sources: sources) {
            return platform
        }
        switch pulseType {
        case "vm", "system-container":
            return "proxmox-pve"
        case "storage", "pool":
            let order = [("proxmox", "proxmox-pve"), ("pbs", "proxmox-pbs"), ("truenas", "truenas"),
                         ("vmware", "vmware-vsphere"), ("agent", "agent")]
            return order.first { sources.contains($0.0) }?.1 ?? "generic"
        case "docker-host", "app-container":
            return "docker"
        case "k8s-cluster", "k8s-node", "pod", "k8s-deployment":
            return "kubernetes"
        case "pbs":
            return "proxmox-pbs"
        case "pmg":
            return "proxmox-pmg"
        case "agent":
            return "agent"
        default:
            let order = [("kubernetes", "kubernetes"), ("docker", "docker"), ("pbs", "proxmox-pbs"),
                         ("pmg", "proxmox-pmg"), ("agent", "agent"), ("proxmox", "proxmox-pve")]
            if let known = order.first(where: { sources.contains($0.0) }) { return known.1 }
            return row.strings("sources").first { !$0.trimmingSpaces().isEmpty }?.trimmingSpaces() ?? "unknown"
        }
    }

    /// `storage.platform` as a platform, or nil when it names none (the type and sources decide then).
    private static func storagePlatform(_ storage: JSONObject, sources: Set<String>) -> String? {
        switch storage.text("platform")?.trimmingSpaces().lowercased() {
        case "proxmox", "proxmox-pve", "pve": "proxmox-pve"
        case "pbs", "proxmox-pbs": "proxmox-pbs"
        case "truenas": "truenas"
        case "vmware", "vmware-vsphere", "vsphere": "vmware-vsphere"
        case "docker", "podman": "docker"
        case "kubernetes", "k8s": "kubernetes"
        case "unraid": sources.contains("agent") ? "agent" : "generic"
        default: nil
        }
    }
}
