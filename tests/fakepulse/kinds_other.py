"""Kubernetes rows (cluster, node, pod, deployment, service, namespace; every object's parent
is its cluster), PBS, PMG, a VMware vm and availability endpoints. Shapes follow the fixtures'
prod, k8s-worker-1, api-7d9f8b6c5-x2k4p, api, pbs-01, pmg-01, legacy-erp and router-https rows.
"""

from __future__ import annotations

from common import GIB, INTERNAL, RESTRICTED, SENSITIVE, bytes_metric, cpu_metric, pulse_id, source_status, summary
from gojson import num
from light import status as light_status, vmware_on
from kinds_pve import _last_seen

METRIC_CAPS = {"nodeCpuMemory": True, "nodeTelemetry": False, "podCpuMemory": True, "podNetwork": True,
               "podEphemeralDisk": False, "podDiskIo": False}
NAMESPACES = ["shop", "payments", "observability", "platform"]


def _uuid(f, kind: str, k: int) -> str:
    t = f.token(kind, k)
    h = f.hex32(kind, k, "uid")
    return f"{t}-{h[0:4]}-4{h[4:7]}-8{h[7:10]}-{h[10:22]}"


def _cluster(f, c: int):
    cache = f.__dict__.setdefault("_k8s_clusters", {})
    hit = cache.get(c)
    if hit is None:
        name = f.name_of("k8scluster", c)
        cid = f"k8s-{name}-{f.token('k8scluster', c)[:4]}"
        hit = cache[c] = (name, cid, f"agent-{cid}", pulse_id("k8s-cluster", f"kubernetes:{cid}"))
    return hit


_WORDS = {"k8snode": "node", "pod": "pod", "deploy": "deployment", "ksvc": "service", "kns": "namespace"}


def _in_cluster(f, k: int) -> int:
    return k % max(1, f.counts["k8scluster"])


def _k8s_base(f, kind, k, o, itype, label, status, kind_name, uid_field=None, metrics_target=True, parent=True):
    c = _in_cluster(f, k)
    cname, cid, agent_id, cluster_row = _cluster(f, c)
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    name = o.get("name") or f.name_of(kind, k)
    uid = _uuid(f, kind, k)
    rid = pulse_id(itype, f"kubernetes:{cid}:{_WORDS[kind]}:{uid}")      # = STABLE[kind], without recomputing
    short = {"k8s-node": "node", "pod": "pod"}.get(itype)
    row = {"id": rid, "type": itype, "technology": "kubernetes", "name": name, "status": status, "lastSeen": ls,
           "updatedAt": f.clock.updated_at,
           "discoveryTarget": {"resourceType": itype, "agentId": agent_id, "resourceId": uid, "hostname": cname}}
    node_name = ""
    if short:
        ref = f"{cid}:{short}:{uid}"
        row["metricsTarget"] = {"resourceType": "k8s", "resourceId": ref}
        node_name = name if short == "node" else f.name_of("k8snode", k % max(1, f.counts["k8snode"])) if f.counts["k8snode"] else cname
        row["canonicalIdentity"] = {"displayName": name, "platformId": node_name, "primaryId": f"k8s:{ref}",
                                    "aliases": [f"k8s:{ref}", ref, agent_id, uid, cid, node_name, rid, f"agent:{agent_id}"]}
    else:
        row["canonicalIdentity"] = {"displayName": name, "platformId": cname, "primaryId": f"{itype}:{uid}",
                                    "aliases": [f"{itype}:{uid}", agent_id, uid, cid, cname, rid, f"agent:{agent_id}"]}
    row["policy"] = INTERNAL
    row["aiSafeSummary"] = summary(label, status, ["kubernetes"], INTERNAL, parent=True)
    row["platformScopes"] = ["kubernetes"]
    row["sources"] = ["kubernetes"]
    row["sourceStatus"] = source_status(["kubernetes"], ls)
    row["identity"] = {"clusterName": cname}
    facet = {"clusterId": cid, "clusterName": cname, "resourceUid": uid, "resourceKind": kind_name, "agentId": agent_id}
    return row, facet, cluster_row, cname, uid, node_name


def k8s_cluster(f, c: int, o: dict) -> dict:
    cname, cid, agent_id, rid = _cluster(f, c)
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    name = o.get("name") or cname
    clusters = max(1, f.counts["k8scluster"])
    children = sum(f.counts[kind] // clusters + (1 if c < f.counts[kind] % clusters else 0)
                   for kind in ("k8snode", "pod", "deploy", "ksvc", "kns"))
    row = {"id": rid, "type": "k8s-cluster", "technology": "kubernetes", "name": name, "status": "online", "lastSeen": ls,
           "updatedAt": f.clock.updated_at,
           "discoveryTarget": {"resourceType": "k8s-cluster", "agentId": agent_id, "resourceId": cid, "hostname": cname},
           "metricsTarget": {"resourceType": "k8s", "resourceId": cid},
           "canonicalIdentity": {"displayName": name, "platformId": cname, "primaryId": f"k8s:{cid}",
                                 "aliases": [f"k8s:{cid}", cid, agent_id, cname, rid, f"agent:{agent_id}"]},
           "policy": INTERNAL,
           "aiSafeSummary": summary("kubernetes cluster", "online", ["kubernetes"], INTERNAL, children=children),
           "platformScopes": ["kubernetes"], "sources": ["kubernetes"], "sourceStatus": source_status(["kubernetes"], ls),
           "identity": {"clusterName": cname}}
    if children:
        row["childCount"] = children
    row["facetCounts"] = {"recentChanges": 0}
    row["kubernetes"] = {"clusterId": cid, "clusterName": cname, "agentId": agent_id, "context": f"{cname}-admin",
                         "server": f"https://10.70.{c >> 8 & 255}.{c & 255 or 1}:6443", "version": "v1.33.4",
                         "agentVersion": "6.3.0", "intervalSeconds": 30, "metricCapabilities": METRIC_CAPS}
    return row


def k8s_node(f, k: int, o: dict) -> dict:
    v = o.get("v", 0)
    ready = light_status(f, "k8snode", k, o) == "online"
    row, facet, cluster_row, cname, uid, node_name = _k8s_base(
        f, "k8snode", k, o, "k8s-node", "kubernetes node", "online" if ready else "warning", "Node")
    mem_total = 32 * GIB
    row["metrics"] = {"cpu": cpu_metric(60 * f.frac("k8snode", k, 300 + v)),
                      "memory": bytes_metric(int(mem_total * (0.2 + 0.6 * f.frac("k8snode", k, 200 + v))), mem_total)}
    row["parentId"] = cluster_row
    row["parentName"] = cname
    row["facetCounts"] = {"recentChanges": 0}
    facet.update({"nodeUid": uid, "nodeName": node_name})
    if ready:
        facet["ready"] = True
    facet.update({"roles": ["worker"], "kubeletVersion": "v1.33.4", "containerRuntimeVersion": "containerd://2.1.4",
                  "osImage": "Ubuntu 24.04.3 LTS", "kernelVersion": "6.8.0-71-generic", "architecture": "amd64",
                  "capacityCpuCores": 8, "capacityMemoryBytes": mem_total, "capacityPods": 110, "allocatableCpuCores": 8,
                  "allocatableMemoryBytes": mem_total - 1073741824, "allocatablePods": 110, "metricCapabilities": METRIC_CAPS})
    row["kubernetes"] = facet
    return row


def pod(f, k: int, o: dict) -> dict:
    v = o.get("v", 0)
    roll = f.r("pod", k, 100 + v) % 20
    phase, crashing = ("Pending", False) if roll == 0 else ("Running", roll == 1)
    status = light_status(f, "pod", k, o)
    row, facet, cluster_row, cname, uid, node_name = _k8s_base(f, "pod", k, o, "pod", "kubernetes pod", status, "Pod")
    if phase == "Running":
        row["metrics"] = {"cpu": cpu_metric(5 * f.frac("pod", k, 300 + v)),
                          "memory": {"value": 0, "used": 64 * 1024 * 1024 * (1 + f.r("pod", k, 2) % 10), "unit": "bytes"}}
    row["parentId"] = cluster_row
    row["parentName"] = cname
    row["facetCounts"] = {"recentChanges": 0}
    deploy = k % max(1, f.counts["deploy"])
    owner = f"{f.name_of('deploy', deploy)}-{f.token('deploy', deploy)[:9]}" if f.counts["deploy"] else "standalone"
    restarts = 4 if crashing else 0
    container = {"name": "app", "image": "ghcr.io/example/app:2.4.1"}
    if phase == "Running" and not crashing:
        container["ready"] = True
    else:
        container["ready"] = False
    if restarts:
        container.update({"restartCount": restarts, "state": "waiting", "reason": "CrashLoopBackOff"})
    else:
        container["state"] = "running" if phase == "Running" else "waiting"
    facet.update({"nodeName": node_name, "namespace": NAMESPACES[k % 4], "podUid": uid, "podPhase": phase,
                  "podContainers": [container], "qosClass": "Burstable"})
    if restarts:
        facet["restarts"] = restarts
    facet.update({"ownerKind": "ReplicaSet", "ownerName": owner, "image": "ghcr.io/example/app:2.4.1",
                  "labels": {"app": owner.rsplit("-", 1)[0]}, "metricCapabilities": METRIC_CAPS})
    row["kubernetes"] = facet
    return row


def deployment(f, k: int, o: dict) -> dict:
    v = o.get("v", 0)
    ready = 3 if light_status(f, "deploy", k, o) == "online" else 2
    row, facet, cluster_row, cname, uid, _ = _k8s_base(
        f, "deploy", k, o, "k8s-deployment", "kubernetes deployment", "online" if ready == 3 else "warning", "Deployment")
    row["parentId"] = cluster_row
    row["parentName"] = cname
    row["facetCounts"] = {"recentChanges": 0}
    facet.update({"namespace": NAMESPACES[k % 4], "labels": {"app": row["name"]}, "deploymentUid": uid,
                  "desiredReplicas": 3, "updatedReplicas": 3, "readyReplicas": ready, "availableReplicas": ready,
                  "observedGeneration": 1 + k % 40, "metricCapabilities": METRIC_CAPS})
    row["kubernetes"] = facet
    return row


def k8s_service(f, k: int, o: dict) -> dict:
    row, facet, cluster_row, cname, uid, _ = _k8s_base(f, "ksvc", k, o, "k8s-service", "kubernetes service", "online", "Service")
    row["parentId"] = cluster_row
    row["parentName"] = cname
    row["facetCounts"] = {"recentChanges": 0}
    facet.update({"namespace": NAMESPACES[k % 4], "serviceUid": uid, "serviceName": row["name"], "serviceType": "ClusterIP",
                  "clusterIp": f"10.96.{k >> 8 & 255}.{k & 255 or 1}", "selector": {"app": row["name"]},
                  "metricCapabilities": METRIC_CAPS})
    row["kubernetes"] = facet
    return row


def k8s_namespace(f, k: int, o: dict) -> dict:
    row, facet, cluster_row, cname, uid, _ = _k8s_base(f, "kns", k, o, "k8s-namespace", "kubernetes namespace", "online", "Namespace")
    row["parentId"] = cluster_row
    row["parentName"] = cname
    row["facetCounts"] = {"recentChanges": 0}
    facet.update({"namespaceUid": uid, "phase": "Active", "metricCapabilities": METRIC_CAPS})
    row["kubernetes"] = facet
    return row


def pbs(f, k: int, o: dict) -> dict:
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    base = f.name_of("pbs", k)
    name = o.get("name") or base
    fqdn = f"{base}.{f.site}.example"
    rid = f.id_of("pbs", k)
    total, used = 8796093022208, int(8796093022208 * (0.4 + 0.4 * f.frac("pbs", k, 200 + v)))
    return {"id": rid, "type": "pbs", "name": name, "status": "online", "lastSeen": ls, "updatedAt": f.clock.updated_at,
            "discoveryTarget": {"resourceType": "agent", "agentId": fqdn, "resourceId": fqdn, "hostname": fqdn},
            "canonicalIdentity": {"displayName": name, "hostname": base, "platformId": fqdn, "primaryId": f"agent:{fqdn}",
                                  "aliases": [f"agent:{fqdn}", fqdn, base, rid]},
            "policy": SENSITIVE,
            "aiSafeSummary": summary("backup server", "online", ["pbs"], SENSITIVE),
            "platformScopes": ["proxmox-pbs"], "sources": ["pbs"], "sourceStatus": source_status(["pbs"], ls),
            "identity": {"hostnames": [base, fqdn]},
            "metrics": {"cpu": cpu_metric(10 * f.frac("pbs", k, 300 + v)), "memory": bytes_metric(5368709120, 17179869184),
                        "disk": bytes_metric(used, total)},
            "facetCounts": {"recentChanges": 0},
            "pbs": {"instanceId": base, "hostname": fqdn, "hostUrl": f"https://10.0.10.{20 + k % 200}:8007", "version": "4.0.14",
                    "uptimeSeconds": 2592000, "datastoreCount": 1,
                    "datastores": [{"name": "tank-backups", "total": total, "used": used, "available": total - used,
                                    "usagePercent": num(round(used * 100.0 / total, 2)), "status": "available", "deduplicationFactor": 11.3}],
                    "backupJobCount": 1, "verifyJobCount": 1, "pruneJobCount": 1, "garbageJobCount": 1, "connectionHealth": "healthy"}}


def pmg(f, k: int, o: dict, detail: bool = False) -> dict:
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    base = f.name_of("pmg", k)
    name = o.get("name") or base
    fqdn = f"{base}.{f.site}.example"
    rid = f.id_of("pmg", k)
    facet = {"instanceId": base, "hostname": fqdn, "hostUrl": f"https://10.0.10.{25 + k % 200}:8006", "version": "9.0.2",
             "nodeCount": 1, "uptimeSeconds": 1728000, "queueDeferred": 3, "queueTotal": 3, "mailCountTotal": 18234,
             "spamIn": 2211, "virusIn": 4, "connectionHealth": "healthy", "lastUpdated": ls,
             "nodes": [{"name": base, "status": "online", "role": "master", "uptime": 1728000, "loadAvg": "0.12"}],
             "quarantine": {"spam": 140, "virus": 4, "attachment": 2, "blacklisted": 0}}
    if detail:
        # Only GET /api/resources/{id} carries these: the list prunes them (pruneResourceForListResponse).
        facet["relayDomains"] = [{"domain": f"{f.site}.example"}]
        facet["domainStats"] = [{"domain": f"{f.site}.example", "mailCount": 18234, "spamCount": 2211, "virusCount": 4}]
        facet["domainStatsAsOf"] = ls
    else:
        facet["domainStatsAsOf"] = "0001-01-01T00:00:00Z"
    return {"id": rid, "type": "pmg", "name": name, "status": "online", "lastSeen": ls, "updatedAt": f.clock.updated_at,
            "discoveryTarget": {"resourceType": "agent", "agentId": fqdn, "resourceId": fqdn, "hostname": fqdn},
            "canonicalIdentity": {"displayName": name, "hostname": base, "platformId": fqdn, "primaryId": f"agent:{fqdn}",
                                  "aliases": [f"agent:{fqdn}", fqdn, base, rid]},
            "policy": RESTRICTED,
            "aiSafeSummary": summary("mail gateway", "online", ["pmg"], RESTRICTED),
            "platformScopes": ["proxmox-pmg"], "sources": ["pmg"], "sourceStatus": source_status(["pmg"], ls),
            "identity": {"hostnames": [base, fqdn]}, "facetCounts": {"recentChanges": 0}, "pmg": facet}


def vmware(f, k: int, o: dict) -> dict:
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    name = o.get("name") or f.name_of("vmware", k)
    moid = f"vm-{1000 + k}"
    conn = f"vc-{f.site}"
    on = vmware_on(f, k, o)
    status = "online" if on else "offline"
    rid = f.id_of("vmware", k)
    ip = f"10.80.{k >> 8 & 255}.{k & 255 or 1}"
    row = {"id": rid, "type": "vm", "technology": "vmware", "name": name, "status": status, "lastSeen": ls,
           "updatedAt": f.clock.updated_at,
           "metricsTarget": {"resourceType": "vm", "resourceId": f"{conn}:{moid}"},
           "canonicalIdentity": {"displayName": name, "hostname": name, "platformId": name, "primaryId": f"vm:{conn}:{moid}",
                                 "aliases": [f"vm:{conn}:{moid}", f"{conn}:{moid}", moid, name, rid]},
           "policy": INTERNAL,
           "aiSafeSummary": summary("virtual machine", status, ["vmware"], INTERNAL),
           "platformScopes": ["vmware-vsphere"], "sources": ["vmware"], "sourceStatus": source_status(["vmware"], ls),
           "identity": {"hostnames": [name], "ipAddresses": [ip]}}
    if on:
        row["metrics"] = {"cpu": cpu_metric(30 * f.frac("vmware", k, 300 + v)), "memory": bytes_metric(6442450944, 8589934592)}
    row["facetCounts"] = {"recentChanges": 0}
    row["vmware"] = {"connectionId": conn, "connectionName": f"vCenter {f.site}", "vcenterHost": f"vcenter.{f.site}.example",
                     "managedObjectId": moid, "entityType": "VirtualMachine", "datacenterName": "DC1", "clusterName": "Cluster-A",
                     "runtimeHostId": f"host-{17 + k % 8}", "runtimeHostName": f"esx-{1 + k % 8:02d}.{f.site}.example",
                     "powerState": "POWERED_ON" if on else "POWERED_OFF", "overallStatus": "green", "cpuCount": 4,
                     "memorySizeMib": 8192, "guestOsFamily": "WINDOWS", "guestHostname": name, "guestIpAddresses": [ip],
                     "snapshotCount": 1}
    return row


def endpoint(f, k: int, o: dict) -> dict:
    v = o.get("v", 0)
    ls = _last_seen(f, v)
    name = o.get("name") or f.name_of("endpoint", k)
    target = f"target-{name}"
    address = f"10.0.0.{1 + k % 250}"
    available = light_status(f, "endpoint", k, o) == "online"
    status = "online" if available else "offline"
    rid = f.id_of("endpoint", k)
    check = {"targetId": target, "name": name, "targetKind": "endpoint", "address": address, "protocol": "https", "port": 443,
             "enabled": True, "available": available, "lastChecked": ls}
    if available:
        check["lastSuccess"] = ls
        check["latencyMillis"] = 1 + k % 40
    check.update({"pollIntervalSeconds": 60, "timeoutMillis": 5000, "correlationState": "standalone"})
    return {"id": rid, "type": "network-endpoint", "name": name, "status": status, "lastSeen": ls, "updatedAt": f.clock.updated_at,
            "canonicalIdentity": {"displayName": name, "hostname": address, "platformId": address,
                                  "primaryId": f"availability:{target}", "aliases": [f"availability:{target}", target, address, rid]},
            "policy": INTERNAL,
            "aiSafeSummary": summary("network-endpoint", status, ["availability"], INTERNAL),
            "platformScopes": ["availability"], "sources": ["availability"], "sourceStatus": source_status(["availability"], ls),
            "identity": {}, "facetCounts": {"recentChanges": 0, "availabilityChecks": 1},
            "availability": check, "availabilityChecks": [check]}


def _k8s_stable(kind, word):
    def stable(f, k):
        cid = _cluster(f, _in_cluster(f, k))[1]
        return f"kubernetes:{cid}:{_WORDS[kind]}:{_uuid(f, kind, k)}"
    return stable


STABLE = {
    "k8scluster": lambda f, c: f"kubernetes:{_cluster(f, c)[1]}",
    "k8snode": _k8s_stable("k8snode", "node"), "pod": _k8s_stable("pod", "pod"),
    "deploy": _k8s_stable("deploy", "deployment"), "ksvc": _k8s_stable("ksvc", "service"),
    "kns": _k8s_stable("kns", "namespace"),
    "pbs": lambda f, k: f"pbs:{f.name_of('pbs', k)}", "pmg": lambda f, k: f"pmg:{f.name_of('pmg', k)}",
    "vmware": lambda f, k: f"vmware:vc-{f.site}:vm-{1000 + k}",
    "endpoint": lambda f, k: f"availability:target-{f.name_of('endpoint', k)}",
}
