"""The few facts of a row that aggregations count (type, status, sources, policy), without
building the row. The builders call the same status helpers, and a test checks `light`
against every full row of a fleet, so the two cannot drift apart.
"""

from __future__ import annotations

from common import INTERNAL, RESTRICTED, SENSITIVE, SENSITIVE_IP
from layout import TYPES

SHARE_POLICY = {"sensitivity": "sensitive", "routing": {"scope": "local-first", "redact": ["hostname", "platform-id", "alias", "path"]}}


def guest_running(f, kind: str, k: int, o: dict) -> bool:
    return o["run"] if "run" in o else f.r(kind, k, 1) % 100 < 85


def container_running(f, k: int, o: dict) -> bool:
    return o["run"] if "run" in o else f.r("appct", k, 1) % 10 != 0


def vmware_on(f, k: int, o: dict) -> bool:
    return o["run"] if "run" in o else f.r("vmware", k, 1) % 5 != 0


def node_status(f, n: int, v: int) -> str:
    roll = f.r("node", n, 100 + v) % 100
    return "offline" if roll < 2 else "warning" if roll < 5 else "online"


def status(f, kind: str, k: int, o: dict) -> str:
    v = o.get("v", 0)
    if kind in ("vm", "ct"):
        return "online" if guest_running(f, kind, k, o) else "offline"
    if kind == "appct":
        return "online" if container_running(f, k, o) else "offline"
    if kind == "node":
        return node_status(f, k, v)
    if kind == "storage":
        return "online" if f.r("storage", k, 1) % 50 else "warning"
    if kind == "disk":
        return "online" if f.r("disk", k, 1) % 40 else "warning"
    if kind == "ceph":
        return "warning" if f.r("ceph", k, 100 + v) % 2 == 0 else "online"
    if kind == "dockerhost":
        return "online" if f.docker_info(k).connected else "warning"
    if kind == "host":
        return "offline" if f.r("host", k, 100 + v) % 100 < 3 else "online"
    if kind == "nasapp":
        return "online" if o.get("run", True) else "offline"
    if kind == "k8snode":
        return "online" if f.r("k8snode", k, 100 + v) % 30 != 0 else "warning"
    if kind == "pod":
        return "warning" if f.r("pod", k, 100 + v) % 20 in (0, 1) else "online"
    if kind == "deploy":
        return "online" if f.r("deploy", k, 100 + v) % 8 else "warning"
    if kind == "vmware":
        return "online" if vmware_on(f, k, o) else "offline"
    if kind == "endpoint":
        return "online" if f.r("endpoint", k, 100 + v) % 10 != 0 else "offline"
    return "online"


_FIXED_SOURCES = {
    "vm": ("proxmox",), "ct": ("proxmox",), "storage": ("proxmox",), "ceph": ("proxmox",),
    "dockerhost": ("docker",), "appct": ("docker",), "dsvc": ("docker",), "dnet": ("docker",), "dimg": ("docker",),
    "truenas": ("truenas",), "nasapp": ("truenas",), "share": ("truenas",),
    "k8scluster": ("kubernetes",), "k8snode": ("kubernetes",), "pod": ("kubernetes",), "deploy": ("kubernetes",),
    "ksvc": ("kubernetes",), "kns": ("kubernetes",), "pbs": ("pbs",), "pmg": ("pmg",), "vmware": ("vmware",),
    "endpoint": ("availability",),
}
_POLICY = {"storage": SENSITIVE, "disk": SENSITIVE, "ceph": SENSITIVE, "pbs": SENSITIVE, "nasapp": SENSITIVE,
           "truenas": SENSITIVE_IP, "share": SHARE_POLICY, "pmg": RESTRICTED}


def sources(f, kind: str, k: int) -> tuple:
    if kind == "node":
        return ("proxmox", "agent") if f.node_info(k).agent != "none" else ("proxmox",)
    if kind == "disk":
        return ("agent", "proxmox") if f.node_info(k % f.nodes).host_id else ("proxmox",)
    if kind == "host":
        return ("agent", "docker") if f.r("host", k, 2) % 4 == 0 else ("agent",)
    return _FIXED_SOURCES[kind]


def policy(f, kind: str, k: int) -> dict:
    if kind == "vm":
        return SENSITIVE if f.name_of("vm", k).startswith("db-") else INTERNAL
    return _POLICY.get(kind, INTERNAL)


def light(f, kind: str, k: int, o: dict) -> tuple:
    p = policy(f, kind, k)
    routing = p["routing"]
    return (TYPES[kind][1], status(f, kind, k, o), sources(f, kind, k), p["sensitivity"], routing["scope"],
            tuple(routing.get("redact", ())))
