"""The shape of a generated fleet: how many of each kind, and where each row sits in name order.

A row's identity is its position in the fleet's initial name order (Pulse's sort: lower-cased
name, then internal type, then id). Names are built so that this order is known without
sorting: each kind's rows fall into name groups (`web-0001`, `web-0002`, ... or a shared name
like `local`), and groups are laid end to end in name order. Position → group → kind index is
a bisection; nothing is materialised per row except, for groups whose rows share one name, a
permutation by id.
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field


@dataclass
class Group:
    kind: str
    itype: str          # Pulse's internal type (a Docker-only host is "agent")
    kind_off: int       # first kind index in this group
    count: int
    prefix: str = ""    # indexed group: name = prefix + zero-padded (j + 1)
    width: int = 0
    fixed: str = ""     # tied group: every row has this name
    start: int = 0      # first position
    perm: array | None = None      # tied: rank → local index (ordered by id)
    inverse: array | None = None   # tied: local index → rank

    def name(self, j: int) -> str:
        if self.fixed:
            return self.fixed
        return self.prefix + str(j + 1).zfill(self.width)


# kind → (internal type, contract type)
TYPES = {
    "node": ("agent", "agent"), "host": ("agent", "agent"), "truenas": ("agent", "agent"),
    "dockerhost": ("agent", "docker-host"),
    "vm": ("vm", "vm"), "vmware": ("vm", "vm"), "ct": ("system-container", "system-container"),
    "appct": ("app-container", "app-container"), "nasapp": ("app-container", "app-container"),
    "storage": ("storage", "storage"), "disk": ("physical_disk", "physical_disk"), "ceph": ("ceph", "ceph"),
    "dsvc": ("docker-service", "docker-service"), "dnet": ("docker-network", "docker-network"),
    "dimg": ("docker-image", "docker-image"),
    "k8scluster": ("k8s-cluster", "k8s-cluster"), "k8snode": ("k8s-node", "k8s-node"), "pod": ("pod", "pod"),
    "deploy": ("k8s-deployment", "k8s-deployment"), "ksvc": ("k8s-service", "k8s-service"),
    "kns": ("k8s-namespace", "k8s-namespace"),
    "pbs": ("pbs", "pbs"), "pmg": ("pmg", "pmg"),
    "share": ("network-share", "network-share"), "endpoint": ("network-endpoint", "network-endpoint"),
}

# Kinds in priority order: when a small fleet cannot hold every kind, the last ones go first.
# Parents come before their children so that a kept child always has a parent.
PRIORITY = ["node", "vm", "ct", "dockerhost", "appct", "storage", "truenas", "nasapp", "k8scluster", "pod",
            "vmware", "pbs", "host", "k8snode", "deploy", "disk", "pmg", "ceph", "dnet", "dsvc", "dimg",
            "endpoint", "share", "ksvc", "kns"]

# Name groups per kind (indexed prefixes); the row counts are split across them evenly.
PREFIXES = {
    "node": ["pve"], "vm": ["api-", "cache-", "db-", "web-", "worker-"], "ct": ["ct-dns-", "ct-proxy-", "ct-runner-"],
    "host": ["srv-"], "dockerhost": ["docker-"], "appct": ["grafana-", "nginx-", "redis-"], "dsvc": ["svc_"],
    "k8scluster": ["kube-"], "k8snode": ["knode-"], "pod": ["pod-"], "deploy": ["deploy-"], "ksvc": ["ksvc-"],
    "kns": ["ns-"], "ceph": ["ceph-"], "pbs": ["pbs-"], "pmg": ["pmg-"], "truenas": ["nas-"], "nasapp": ["plex-"],
    "share": ["share-"], "endpoint": ["probe-"], "vmware": ["legacy-"],
}
STORAGE_NAMES = ["local", "local-lvm"]
DISK_MODELS = ["INTEL SSDPE2KX040T8", "Samsung SSD 990 PRO 2TB", "WDC WD80EFZZ-68BTXN0"]
SHARED_NAMES = {"dnet": "bridge", "dimg": "nginx:1.29-alpine"}   # one name for every row of the kind
ODD_VM_NAME = "4242"   # a vm whose name looks like an integer


def kind_counts(n: int) -> dict[str, int]:
    """How many rows of each kind a fleet of `n` holds (sums to exactly `n`)."""
    def frac(f: float, low: int = 1) -> int:
        return max(low, int(n * f))
    nodes = frac(0.03)
    c = {
        "node": nodes, "ct": frac(0.15), "dockerhost": frac(0.01), "host": frac(0.01),
        "k8scluster": max(1, n // 5000), "truenas": max(1, n // 10000), "pbs": max(1, n // 20000),
        "pmg": max(1, n // 50000), "vmware": frac(0.01), "endpoint": frac(0.005),
    }
    c["appct"] = max(c["dockerhost"], frac(0.12))
    c["storage"] = 2 * nodes
    c["disk"] = nodes
    c["ceph"] = max(1, (nodes // 8) // 8)
    c["dnet"] = max(1, c["dockerhost"] // 4)
    c["dimg"] = max(1, c["dockerhost"] // 4)
    c["dsvc"] = max(1, c["dockerhost"] // 10)
    c["k8snode"] = max(c["k8scluster"], frac(0.01))
    c["pod"] = max(1, frac(0.06))
    c["deploy"] = max(1, c["pod"] // 5)
    c["ksvc"] = 2 * c["k8scluster"]
    c["kns"] = 2 * c["k8scluster"]
    c["nasapp"] = 2 * c["truenas"]
    c["share"] = c["truenas"]
    budget = n - max(2, n // 4)          # leave at least a quarter of the fleet to vms
    for kind in reversed(PRIORITY):
        if kind in ("node", "vm") or sum(c.values()) <= budget:
            continue
        if kind == "storage" and c["storage"] > c["node"]:
            c["storage"] = c["node"]     # keep "local", drop "local-lvm"
            if sum(c.values()) <= budget:
                continue
        c[kind] = 0
    oddities = 1 if n >= 20 else 0
    c["vm"] = n - sum(c.values())        # the vm kind absorbs the remainder (the odd vm included)
    c["oddvm"] = oddities
    return c


@dataclass
class Layout:
    n: int
    counts: dict[str, int]
    groups: list[Group] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    by_kind: dict[str, list[Group]] = field(default_factory=dict)
    _offsets: dict[str, list[int]] = field(default_factory=dict)

    def locate(self, position: int) -> tuple[Group, int]:
        """Position → (group, local index within the group's kind range)."""
        g = self.groups[bisect.bisect_right(self.starts, position) - 1]
        rank = position - g.start
        return g, (g.perm[rank] if g.perm is not None else rank)

    def kind_index(self, position: int) -> tuple[str, int]:
        g, j = self.locate(position)
        return g.kind, g.kind_off + j

    def position(self, kind: str, k: int) -> int:
        """Kind index → position (the inverse of `kind_index`)."""
        groups = self.by_kind[kind]
        lo, hi = 0, len(groups) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if groups[mid].kind_off <= k:
                lo = mid
            else:
                hi = mid - 1
        g = groups[lo]
        j = k - g.kind_off
        if not 0 <= j < g.count:
            raise KeyError((kind, k))
        return g.start + (g.inverse[j] if g.inverse is not None else j)

    def tie(self, id_of) -> None:
        """Order each shared-name group by id, as Pulse's tie-break does. `id_of(kind, k)`."""
        for g in self.groups:
            if not g.fixed:
                continue
            ids = [id_of(g.kind, g.kind_off + j) for j in range(g.count)]
            order = sorted(range(g.count), key=ids.__getitem__)
            g.perm = array("q", order)
            inverse = array("q", [0]) * g.count
            for rank, j in enumerate(order):
                inverse[j] = rank
            g.inverse = inverse

    def base_name(self, kind: str, k: int) -> str:
        groups = self.by_kind[kind]
        if len(groups) == 1:
            g = groups[0]
        else:
            offs = self._offsets.get(kind)
            if offs is None:
                offs = self._offsets[kind] = [x.kind_off for x in groups]
            g = groups[bisect.bisect_right(offs, k) - 1]
        j = k - g.kind_off
        if not 0 <= j < g.count:
            raise KeyError((kind, k))
        return g.fixed or g.prefix + str(j + 1).zfill(g.width)


def build_layout(n: int) -> Layout:
    """Lay the groups out in name order; call `tie` afterwards to order the shared-name groups."""
    counts = kind_counts(n)
    groups: list[Group] = []
    vm_regular = counts["vm"] - counts["oddvm"]
    for kind, total in counts.items():
        if kind == "oddvm" or total == 0:
            continue
        itype = TYPES[kind][0]
        if kind == "storage":
            per = total if total <= counts["node"] else total // 2
            for i, name in enumerate(STORAGE_NAMES[: 1 if total <= counts["node"] else 2]):
                groups.append(Group(kind, itype, i * per, per, fixed=name))
            continue
        if kind == "disk":
            _split(groups, kind, itype, 0, total, fixed_names=DISK_MODELS)
            continue
        if kind in SHARED_NAMES:
            groups.append(Group(kind, itype, 0, total, fixed=SHARED_NAMES[kind]))
            continue
        regular = vm_regular if kind == "vm" else total
        _split(groups, kind, itype, 0, regular, prefixes=PREFIXES[kind])
        if kind == "vm" and counts["oddvm"]:
            groups.append(Group("vm", itype, vm_regular, 1, fixed=ODD_VM_NAME))
    groups.sort(key=lambda g: (g.name(0).lower(), g.itype))
    position = 0
    for g in groups:
        g.start = position
        position += g.count
    _check_order(groups)
    layout = Layout(n, counts, groups, [g.start for g in groups])
    for g in groups:
        layout.by_kind.setdefault(g.kind, []).append(g)
    for kind in layout.by_kind:
        layout.by_kind[kind].sort(key=lambda g: g.kind_off)
    return layout


def _split(groups, kind, itype, offset, total, prefixes=None, fixed_names=None):
    names = prefixes or fixed_names
    parts = len(names) if total >= len(names) else max(1, total)
    base, extra = divmod(total, parts)
    off = offset
    for i in range(parts):
        count = base + (1 if i < extra else 0)
        if count == 0:
            continue
        if fixed_names:
            groups.append(Group(kind, itype, off, count, fixed=names[i]))
        else:
            groups.append(Group(kind, itype, off, count, prefix=names[i], width=max(2, len(str(count)))))
        off += count


def _check_order(groups: list[Group]) -> None:
    """Adjacent groups must not interleave: the last name of one sorts before the next's first."""
    for a, b in zip(groups, groups[1:]):
        last, first = a.name(a.count - 1).lower(), b.name(0).lower()
        if not (last, a.itype) < (first, b.itype):
            raise AssertionError(f"name groups interleave: {a.name(a.count - 1)!r} / {b.name(0)!r}")
