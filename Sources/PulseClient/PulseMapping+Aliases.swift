import JSON

extension PulseMapping {
    /// Every other name the row is known by, each once, source references first.
    ///
    /// Source references (``PulseAlias/Strength/source``), built from the row's own facets:
    /// `canonicalIdentity.primaryId` and `supersededIds`, `proxmox.sourceId` (the legacy alert id of
    /// a guest, `instance:node:vmid`), `{metricsTarget.resourceType}:{resourceId}`,
    /// `agent:{agent.agentId}` (a host agent's alerts), `docker:{hostSourceId}/{containerId}` (a
    /// container's alerts, `alerts.DockerResourceID`) and `docker:{hostSourceId}` (its host's).
    /// Then the names Pulse lists (``PulseAlias/Strength/listed``): the bare
    /// `metricsTarget.resourceId` and `canonicalIdentity.aliases`. The row's own id is not an alias.
    static func aliases(_ row: JSONObject, id: String) -> [PulseAlias] {
        var seen: Set<String> = [id]
        var aliases: [PulseAlias] = []
        func add(_ name: String?, _ strength: PulseAlias.Strength) {
            guard var name, !name.isEmpty else { return }
            if name.first == " " || name.last == " " || name.first == "\t" || name.last == "\t" {
                name = name.trimmingSpaces()
                guard !name.isEmpty else { return }
            }
            guard seen.insert(name).inserted else { return }
            aliases.append(PulseAlias(name, strength))
        }
        let canonical = row.object("canonicalIdentity")
        let target = row.object("metricsTarget")
        let docker = row.object("docker")
        add(canonical?.text("primaryId"), .source)
        for superseded in canonical?.strings("supersededIds") ?? [] { add(superseded, .source) }
        add(row.object("proxmox")?.text("sourceId"), .source)
        if let type = target?.text("resourceType"), let resource = target?.text("resourceId") {
            add("\(type):\(resource)", .source)
        }
        if let agent = row.object("agent")?.text("agentId") { add("agent:\(agent)", .source) }
        if let host = docker?.text("hostSourceId") {
            if let container = docker?.text("containerId") {
                add("docker:\(host)/\(container)", .source)
            } else if docker?.text("serviceId") == nil {
                add("docker:\(host)", .source)
            }
        }
        add(target?.text("resourceId"), .listed)
        for alias in canonical?.strings("aliases") ?? [] { add(alias, .listed) }
        return aliases
    }

    /// The `agent` record of a host whose row has an `agent` facet: the agent is reached through
    /// the Pulse server (`pulse:{agentId}`), which knows whether it accepts commands.
    ///
    /// ```json
    /// {"id": "pulse-agent:host-3f1c", "hostResourceId": "agent-c280…", "endpoint": "pulse:host-3f1c",
    ///  "commandsEnabled": true, "lastHeartbeat": "2026-08-22T14:29:55Z", "version": "6.3.0"}
    /// ```
    ///
    /// A Docker-only host (`docker-host`) has no `agent` facet: the agent that reports it is named by
    /// its `docker` facet, and its freshness is the row's `lastSeen`. Pulse does not say whether that
    /// agent takes host commands (its container actions are the containers' own capabilities, read
    /// live at dispatch), so `commandsEnabled` is false.
    static func agent(_ row: JSONObject, hostId: String) -> JSONObject? {
        if let facet = row.object("agent") {
            return agent(facet, agentId: facet.text("agentId"), hostId: hostId, commandsEnabled: facet["commandsEnabled"]?.boolValue ?? false,
                         lastReport: facet["lastReportAt"])
        }
        guard let docker = row.object("docker"), docker.text("hostSourceId") != nil else { return nil }
        return agent(docker, agentId: docker.text("agentId"), hostId: hostId, commandsEnabled: false, lastReport: row["lastSeen"])
    }

    private static func agent(
        _ facet: JSONObject, agentId: String?, hostId: String, commandsEnabled: Bool, lastReport: JSONValue?
    ) -> JSONObject? {
        guard let agentId, !agentId.contains(where: { $0.isWhitespace || $0.isNewline }) else { return nil }
        var record = JSONObject()
        record["id"] = .string("pulse-agent:\(agentId)")
        record["hostResourceId"] = .string(hostId)
        record["endpoint"] = .string("pulse:\(agentId)")
        record["commandsEnabled"] = .bool(commandsEnabled)
        record.setIfPresent("lastHeartbeat", time(lastReport).map { .string($0.description) })
        record.setIfPresent("version", facet.text("agentVersion").map(JSONValue.string))
        return record
    }
}
