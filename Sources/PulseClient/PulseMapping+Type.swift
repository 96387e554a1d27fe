import Policy

extension PulseMapping {
    /// Pulse's wire types that are not projections of ours, by the seed's rule against
    /// provider-local top-level types: Docker's sub-objects, Kubernetes kinds past the four we
    /// model, and the network types.
    static let providerLocalTypes: Set<String> = [
        "docker-image", "docker-volume", "docker-network", "docker-task", "docker-swarm-node", "docker-secret",
        "docker-config", "network", "network-share", "network-endpoint",
    ]

    /// Our type for Pulse's wire type: verbatim where the vocabularies agree; `docker-host` (a
    /// Docker-only host) is an `agent`, and Pulse's `physical_disk` is our `physical-disk`.
    static func canonicalType(_ pulseType: String) -> Result<ResourceType, SkipReason> {
        switch pulseType {
        case "docker-host": return .success(.agent)
        case "physical_disk": return .success(.physicalDisk)
        default: break
        }
        if let type = ResourceType(rawValue: pulseType) { return .success(type) }
        if providerLocalTypes.contains(pulseType) || pulseType.hasPrefix("k8s-") {
            return .failure(SkipReason(text: "provider-local type \(pulseType), not a canonical projection (seed rule)"))
        }
        return .failure(
            SkipReason(text: "type \(pulseType) is not one this mapping knows, not a canonical projection (seed rule)")
        )
    }
}
