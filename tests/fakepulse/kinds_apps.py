"""Docker, standalone-agent and TrueNAS rows: Docker hosts (wire type `docker-host`, id
`agent-…`), their app-containers, services, networks and images; standalone Linux hosts
(some with the Docker module); a TrueNAS system, its apps (not executable:
`unsupported_handler`) and shares. Shapes follow the fixtures' docker-edge, nginx,
edge_traefik, frontend, nas-01, plex and media rows.
"""

from __future__ import annotations

from common import (CLEAN_CACHE, hexdigest, pulse_id, DOCKER_DISCONNECTED, GIB, INTERNAL, OS_UPDATES, SENSITIVE, SENSITIVE_IP, UNSUPPORTED,
                    bytes_metric, cpu_metric, docker_capabilities, rate_metric, readiness, source_status,
                    split_available, summary)
from gojson import num
from kinds_pve import _last_seen
from light import status as light_status

SHARE_POLICY = {"sensitivity": "sensitive", "routing": {"scope": "local-first", "redact": ["hostname", "platform-id", "alias", "path"]}}
IMAGES = ["grafana/grafana:12.1.1", "nginx:1.29-alpine", "redis:8.2-alpine"]


def _children_of_host(f, h: int) -> int:
    hosts = max(1, f.counts["dockerhost"])
    n = 0
    for kind in ("appct", "dsvc", "dnet", "dimg"):
        count = f.counts[kind]
        n += count // hosts + (1 if h < count % hosts else 0)
    return n


def container_id(f, k: int) -> str:
    """64 hex like Docker's; the first 8 decode back to the row (see `Token32`)."""
    return f.token("appct", k) + hexdigest(f"{f.seed}/appct/{k}/cid")[:56]


def docker_host(f, h: int, o: dict) -> dict:
    info = f.docker_info(h)
    v = o.get("v", 0)
    ls = _last_seen(f, v) if info.connected else f.clock.at(-900)
    name = o.get("name") or info.name
    status = light_status(f, "dockerhost", h, o)
    children = _children_of_host(f, h)
    mem_total = 8 * GIB * (1 + h % 4)
    mem_used = int(mem_total * (0.2 + 0.6 * f.frac("dockerhost", h, 200 + v)))
    disk_total = 128849018880
    disk_used = int(disk_total * (0.1 + 0.6 * f.frac("dockerhost", h, 3)))
    uptime = 86400 * (1 + f.r("dockerhost", h, 4) % 30)
    version = "5.6.1" if info.runtime == "podman" else "28.3.3"
    row = {"id": info.id, "type": "docker-host", "technology": info.runtime, "name": name, "status": status,
           "lastSeen": ls, "updatedAt": f.clock.updated_at,
           "discoveryTarget": {"resourceType": "agent", "agentId": info.agent_id, "resourceId": info.agent_id, "hostname": info.name},
           "metricsTarget": {"resourceType": "docker-host", "resourceId": info.source_id},
           "canonicalIdentity": {"displayName": name, "hostname": info.name, "platformId": info.name,
                                 "primaryId": f"docker-host:{info.source_id}",
                                 "aliases": [f"docker-host:{info.source_id}", info.source_id, info.agent_id, info.name,
                                             info.machine_id, info.id, f"agent:{info.agent_id}"]},
           "policy": INTERNAL,
           "aiSafeSummary": summary("agent", status, ["docker"], INTERNAL, children=children),
           "platformScopes": ["docker"], "sources": ["docker"],
           "sourceStatus": {"docker": {"status": "online" if info.connected else "stale", "lastSeen": ls}},
           "identity": {"machineId": info.machine_id, "hostnames": [info.name], "ipAddresses": [f"10.40.{h >> 8 & 255}.{h & 255 or 1}"]},
           "metrics": {"cpu": cpu_metric(30 * f.frac("dockerhost", h, 300 + v)), "memory": bytes_metric(mem_used, mem_total),
                       "disk": bytes_metric(disk_used, disk_total)},
           "uptime": uptime}
    if children:
        row["childCount"] = children
    row["facetCounts"] = {"recentChanges": 0}
    row["docker"] = {"hostSourceId": info.source_id, "agentId": info.agent_id, "hostname": info.name, "displayName": info.name,
                     "machineId": info.machine_id, "runtime": info.runtime, "runtimeVersion": version,
                     "dockerVersion": version, "os": "Ubuntu 24.04.3 LTS", "kernelVersion": "6.8.0-71-generic",
                     "architecture": "x86_64", "agentVersion": "6.3.0", "cpus": 4, "totalMemoryBytes": mem_total,
                     "memory": {"total": mem_total, "used": mem_used, "free": mem_total - mem_used},
                     "uptimeSeconds": uptime, "intervalSeconds": 30,
                     "containerCount": f.counts["appct"] // max(1, f.counts["dockerhost"]) or 1, "imageCount": 4,
                     "volumeCount": 2, "networkCount": 4}
    return row


class AppFacts:
    """What varies between two Docker app-container rows (see `kinds_pve.GuestFacts`)."""

    __slots__ = ("host", "v", "ls", "name", "cid", "running", "update", "status", "image", "mem_total", "mem_used",
                 "cpu", "uptime", "net_in", "net_out", "id", "port", "ip", "digest", "latest")

    def __init__(self, f, k: int, o: dict):
        host = self.host = f.docker_info(k % max(1, f.counts["dockerhost"]))
        self.v = v = o.get("v", 0)
        self.ls = _last_seen(f, v)
        self.name = o.get("name") or f.name_of("appct", k)
        self.cid = cid = container_id(f, k)
        w = f.r("appct", k, 1)
        wv = f.r("appct", k, 200 + v)
        running = self.running = o["run"] if "run" in o else w % 10 != 0
        self.update = not o.get("updated") and (w >> 8) % 3 == 0
        self.status = "online" if running else "offline"
        self.image = IMAGES[(w >> 12) % 3]
        self.mem_total = 8 * GIB * (1 + host.h % 4)
        self.mem_used = 64 * 1024 * 1024 * (1 + wv % 16) if running else 0
        self.cpu = 5 * ((wv >> 32) / 4294967296.0) if running else 0
        uptime = 3600 * (1 + (w >> 16) % 500) if running else 0
        if o.get("rebooted") and running:
            uptime = 30
        self.uptime = uptime
        self.net_in = 1024 * ((w >> 28) % 100)
        self.net_out = 1024 * ((w >> 36) % 100)
        self.id = pulse_id("app-container", f"docker:{host.source_id}/container/{cid}")
        self.port = 8000 + k % 1000
        self.ip = f"172.17.{k >> 8 & 255}.{k & 255 or 2}"
        self.digest = "sha256:" + cid[8:20]
        self.latest = "sha256:" + cid[20:32]


def app_container(f, k: int, o: dict) -> dict:
    a = AppFacts(f, k, o)
    host, name, cid, running = a.host, a.name, a.cid, a.running
    row = {"id": a.id, "type": "app-container", "technology": host.runtime, "name": name, "status": a.status,
           "lastSeen": a.ls, "updatedAt": f.clock.updated_at,
           "discoveryTarget": {"resourceType": "app-container", "agentId": host.agent_id, "resourceId": name, "hostname": host.name},
           "metricsTarget": {"resourceType": "app-container", "resourceId": cid},
           "canonicalIdentity": {"displayName": name, "hostname": name, "platformId": host.name,
                                 "primaryId": f"app-container:{cid}",
                                 "aliases": [f"app-container:{cid}", cid, host.agent_id, name, host.source_id, host.name, a.id,
                                             f"agent:{host.agent_id}"]},
           "policy": INTERNAL,
           "aiSafeSummary": summary("application container", a.status, ["docker"], INTERNAL, parent=True),
           "platformScopes": ["docker"], "sources": ["docker"], "sourceStatus": source_status(["docker"], a.ls),
           "identity": {"hostnames": [name]}}
    metrics = {"cpu": cpu_metric(a.cpu)}
    if running:
        metrics["memory"] = bytes_metric(a.mem_used, a.mem_total)
        metrics["netIn"] = rate_metric(a.net_in)
        metrics["netOut"] = rate_metric(a.net_out)
    row["metrics"] = metrics
    if a.uptime:
        row["uptime"] = a.uptime
    row["parentId"] = host.id
    row["parentName"] = host.name
    caps, unready = split_available(docker_capabilities(running, a.update, host.runtime), host.connected,
                                    "command_agent_disconnected", DOCKER_DISCONNECTED)
    if caps:
        row["capabilities"] = caps
    if unready:
        row["actionReadiness"] = unready
    row["facetCounts"] = {"recentChanges": 0}
    docker = {"hostSourceId": host.source_id, "agentId": host.agent_id, "containerId": cid, "hostname": host.name,
              "image": a.image, "runtime": host.runtime, "runtimeVersion": "5.6.1" if host.runtime == "podman" else "28.3.3"}
    if host.runtime == "docker":
        docker["dockerVersion"] = "28.3.3"
    if a.uptime:
        docker["uptimeSeconds"] = a.uptime
    docker["containerState"] = "running" if running else "exited"
    if running:
        docker["health"] = "healthy"
        raw, capacity = num(round(a.cpu * 4, 2)), num(round(a.cpu, 2))
        if raw:
            docker["cpuRawPercent"] = raw
        if capacity:
            docker["cpuCapacityPercent"] = capacity
        docker["cpuCapacityCores"] = 4
        docker["startedAt"] = f.clock.at(-a.uptime)
    docker["ports"] = [{"privatePort": 80, "publicPort": a.port, "protocol": "tcp", "ip": "127.0.0.1"}]
    docker["labels"] = {"com.docker.compose.project": name.split("-")[0], "com.docker.compose.service": name}
    docker["networks"] = [{"name": "bridge", "ipv4": a.ip}]
    status_meta = {"updateAvailable": a.update, "currentDigest": a.digest}
    if a.update:
        status_meta["latestDigest"] = a.latest
    status_meta["lastChecked"] = f.clock.at(-5400)
    docker["updateStatus"] = status_meta
    docker["createdAt"] = f.clock.at(-86400 * 21)
    row["docker"] = docker
    return row


def _host_sub(f, kind: str, k: int, o: dict, label: str, type_name: str, extra: dict) -> dict:
    h = f.docker_host_of(k)
    host = f.docker_info(h)
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    name = o.get("name") or f.name_of(kind, k)
    rid = f.id_of(kind, k)
    row = {"id": rid, "type": type_name, "technology": host.runtime, "name": name, "status": "online",
           "lastSeen": ls, "updatedAt": f.clock.updated_at,
           "canonicalIdentity": {"displayName": name, "hostname": host.name, "platformId": host.name,
                                 "primaryId": f"docker-host:{host.source_id}",
                                 "aliases": [f"docker-host:{host.source_id}", host.source_id, host.name, rid]},
           "policy": INTERNAL,
           "aiSafeSummary": summary(label, "online", ["docker"], INTERNAL, parent=True),
           "platformScopes": ["docker"], "sources": ["docker"], "sourceStatus": source_status(["docker"], ls),
           "identity": {}, "parentId": host.id, "parentName": host.name, "facetCounts": {"recentChanges": 0}}
    row["docker"] = {"hostSourceId": host.source_id, "hostname": host.name, **extra}
    return row


def _sub_ref(f, kind: str, k: int) -> str:
    return f.hex32(kind, k, "ref")[:12]


def docker_service(f, k: int, o: dict) -> dict:
    return _host_sub(f, "dsvc", k, o, "docker service", "docker-service", {
        "image": "traefik:v3.5", "serviceId": _sub_ref(f, "dsvc", k), "serviceName": f.name_of("dsvc", k), "stack": "edge",
        "mode": "replicated", "desiredTasks": 2, "runningTasks": 2,
        "endpointPorts": [{"protocol": "tcp", "targetPort": 443, "publishedPort": 443, "publishMode": "ingress"}]})


def docker_network(f, k: int, o: dict) -> dict:
    return _host_sub(f, "dnet", k, o, "docker-network", "docker-network", {
        "runtime": "docker", "driver": "bridge", "scope": "local", "createdAt": f.clock.at(-86400 * 21),
        "networkId": _sub_ref(f, "dnet", k), "enableIpv4": True,
        "subnets": [{"subnet": "172.17.0.0/16", "gateway": "172.17.0.1"}]})


def docker_image(f, k: int, o: dict) -> dict:
    return _host_sub(f, "dimg", k, o, "docker-image", "docker-image", {
        "runtime": "docker", "imageId": "sha256:" + f.hex32("dimg", k, "img") + f.hex32("dimg", k, "img2"),
        "repoTags": ["nginx:1.29-alpine"], "sizeBytes": 52428800 + k, "imageContainers": 1,
        "createdAt": f.clock.at(-86400 * 30)})


def host(f, k: int, o: dict) -> dict:
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    base = f.name_of("host", k)
    name = o.get("name") or base
    agent_id = f"host-{f.token('host', k)}"
    machine_id = f.hex32("host", k, "machine")
    commands = f.r("host", k, 1) % 3 != 0
    with_docker = f.r("host", k, 2) % 4 == 0
    sources = ["agent", "docker"] if with_docker else ["agent"]
    rid = f.id_of("host", k)
    status = light_status(f, "host", k, o)
    mem_total = 16 * GIB
    mem_used = int(mem_total * (0.2 + 0.6 * f.frac("host", k, 200 + v)))
    uptime = 86400 * (1 + f.r("host", k, 3) % 90)
    row = {"id": rid, "type": "agent", "name": name, "status": status, "lastSeen": ls, "updatedAt": f.clock.updated_at,
           "discoveryTarget": {"resourceType": "agent", "agentId": agent_id, "resourceId": agent_id, "hostname": base},
           "metricsTarget": {"resourceType": "agent", "resourceId": agent_id},
           "canonicalIdentity": {"displayName": name, "hostname": base, "platformId": base, "primaryId": f"agent:{agent_id}",
                                 "aliases": [f"agent:{agent_id}", agent_id, base, machine_id, rid]},
           "policy": INTERNAL,
           "aiSafeSummary": summary("agent", status, sources, INTERNAL),
           "platformScopes": sources, "sources": sources, "sourceStatus": source_status(sources, ls),
           "identity": {"machineId": machine_id, "hostnames": [base], "ipAddresses": [f"10.50.{k >> 8 & 255}.{k & 255 or 1}"]},
           "metrics": {"cpu": cpu_metric(50 * f.frac("host", k, 300 + v)), "memory": bytes_metric(mem_used, mem_total),
                       "disk": bytes_metric(int(64 * GIB * f.frac("host", k, 4)) + GIB, 128 * GIB)},
           "uptime": uptime}
    pending = 0 if o.get("osupdated") else f.r("host", k, 5) % 15
    caps = []
    if commands and pending:
        caps.append(OS_UPDATES)
    if commands and not o.get("cleaned") and f.r("host", k, 6) % 3 == 0:
        caps.append(CLEAN_CACHE)
    if caps:
        row["capabilities"] = caps
    row["facetCounts"] = {"recentChanges": 0}
    agent = {"agentId": agent_id, "agentVersion": "6.3.0", "lastReportAt": ls, "hostname": base, "machineId": machine_id,
             "platform": "linux", "osName": "Ubuntu", "osVersion": "24.04", "kernelVersion": "6.8.0-71-generic",
             "architecture": "amd64", "cpuCount": 8, "uptimeSeconds": uptime, "intervalSeconds": 30,
             "memory": {"total": mem_total, "used": mem_used, "free": mem_total - mem_used}}
    if commands:
        agent["commandsEnabled"] = True
        agent["packageUpdates"] = {"supported": True, "manager": "apt", "inventoryHash": "sha256:" + f.hex32("host", k, "inv")[:8],
                                   "pendingCount": pending, "checkedAt": f.clock.at(-1200), "observedAt": f.clock.at(-1200)}
    if with_docker:
        row["agent"] = agent
        row["docker"] = {"hostSourceId": agent_id, "agentId": agent_id, "hostname": base, "runtime": "docker",
                         "runtimeVersion": "28.3.3", "dockerVersion": "28.3.3"}
    else:
        row["agent"] = agent
    return row


def _nas_ref(f, t: int):
    name = f.name_of("truenas", t)
    return name, f"{name}.{f.site}.example"


def truenas(f, t: int, o: dict) -> dict:
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    base, fqdn = _nas_ref(f, t)
    name = o.get("name") or base
    rid = f.id_of("truenas", t)
    children = 3
    mem_total = 64 * GIB
    mem_used = int(mem_total * (0.3 + 0.4 * f.frac("truenas", t, 200 + v)))
    uptime = 86400 * 40
    row = {"id": rid, "type": "agent", "technology": "truenas", "name": name, "status": "online", "lastSeen": ls,
           "updatedAt": f.clock.updated_at,
           "discoveryTarget": {"resourceType": "agent", "agentId": fqdn, "resourceId": fqdn, "hostname": fqdn},
           "metricsTarget": {"resourceType": "agent", "resourceId": base},
           "canonicalIdentity": {"displayName": name, "hostname": fqdn, "platformId": fqdn, "primaryId": f"agent:{base}",
                                 "aliases": [f"agent:{base}", base, fqdn, rid, f"agent:{fqdn}"]},
           "policy": SENSITIVE_IP,
           "aiSafeSummary": summary("agent", "online", ["truenas"], SENSITIVE_IP, children=children),
           "platformScopes": ["truenas"], "sources": ["truenas"], "sourceStatus": source_status(["truenas"], ls),
           "identity": {"hostnames": [fqdn], "ipAddresses": [f"10.60.0.{t % 250 + 1}"]},
           "metrics": {"cpu": cpu_metric(20 * f.frac("truenas", t, 300 + v)), "memory": bytes_metric(mem_used, mem_total)},
           "uptime": uptime, "childCount": children, "facetCounts": {"recentChanges": 0},
           "truenas": {"hostname": fqdn, "version": "TrueNAS-25.04.2.1", "uptimeSeconds": uptime,
                       "services": [{"id": "1", "service": "cifs", "enabled": True, "state": "RUNNING", "pids": [2211]},
                                    {"id": "2", "service": "nfs", "enabled": False, "state": "STOPPED"}]}}
    return row


def truenas_app(f, k: int, o: dict) -> dict:
    t = k // 2
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    nas, fqdn = _nas_ref(f, t)
    app = "plex" if k % 2 == 0 else "immich"
    name = o.get("name") or f.name_of("nasapp", k)
    status = light_status(f, "nasapp", k, o)
    running = status == "online"
    rid = f.id_of("nasapp", k)
    ref = f"{nas}:{app}"
    row = {"id": rid, "type": "app-container", "technology": "docker", "name": name, "status": status, "lastSeen": ls,
           "updatedAt": f.clock.updated_at,
           "metricsTarget": {"resourceType": "app-container", "resourceId": ref},
           "canonicalIdentity": {"displayName": name, "hostname": fqdn, "platformId": fqdn, "primaryId": f"app-container:{ref}",
                                 "aliases": [f"app-container:{ref}", ref, fqdn, rid]},
           "policy": SENSITIVE,
           "aiSafeSummary": summary("application container", status, ["truenas"], SENSITIVE, parent=True),
           "platformScopes": ["truenas"], "sources": ["truenas"], "sourceStatus": source_status(["truenas"], ls),
           "identity": {},
           "metrics": {"cpu": cpu_metric(4 * f.frac("nasapp", k, 300 + v) if running else 0)}}
    if running:
        row["metrics"]["memory"] = {"value": 0, "used": 943718400, "unit": "bytes"}
    row["parentId"] = f.id_of("truenas", t)
    row["parentName"] = nas
    row["tags"] = ["truenas", "app"]
    names = ["stop", "restart"] if running else ["start"]
    row["actionReadiness"] = [readiness(n, "unsupported_handler", UNSUPPORTED) for n in names]
    row["facetCounts"] = {"recentChanges": 0}
    row["truenas"] = {"hostname": fqdn, "app": {"id": app, "name": app, "state": "RUNNING" if running else "STOPPED",
                                                "version": "1.2.7", "containerCount": 1,
                                                "images": ["plexinc/pms-docker:1.42.1" if app == "plex" else "ghcr.io/immich-app/immich-server:v1.140"]}}
    return row


def share(f, t: int, o: dict) -> dict:
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    nas, fqdn = _nas_ref(f, t)
    name = o.get("name") or f.name_of("share", t)
    rid = f.id_of("share", t)
    return {"id": rid, "type": "network-share", "name": name, "status": "online", "lastSeen": ls, "updatedAt": f.clock.updated_at,
            "canonicalIdentity": {"displayName": name, "hostname": fqdn, "platformId": fqdn, "primaryId": rid, "aliases": [rid, fqdn]},
            "policy": SHARE_POLICY,
            "aiSafeSummary": summary("network share", "online", ["truenas"], SHARE_POLICY, parent=True),
            "platformScopes": ["truenas"], "sources": ["truenas"], "sourceStatus": source_status(["truenas"], ls),
            "identity": {}, "parentId": f.id_of("truenas", t), "parentName": nas, "facetCounts": {"recentChanges": 0},
            "truenas": {"hostname": fqdn, "share": {"id": str(t + 1), "name": name, "protocol": "smb", "path": f"/mnt/tank/{name}",
                                                   "dataset": f"tank/{name}", "enabled": True, "readOnly": False, "browsable": True}}}


STABLE = {
    "dockerhost": lambda f, h: f"machine:{f.hex32('dockerhost', h, 'machine')}",
    "appct": lambda f, k: f"docker:{f.docker_info(f.docker_host_of(k)).source_id}/container/{container_id(f, k)}",
    "dsvc": lambda f, k: f"docker:{f.docker_info(f.docker_host_of(k)).source_id}/service/{_sub_ref(f, 'dsvc', k)}",
    "dnet": lambda f, k: f"docker:{f.docker_info(f.docker_host_of(k)).source_id}/network/{_sub_ref(f, 'dnet', k)}",
    "dimg": lambda f, k: f"docker:{f.docker_info(f.docker_host_of(k)).source_id}/image/{_sub_ref(f, 'dimg', k)}",
    "host": lambda f, k: f"machine:{f.hex32('host', k, 'machine')}",
    "truenas": lambda f, t: f"hostname:{_nas_ref(f, t)[1]}",
    "nasapp": lambda f, k: f"truenas:{_nas_ref(f, k // 2)[0]}:app:{'plex' if k % 2 == 0 else 'immich'}",
    "share": lambda f, t: f"truenas:{_nas_ref(f, t)[0]}:share:{t + 1}",
}
