"""`GET /api/alerts/active` for the generated fleet: about 2% of resources alerting, each with
the legacy `resourceId` form Pulse's alert engine uses (`{instance}:{node}:{vmid}` for guests,
`agent:{hostId}` for hosts with an agent, `{instance}-{node}` for agentless nodes,
`docker:{hostId}/{containerId}` for containers, the storage model id for storage), plus one
alert whose resource no longer exists. Sorted critical first.
"""

from __future__ import annotations

from kinds_apps import container_id


def _alert(f, aid, atype, level, resource_id, name, node, instance, message, value, threshold, metadata, ack=False,
           node_display=True):
    out = {"id": aid, "type": atype, "level": level, "resourceId": resource_id, "resourceName": name, "node": node}
    if node_display:
        out["nodeDisplayName"] = node
    out.update({"instance": instance, "message": message, "value": value, "threshold": threshold,
                "startTime": f.clock.at(-1800), "lastSeen": f.clock.last_seen, "acknowledged": ack})
    if ack:
        out["ackTime"] = f.clock.at(-600)
        out["ackUser"] = "admin"
    out["metadata"] = metadata
    return out


def generated_alerts(src) -> list[dict]:
    f = src.fleet
    layout = src.layout
    off = f.seed % 50
    alerts = []

    def live(kind, k):
        p = layout.position(kind, k)
        return None if p in src.vanished else p

    def current_name(p, kind, k):
        o = src.over.get(p) or {}
        return o.get("name") or f.name_of(kind, k)

    for kind, word, rtype in (("vm", "VM", "vm"), ("ct", "Container", "system-container")):
        for k in range(off % 50, f.counts[kind], 50):
            p = live(kind, k)
            if p is None:
                continue
            info = f.node_info(f.node_of_guest(kind, k))
            value = 85 + f.r(kind, k, 40) % 15
            rid = f"{info.instance}:{info.name}:{f.vmid(kind, k)}"
            alerts.append(_alert(f, f"{rid}-memory", "memory", "critical" if value >= 95 else "warning", rid,
                                 current_name(p, kind, k), info.name, info.instance, f"{word} memory at {value}%", value, 85,
                                 {"resourceType": rtype, "metric": "memory", "unit": "%"}, ack=(k // 50) % 7 == 3))
    for n in range(off % 10, f.nodes, 10):
        p = live("node", n)
        if p is None:
            continue
        info = f.node_info(n)
        if info.host_id:
            value = 80 + f.r("node", n, 40) % 10
            alerts.append(_alert(f, f"agent:{info.host_id}-temperature", "temperature", "warning", f"agent:{info.host_id}",
                                 current_name(p, "node", n), info.name, "agent", f"CPU temperature {value}\u00b0C", value, 80,
                                 {"resourceType": "agent"}, node_display=False))
        else:
            rid = f"{info.instance}-{info.name}"
            value = 90 + f.r("node", n, 41) % 10
            alerts.append(_alert(f, f"{rid}-cpu", "cpu", "critical", rid, current_name(p, "node", n), info.name,
                                 info.instance, f"Node CPU at {value}%", value, 90, {"resourceType": "node", "metric": "cpu", "unit": "%"}))
    for k in range(off % 50, f.counts["appct"], 50):
        p = live("appct", k)
        if p is None:
            continue
        host = f.docker_info(f.docker_host_of(k))
        cid = container_id(f, k)
        name = current_name(p, "appct", k)
        rid = f"docker:{host.source_id}/{cid}"
        alerts.append(_alert(f, f"{rid}-restart-loop", "docker-container-restart-loop", "critical", rid, name, host.name,
                             host.name, f"Container {name} restarted 5 times in 10 minutes", 5, 3,
                             {"resourceType": "app-container", "containerId": cid, "containerName": name, "hostId": host.source_id},
                             node_display=False))
    for k in range(off % 20, f.counts["host"], 20):
        p = live("host", k)
        if p is None:
            continue
        agent_id = f"host-{f.token('host', k)}"
        name = current_name(p, "host", k)
        alerts.append(_alert(f, f"agent:{agent_id}-disk", "disk", "warning", f"agent:{agent_id}", name, f.name_of("host", k),
                             "agent", "Disk usage at 91%", 91, 90, {"resourceType": "agent", "metric": "disk", "unit": "%"},
                             node_display=False))
    for k in range(off % 25, f.counts["storage"], 25):
        p = live("storage", k)
        if p is None:
            continue
        info = f.node_info(k % f.nodes)
        sname = f.name_of("storage", k)
        rid = f"{info.instance}-{info.name}-{sname}"
        alerts.append(_alert(f, f"{rid}-usage", "usage", "warning", rid, current_name(p, "storage", k), info.name,
                             info.instance, "Storage usage at 88%", 88, 85, {"resourceType": "storage", "metric": "usage", "unit": "%"}))
    alerts.append(_alert(f, "pve-gone:pve99:999-memory", "memory", "warning", "pve-gone:pve99:999", "ghost-01", "pve99",
                         "pve-gone", "VM memory at 91%", 91, 85, {"resourceType": "vm", "metric": "memory", "unit": "%"}))
    alerts.sort(key=lambda a: (0 if a["level"] == "critical" else 1, a["id"]))
    return alerts
