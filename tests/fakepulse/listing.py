"""`GET /api/resources` rules shared by the generated fleet and the fixture fleet.

Query parsing, the type-token grammar, clamping and page arithmetic are Pulse's
(`internal/api/resourceapi/resources.go`: `parseListFilters`, `resourceTypeFilterAdapter`,
`paginate`). Aggregations are computed over all resources, not the filtered set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import gojson

_K8S_KINDS = ["replicaset", "namespace", "service", "statefulset", "daemonset", "job", "cronjob", "ingress",
              "endpoint-slice", "network-policy", "persistent-volume", "persistent-volume-claim", "storage-class",
              "configmap", "secret", "serviceaccount", "role", "cluster-role", "role-binding", "cluster-role-binding",
              "resource-quota", "limit-range", "pod-disruption-budget", "horizontal-pod-autoscaler", "event"]

TYPE_TOKENS: dict[str, str] = {}
for _names, _type in [
    (["agent", "agents", "node", "nodes"], "agent"), (["docker-host"], "docker-host"),
    (["docker-image", "docker-images"], "docker-image"), (["docker-volume", "docker-volumes"], "docker-volume"),
    (["docker-network", "docker-networks"], "docker-network"), (["docker-task", "docker-tasks"], "docker-task"),
    (["docker-swarm-node", "docker-swarm-nodes", "docker-node", "docker-nodes", "swarm-node", "swarm-nodes"], "docker-swarm-node"),
    (["docker-secret", "docker-secrets", "swarm-secret", "swarm-secrets"], "docker-secret"),
    (["docker-config", "docker-configs", "swarm-config", "swarm-configs"], "docker-config"),
    (["vm", "vms"], "vm"), (["system-container", "system-containers", "oci-container"], "system-container"),
    (["app-container", "app-containers"], "app-container"), (["docker-service", "service", "services"], "docker-service"),
    (["pod", "pods"], "pod"), (["k8s-cluster", "k8s-clusters"], "k8s-cluster"), (["k8s-node", "k8s-nodes"], "k8s-node"),
    (["k8s-deployment", "k8s-deployments"], "k8s-deployment"),
    (["storage"], "storage"), (["network", "networks"], "network"), (["pbs"], "pbs"), (["pmg"], "pmg"),
    (["ceph", "pool"], "ceph"), (["physical_disk", "physical-disk", "physicaldisk", "disk"], "physical_disk"),
    (["network-share", "network-shares", "share", "shares"], "network-share"),
    (["network-endpoint", "network-endpoints", "endpoint", "endpoints", "availability"], "network-endpoint"),
]:
    for _n in _names:
        TYPE_TOKENS[_n] = _type
_IRREGULAR = {"ingress": "ingresses", "network-policy": "network-policies", "storage-class": "storage-classes"}
for _k in _K8S_KINDS:
    TYPE_TOKENS[f"k8s-{_k}"] = f"k8s-{_k}"
    TYPE_TOKENS[f"k8s-{_IRREGULAR.get(_k, _k + 's')}"] = f"k8s-{_k}"
TYPE_TOKENS["k8s-hpa"] = TYPE_TOKENS["k8s-hpas"] = "k8s-horizontal-pod-autoscaler"

SOURCES = {"proxmox": "proxmox", "agent": "agent", "docker": "docker", "pbs": "pbs", "pmg": "pmg",
           "kubernetes": "kubernetes", "truenas": "truenas", "vmware": "vmware", "vmware-vsphere": "vmware",
           "availability": "availability"}
STATUSES = {"online", "offline", "warning", "unknown"}


def split_csv(raw: str) -> list[str]:
    raw = raw.replace("%2c", ",").replace("%2C", ",")
    return [p.strip().lower() for p in raw.split(",") if p.strip()]


def parse_int(raw: str | None, default: int) -> int:
    """Go's `strconv.Atoi` or the default: an optional sign, ASCII digits, nothing else."""
    if not raw:
        return default
    body = raw[1:] if raw[0] in "+-" else raw
    if not body or not body.isascii() or not body.isdigit():
        return default
    return int(raw)


@dataclass
class ListQuery:
    types: frozenset = frozenset()
    sources: frozenset = frozenset()
    statuses: frozenset = frozenset()
    parent: str = ""
    query: str = ""
    tags: frozenset = frozenset()
    cluster: str = ""
    namespace: str = ""
    page: int = 1
    limit: int = 50
    sort: str = "name"
    order: str = "asc"
    unsupported: list = field(default_factory=list)

    @property
    def simple(self) -> bool:
        """Served by the order-preserving fast path: name order, at most a type filter."""
        return (self.sort not in ("status", "type", "lastSeen") and not self.sources and not self.statuses
                and not self.parent and not self.query and not self.tags and not self.cluster and not self.namespace)

    def cache_key(self) -> tuple:
        return (self.types, self.sources, self.statuses, self.parent, self.query, self.tags, self.cluster,
                self.namespace, self.sort, self.order)


def parse_list_query(q: dict[str, str]) -> ListQuery:
    raw_type = q.get("type", "")
    unsupported = [t for t in split_csv(raw_type) if t not in TYPE_TOKENS] if raw_type.strip() else []
    lq = ListQuery(
        types=frozenset(TYPE_TOKENS[t] for t in split_csv(raw_type) if t in TYPE_TOKENS),
        sources=frozenset(SOURCES[s] for s in split_csv(q.get("source", "")) if s in SOURCES),
        statuses=frozenset(s for s in split_csv(q.get("status", "")) if s in STATUSES),
        parent=q.get("parent", "").strip(), query=q.get("q", "").strip().lower(),
        tags=frozenset(split_csv(q.get("tags", ""))), cluster=q.get("cluster", "").strip(),
        namespace=q.get("namespace", "").strip(),
        page=parse_int(q.get("page"), 1), limit=parse_int(q.get("limit"), 50),
        sort=q.get("sort", "").strip() or "name", order="desc" if q.get("order", "").strip().lower() == "desc" else "asc",
        unsupported=unsupported)
    if lq.page < 1:
        lq.page = 1
    if lq.limit < 1:
        lq.limit = 50
    if lq.limit > 100:
        lq.limit = 100
    return lq


def matches(row: dict, lq: ListQuery) -> bool:
    """`applyFilters` on one (already contract-typed) row."""
    if lq.types and row.get("type") not in lq.types:
        return False
    if lq.sources and not any(s in lq.sources for s in row.get("sources", [])):
        return False
    if lq.statuses and row.get("status") not in lq.statuses:
        return False
    if lq.parent and row.get("parentId") != lq.parent:
        return False
    if lq.cluster:
        want = lq.cluster.lower()
        names = {(row.get("identity") or {}).get("clusterName", "").lower(),
                 (row.get("proxmox") or {}).get("clusterName", "").lower()}
        swarm = ((row.get("docker") or {}).get("swarm") or {})
        names |= {swarm.get("clusterName", "").strip().lower(), swarm.get("clusterId", "").strip().lower()}
        if want not in names:
            return False
    if lq.namespace:
        k8s = row.get("kubernetes")
        if not k8s or k8s.get("namespace", "").strip().lower() != lq.namespace.lower():
            return False
    if lq.query and lq.query not in str(row.get("name", "")).lower():
        return False
    if lq.tags and not any(str(t).lower() in lq.tags for t in row.get("tags", [])):
        return False
    return True


def internal_type(row: dict) -> str:
    return "agent" if row.get("type") == "docker-host" else str(row.get("type"))


def name_key(row: dict) -> tuple:
    return (str(row.get("name", "")).strip().lower(), internal_type(row), str(row.get("id", "")))


def sort_rows(rows: list[dict], sort: str, order: str) -> list[dict]:
    """`applySorting`: the chosen field, ties by canonical name; `desc` reverses the comparison."""
    if sort == "status":
        key = lambda r: (str(r.get("status", "")), name_key(r))
    elif sort == "type":
        key = lambda r: (internal_type(r), name_key(r))
    elif sort == "lastSeen":
        key = lambda r: (str(r.get("lastSeen", "")), name_key(r))
    else:
        key = name_key
    return sorted(rows, key=key, reverse=(order == "desc"))


def meta(page: int, limit: int, total: int) -> dict:
    return {"page": page, "limit": limit, "total": total, "totalPages": (total + limit - 1) // limit}


def envelope(rows_json: list[bytes], meta_doc: dict, aggregations: bytes) -> bytes:
    return b"".join((b'{"data":[', b",".join(rows_json), b'],"meta":', gojson.marshal(meta_doc),
                     b',"aggregations":', aggregations, b"}\n"))


class Aggregator:
    """`computeResourceContractStats` + `resourcePolicyPostureAggregation`, kept incrementally."""

    def __init__(self, admission: dict):
        self.total = 0
        self.by_type: dict[str, int] = {}
        self.by_status: dict[str, int] = {}
        self.by_source: dict[str, int] = {}
        self.sensitivity: dict[str, int] = {}
        self.routing: dict[str, int] = {}
        self.redaction: dict[str, int] = {}
        self.admission = admission
        self._bytes: bytes | None = None

    @staticmethod
    def _bump(table: dict, key: str, delta: int) -> None:
        value = table.get(key, 0) + delta
        if value:
            table[key] = value
        else:
            table.pop(key, None)

    def add(self, light: tuple, delta: int = 1) -> None:
        """`light` = (contract type, status, sources, sensitivity, routing scope, redactions)."""
        ctype, status, sources, sensitivity, routing, redact = light
        self.total += delta
        self._bump(self.by_type, ctype, delta)
        self._bump(self.by_status, status, delta)
        for s in sources:
            self._bump(self.by_source, s, delta)
        self._bump(self.sensitivity, sensitivity, delta)
        self._bump(self.routing, routing, delta)
        for r in redact:
            self._bump(self.redaction, r, delta)
        self._bytes = None

    def document(self) -> dict:
        sm = gojson.sorted_map
        return {"total": self.total, "byType": sm(self.by_type), "byStatus": sm(self.by_status),
                "bySource": sm(self.by_source),
                "policyPosture": {"totalResources": self.total, "sensitivityCounts": sm(self.sensitivity),
                                  "routingCounts": sm(self.routing), "redactionCounts": sm(self.redaction)},
                "platformAdmission": self.admission}

    def encoded(self) -> bytes:
        if self._bytes is None:
            self._bytes = gojson.marshal(self.document())
        return self._bytes


def light_of(row: dict) -> tuple:
    policy = row.get("policy") or {}
    routing = policy.get("routing") or {}
    return (str(row.get("type")), str(row.get("status")), tuple(row.get("sources", [])),
            policy.get("sensitivity", ""), routing.get("scope", ""), tuple(routing.get("redact", [])))
