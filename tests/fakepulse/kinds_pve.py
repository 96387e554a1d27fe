"""Proxmox VE rows: nodes (type agent, with or without a merged Pulse agent), vms, LXC
system-containers, storage, physical disks and Ceph. Shapes follow the fixtures' pve1, pve2,
web-01, db-01, dns-01, local-zfs, the Samsung disk and the `lab` Ceph row.

`o` is the row's mutable state: `v` (churn version), `name` (after a rename), `run` (power
state set by churn or an action), `osupdated`/`cleaned` (host actions done).
"""

from __future__ import annotations

from common import (AGENT_DISCONNECTED, CLEAN_CACHE, GIB, OS_UPDATES, SENSITIVE, INTERNAL, ZERO_TIME,
                    bytes_metric, cpu_metric, guest_capabilities, rate_metric, source_status,
                    split_available, summary)
from gojson import num
from light import node_status, status as light_status

MEM_SIZES = [2, 4, 8, 16, 32]
DISK_SIZES = [32, 64, 128, 256]
NODE_MEM = [64, 128, 256]
LXC_TEMPLATE = "debian-13-standard_13.1-1_amd64.tar.zst"


def _last_seen(f, v: int) -> str:
    return f.clock.last_seen if not v else f.clock.at(30 * v - 5)


def _ip(f, kind: str, k: int, net: int) -> str:
    return f"10.{net}.{(k >> 8) & 255}.{(k & 255) or 1}"


def node_children(f, n: int) -> int:
    guests = 0
    for kind, count in (("vm", f.counts["vm"]), ("ct", f.counts["ct"])):
        guests += count // f.nodes + (1 if n < count % f.nodes else 0)
    storage = f.counts["storage"] // f.nodes if f.nodes else 0
    return guests + storage + (1 if n < f.counts["disk"] else 0)


def node(f, n: int, o: dict) -> dict:
    info = f.node_info(n)
    v = o.get("v", 0)
    name = o.get("name") or info.name
    ls = _last_seen(f, v)
    status = node_status(f, n, v)
    has_agent = info.agent != "none"
    stale = info.agent == "stale"
    sources = ["proxmox", "agent"] if has_agent else ["proxmox"]
    scopes = ["agent", "proxmox-pve"] if has_agent else ["proxmox-pve"]
    mem_total = NODE_MEM[f.r("node", n, 2) % 3] * GIB
    mem_used = int(mem_total * (0.2 + 0.6 * f.frac("node", n, 200 + v)))
    disk_total = 998579896320 if n % 2 == 0 else 499289948160
    disk_used = int(disk_total * (0.1 + 0.5 * f.frac("node", n, 4)))
    cpu = 40 * f.frac("node", n, 300 + v)
    uptime = 86400 * (1 + f.r("node", n, 5) % 60)
    ip = _ip(f, "node", n, 10)
    children = node_children(f, n)
    platform_name = info.name
    row = {"id": info.id, "type": "agent", "technology": "proxmox", "name": name, "status": status,
           "lastSeen": ls, "updatedAt": f.clock.updated_at}
    agent_ref = info.host_id or info.name
    row["discoveryTarget"] = {"resourceType": "agent", "agentId": agent_ref, "resourceId": agent_ref, "hostname": name}
    row["metricsTarget"] = {"resourceType": "agent", "resourceId": info.host_id or f"{info.instance}-{info.name}"}
    primary = f"node:{info.instance}-{info.name}"
    if has_agent:
        aliases = [primary, info.host_id, info.name, info.machine_id, info.id, f"{info.cluster}:{info.name}", f"agent:{info.host_id}"]
    else:
        aliases = [primary, f"{info.instance}-{info.name}", info.name, info.id, f"{info.cluster}:{info.name}", f"agent:{info.name}"]
    row["canonicalIdentity"] = {"displayName": name, "hostname": name, "platformId": platform_name, "primaryId": primary, "aliases": aliases}
    row["policy"] = INTERNAL
    row["aiSafeSummary"] = summary("agent", status, sources, INTERNAL, children=children)
    row["platformScopes"] = scopes
    row["sources"] = sources
    row["sourceStatus"] = source_status(sources, ls, agent_stale=stale)
    identity = {}
    if has_agent:
        identity["machineId"] = info.machine_id
    identity["hostnames"] = [info.name, f"{info.cluster}:{info.name}"]
    identity["ipAddresses"] = [ip]
    if has_agent:
        identity["macAddresses"] = [f"bc:24:11:{(n >> 16) & 255:02x}:{(n >> 8) & 255:02x}:{n & 255:02x}"]
    identity["clusterName"] = info.cluster
    row["identity"] = identity
    row["metrics"] = {"cpu": cpu_metric(cpu), "memory": bytes_metric(mem_used, mem_total),
                      "disk": bytes_metric(disk_used, disk_total),
                      "netIn": rate_metric(1000 * (f.r("node", n, 6) % 5000)), "netOut": rate_metric(1000 * (f.r("node", n, 7) % 3000))}
    row["uptime"] = uptime
    temperature = num(float(38 + f.r("node", n, 8) % 30)) if has_agent else None
    if temperature is not None:
        row["temperature"] = temperature
    if children:
        row["childCount"] = children
    pending = 0 if o.get("osupdated") else (f.r("node", n, 9) % 20)
    caps = []
    if info.agent in ("commands", "stale") and pending:
        caps.append(OS_UPDATES)
    if info.agent in ("commands", "stale") and not o.get("cleaned") and f.r("node", n, 10) % 4 == 0:
        caps.append(CLEAN_CACHE)
    ready, unready = split_available(caps, not stale, "command_agent_disconnected", "Pulse agent command channel is not connected.")
    if ready:
        row["capabilities"] = ready
    if unready:
        row["actionReadiness"] = unready
    row["facetCounts"] = {"recentChanges": 0}
    proxmox = {"sourceId": f"{info.instance}-{info.name}", "nodeName": info.name, "clusterName": info.cluster,
               "isClusterMember": True, "instance": info.instance, "host": f"https://{ip}:8006", "connectionHealth": "healthy"}
    if temperature is not None:
        proxmox["temperature"] = temperature
    proxmox.update({"pveVersion": "9.0.6", "kernelVersion": "6.14.8-2-pve", "uptime": uptime, "lastBackup": ZERO_TIME,
                    "cpuInfo": {"model": "AMD EPYC 9354P" if n % 2 else "AMD Ryzen 9 7950X", "cores": 16, "sockets": 1},
                    "loadAverage": [num(round(cpu / 10, 2)), num(round(cpu / 11, 2)), num(round(cpu / 12, 2))],
                    "memory": {"total": mem_total, "used": mem_used, "free": mem_total - mem_used,
                               "usage": num(round(mem_used * 100.0 / mem_total, 2))}})
    row["proxmox"] = proxmox
    if has_agent:
        agent = {"agentId": info.host_id, "agentVersion": "6.3.0"}
        if stale:
            agent["stale"] = True
        agent["lastReportAt"] = f.clock.at(-600) if stale else ls
        agent.update({"hostname": info.name, "machineId": info.machine_id, "platform": "linux",
                      "osName": "Debian GNU/Linux", "osVersion": "13", "kernelVersion": "6.14.8-2-pve",
                      "architecture": "amd64", "cpuCount": 32, "uptimeSeconds": uptime, "intervalSeconds": 30})
        if temperature is not None:
            agent["temperature"] = temperature
        agent["memory"] = {"total": mem_total, "used": mem_used, "free": mem_total - mem_used}
        if info.agent in ("commands", "stale"):
            agent["commandsEnabled"] = True
            agent["packageUpdates"] = {"supported": True, "manager": "apt", "inventoryHash": "sha256:" + f.hex32("node", n, "inv")[:8],
                                       "pendingCount": pending, "checkedAt": f.clock.at(-1200), "observedAt": f.clock.at(-1200)}
        agent["netInRate"] = row["metrics"]["netIn"]["value"]
        agent["netOutRate"] = row["metrics"]["netOut"]["value"]
        row["agent"] = agent
    return row


class GuestFacts:
    """Everything that varies between two vm/LXC rows, drawn from two random words: `w`
    (fixed per row) and `wv` (per churn version). Both the dict builder and the fast JSON
    writer (`fastjson.guest_json`) read these, so they cannot disagree."""

    __slots__ = ("vm", "itype", "platform", "info", "vmid", "v", "base_name", "name", "running", "status", "ls",
                 "sensitive", "source_id", "mem_total", "mem_frac", "mem_used", "disk_total", "disk_used", "cpu",
                 "uptime", "net_in", "net_out", "tags", "cpus", "backup", "id", "ip", "odd")

    def __init__(self, f, kind: str, k: int, o: dict):
        vm = self.vm = kind == "vm"
        self.itype = "vm" if vm else "system-container"
        self.platform = "qemu" if vm else "lxc"
        info = self.info = f.node_info(k % f.nodes)
        self.vmid = vmid = 100 + k if vm else 100 + f.vm_count + k
        self.v = v = o.get("v", 0)
        self.base_name = base = f.name_of(kind, k)
        self.name = o.get("name") or base
        w = f.r(kind, k, 1)
        wv = f.r(kind, k, 200 + v) if v else f.r(kind, k, 200)
        running = self.running = o["run"] if "run" in o else w % 100 < 85
        self.status = "online" if running else "offline"
        self.ls = _last_seen(f, v)
        self.sensitive = base.startswith("db-")
        self.source_id = f"{info.instance}:{info.name}:{vmid}"
        self.mem_total = MEM_SIZES[(w >> 8) % 5] * GIB // (1 if vm else 4)
        self.mem_frac = 0.15 + 0.8 * ((wv & 0xFFFFFFFF) / 4294967296.0)
        self.mem_used = int(self.mem_total * self.mem_frac) if running else 0
        self.disk_total = DISK_SIZES[(w >> 12) % 4] * GIB
        self.disk_used = int(self.disk_total * (0.05 + 0.8 * (((w >> 16) & 0xFFFF) / 65536.0)))
        self.cpu = 70 * ((wv >> 32) / 4294967296.0) if running else 0
        uptime = 3600 * (1 + (w >> 32) % 2000) if running else 0
        if o.get("rebooted") and running:
            uptime = 60
        self.uptime = uptime
        self.net_in = 1024 * ((w >> 24) % 400)
        self.net_out = 1024 * ((w >> 40) % 800)
        roll = (w >> 50) % 4
        self.tags = [["prod"], ["prod", base.split("-")[0]], ["staging"]][roll - 1] if roll else None
        self.cpus = 1 << ((w >> 54) % 4)
        self.backup = f.clock.at(-45000) if (w >> 58) % 3 else ZERO_TIME
        self.id = f.id_of(kind, k)
        self.ip = _ip(f, kind, k, 20 if vm else 30) if running else ""
        self.odd = vm and k == 1


def _guest(f, kind: str, k: int, o: dict) -> dict:
    g = GuestFacts(f, kind, k, o)
    info, name, itype = g.info, g.name, g.itype
    policy = SENSITIVE if g.sensitive else INTERNAL
    row = {"id": g.id, "type": itype, "technology": g.platform, "name": name, "status": g.status,
           "lastSeen": g.ls, "updatedAt": f.clock.updated_at}
    if info.connected:
        row["discoveryTarget"] = {"resourceType": itype, "agentId": info.host_id, "resourceId": str(g.vmid), "hostname": name}
    row["metricsTarget"] = {"resourceType": itype, "resourceId": g.source_id}
    primary = f"{itype}:{g.source_id}"
    if info.host_id:
        aliases = [primary, g.source_id, info.host_id, str(g.vmid), info.name, name, g.id, f"agent:{info.host_id}"]
    else:
        aliases = [primary, g.source_id, info.name, name, g.id]
    row["canonicalIdentity"] = {"displayName": name, "hostname": name, "platformId": info.name, "primaryId": primary, "aliases": aliases}
    row["policy"] = policy
    row["aiSafeSummary"] = summary("virtual machine" if g.vm else "system container", g.status, ["proxmox"], policy, parent=True)
    row["platformScopes"] = ["proxmox-pve"]
    row["sources"] = ["proxmox"]
    row["sourceStatus"] = source_status(["proxmox"], g.ls)
    identity = {"hostnames": [name]}
    if g.running:
        identity["ipAddresses"] = [g.ip]
    identity["proxmoxGuestKey"] = f"{info.instance}:{g.vmid}"
    row["identity"] = identity
    metrics = {"cpu": cpu_metric(g.cpu)}
    if g.running:
        metrics["memory"] = bytes_metric(g.mem_used, g.mem_total)
        metrics["disk"] = bytes_metric(g.disk_used, g.disk_total)
        metrics["netIn"] = rate_metric(g.net_in)
        metrics["netOut"] = rate_metric(g.net_out)
    row["metrics"] = metrics
    if g.uptime:
        row["uptime"] = g.uptime
    row["parentId"] = info.id
    row["parentName"] = info.name
    if g.tags:
        row["tags"] = g.tags
    caps, unready = split_available(guest_capabilities(g.platform, g.running), info.connected,
                                    "command_agent_disconnected", AGENT_DISCONNECTED)
    if caps:
        row["capabilities"] = caps
    if unready:
        row["actionReadiness"] = unready
    row["facetCounts"] = {"recentChanges": 0}
    proxmox = {"sourceId": g.source_id, "runtimeStatus": "running" if g.running else "stopped", "nodeName": info.name,
               "instance": info.instance, "vmid": g.vmid}
    if not g.vm:
        proxmox["containerType"] = "lxc"
    proxmox["cpus"] = g.cpus
    if g.uptime:
        proxmox["uptime"] = g.uptime
    proxmox["lastBackup"] = g.backup
    if g.vm:
        proxmox["guestAgentStatus"] = "available" if g.running else "unavailable"
        proxmox["guestAgentExpected"] = True
        if g.running:
            proxmox["osName"] = "Debian GNU/Linux"
            proxmox["osVersion"] = "13"
    else:
        proxmox["osTemplate"] = LXC_TEMPLATE
    proxmox["memory"] = {"total": g.mem_total, "used": g.mem_used, "free": g.mem_total - g.mem_used if g.running else 0,
                         "usage": num(round(g.mem_frac * 100, 2)) if g.running else 0}
    row["proxmox"] = proxmox
    if g.odd:
        row["lifecycle"] = {"phase": "active", "since": f.clock.at(-86400)}   # an unknown field, as Pulse adds them
    return row


def vm(f, k: int, o: dict) -> dict:
    return _guest(f, "vm", k, o)


def ct(f, k: int, o: dict) -> dict:
    return _guest(f, "ct", k, o)


def _storage_ref(f, k: int):
    return f.node_info(k % f.nodes), f.name_of("storage", k)


def storage(f, k: int, o: dict) -> dict:
    info, sname = _storage_ref(f, k)
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    source_id = f"{info.instance}-{info.name}-{sname}"
    total = (100 if sname == "local" else 1800) * GIB
    used = int(total * (0.05 + 0.8 * f.frac("storage", k, 200 + v)))
    status = light_status(f, "storage", k, o)
    name = o.get("name") or sname
    row = {"id": f.id_of("storage", k), "type": "storage", "name": name, "status": status,
           "lastSeen": ls, "updatedAt": f.clock.updated_at,
           "metricsTarget": {"resourceType": "storage", "resourceId": source_id},
           "canonicalIdentity": {"displayName": name, "hostname": sname, "platformId": info.name,
                                 "primaryId": f"storage:{source_id}",
                                 "aliases": [f"storage:{source_id}", source_id, info.name, sname, f.id_of("storage", k)]},
           "policy": SENSITIVE,
           "aiSafeSummary": summary("storage", status, ["proxmox"], SENSITIVE, parent=True),
           "platformScopes": ["proxmox-pve"], "sources": ["proxmox"], "sourceStatus": source_status(["proxmox"], ls),
           "identity": {"hostnames": [sname, info.name]},
           "metrics": {"disk": bytes_metric(used, total)},
           "parentId": info.id, "parentName": info.name, "facetCounts": {"recentChanges": 0},
           "proxmox": {"sourceId": source_id, "nodeName": info.name, "instance": info.instance, "lastBackup": ZERO_TIME}}
    lvm = sname == "local-lvm"
    row["storage"] = {"type": "lvmthin" if lvm else "dir", "content": "images,rootdir" if lvm else "iso,vztmpl,backup",
                      "contentTypes": ["images", "rootdir"] if lvm else ["iso", "vztmpl", "backup"],
                      "shared": False, "enabled": True, "active": True, "isCeph": False, "isZfs": False,
                      "platform": "proxmox-pve", "topology": "pool", "nodes": [info.name]}
    return row


def _disk_ref(f, k: int):
    info = f.node_info(k % f.nodes)
    model = f.name_of("disk", k)
    serial = "S" + f.hex32("disk", k, "serial")[:14].upper()
    return info, model, serial


def disk(f, k: int, o: dict) -> dict:
    info, model, serial = _disk_ref(f, k)
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    host_ref = info.host_id or info.name
    size = {"INTEL SSDPE2KX040T8": 4000787030016, "Samsung SSD 990 PRO 2TB": 2000398934016}.get(model, 8001563222016)
    nvme = not model.startswith("WDC")
    status = light_status(f, "disk", k, o)
    health = "PASSED" if status == "online" else "FAILED"
    scopes = ["agent", "proxmox-pve"] if info.host_id else ["proxmox-pve"]
    sources = ["agent", "proxmox"] if info.host_id else ["proxmox"]
    did = f.id_of("disk", k)
    row = {"id": did, "type": "physical_disk", "name": o.get("name") or model, "status": status,
           "lastSeen": ls, "updatedAt": f.clock.updated_at,
           "discoveryTarget": {"resourceType": "disk", "agentId": info.name, "resourceId": did, "hostname": info.name},
           "metricsTarget": {"resourceType": "disk", "resourceId": f"{host_ref}:{serial}"},
           "canonicalIdentity": {"displayName": model, "hostname": info.name, "platformId": model,
                                 "primaryId": f"disk:{host_ref}:{serial}",
                                 "aliases": [f"disk:{host_ref}:{serial}", f"{host_ref}:{serial}", info.name, did, model, serial, f"agent:{info.name}"]},
           "policy": SENSITIVE,
           "aiSafeSummary": summary("physical disk", status, sources, SENSITIVE, parent=True),
           "platformScopes": scopes, "sources": sources, "sourceStatus": source_status(sources, ls),
           "identity": {"machineId": serial, "hostnames": [info.name]},
           "metrics": {"disk": bytes_metric(0, size)},
           "parentId": info.id, "parentName": info.name, "facetCounts": {"recentChanges": 0}}
    row["physicalDisk"] = {"devPath": "/dev/nvme0n1" if nvme else "/dev/sda", "model": model, "serial": serial,
                           "diskType": "nvme" if nvme else "hdd", "sizeBytes": size, "health": health,
                           "wearout": 90 + f.r("disk", k, 2) % 10 if nvme else -1, "temperature": 30 + f.r("disk", k, 3) % 20,
                           "rpm": 0 if nvme else 5400, "used": "ZFS",
                           "smart": {"powerOnHours": 1000 + f.r("disk", k, 4) % 30000, "powerCycles": 10 + f.r("disk", k, 5) % 200}}
    return row


def ceph(f, k: int, o: dict) -> dict:
    info = f.node_info(min(k * 64, f.nodes - 1))
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    name = o.get("name") or f.name_of("ceph", k)
    fsid = f.hex32("ceph", k, "fsid")
    fsid = f"{fsid[:8]}-{fsid[8:12]}-{fsid[12:16]}-{fsid[16:20]}-{fsid[20:32]}"
    source_id = f"{info.instance}-ceph"
    status = light_status(f, "ceph", k, o)
    warn = status == "warning"
    total = 13194139533312
    used = int(total * (0.2 + 0.3 * f.frac("ceph", k, 200 + v)))
    cid = f.id_of("ceph", k)
    row = {"id": cid, "type": "ceph", "name": name, "status": status, "lastSeen": ls, "updatedAt": f.clock.updated_at,
           "discoveryTarget": {"resourceType": "ceph", "agentId": fsid, "resourceId": cid, "hostname": name},
           "metricsTarget": {"resourceType": "storage", "resourceId": source_id},
           "canonicalIdentity": {"displayName": name, "platformId": name, "primaryId": f"storage:{source_id}",
                                 "aliases": [f"storage:{source_id}", source_id, fsid, cid, name, f"agent:{fsid}"]},
           "policy": SENSITIVE,
           "aiSafeSummary": summary("ceph cluster", status, ["proxmox"], SENSITIVE) + ("; 1 incident, warning severity" if warn else ""),
           "platformScopes": ["proxmox-pve"], "sources": ["proxmox"], "sourceStatus": source_status(["proxmox"], ls),
           "identity": {}, "metrics": {"disk": bytes_metric(used, total)}, "facetCounts": {"recentChanges": 0}}
    if warn:
        row.update({"incidentCount": 1, "incidentCode": "ceph_health_warn", "incidentSeverity": "warning",
                    "incidentSummary": "Ceph reports HEALTH_WARN: 1 OSD nearfull"})
    row["proxmox"] = {"sourceId": source_id, "clusterName": info.cluster, "instance": info.instance, "lastBackup": ZERO_TIME}
    ceph_meta = {"fsid": fsid, "healthStatus": "HEALTH_WARN" if warn else "HEALTH_OK"}
    if warn:
        ceph_meta["healthMessage"] = "1 nearfull osd(s)"
        ceph_meta["healthChecks"] = [{"code": "OSD_NEARFULL", "severity": "HEALTH_WARN", "summary": "1 nearfull osd(s)"}]
    ceph_meta.update({"numMons": 3, "numMgrs": 2, "numOsds": 6, "numOsdsUp": 6, "numOsdsIn": 6, "numPGs": 129,
                      "pools": [{"name": "vm-pool", "storedBytes": used, "availableBytes": total - used,
                                 "objects": used // 4194304, "percentUsed": num(round(used * 100.0 / total, 2))}],
                      "services": [{"type": "mon", "running": 3, "total": 3}, {"type": "osd", "running": 6, "total": 6}]})
    row["ceph"] = ceph_meta
    return row


def _guest_stable(kind):
    def stable(f, k):
        info = f.node_info(f.node_of_guest(kind, k))
        return f"proxmox-guest:{info.instance}:{f.vmid(kind, k)}"
    return stable


def _storage_stable(f, k):
    info, sname = _storage_ref(f, k)
    return f"proxmox:{info.instance}-{info.name}-{sname}"


STABLE = {
    "vm": _guest_stable("vm"), "ct": _guest_stable("ct"), "storage": _storage_stable,
    "disk": lambda f, k: f"machine:{_disk_ref(f, k)[2]}",
    "ceph": lambda f, k: f"proxmox:{f.node_info(min(k * 64, f.nodes - 1)).instance}-ceph",
}
