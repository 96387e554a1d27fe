"""The generated fleet: a pure function from (seed, position, row state) to a Pulse resource row.

`Fleet.row(position, override)` builds the row the list and detail routes serve. Parent facts
a child needs (its node's name, instance and agent, its Docker host) are small cached lookups,
so one page of 100 rows costs 100 builds whatever the fleet size.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import kinds_pve
import kinds_apps
import kinds_other
from common import Clock, Rand, Token32, hexdigest, pulse_id
from layout import TYPES, build_layout

SITES = ["lab", "prod", "core", "edge", "dc1", "dc2", "hq", "colo"]
NODES_PER_CLUSTER = 8

# Small integers that keep each kind's random streams apart.
CODES = {kind: i + 1 for i, kind in enumerate(sorted(TYPES))}

BUILDERS = {
    "node": kinds_pve.node, "vm": kinds_pve.vm, "ct": kinds_pve.ct, "storage": kinds_pve.storage,
    "disk": kinds_pve.disk, "ceph": kinds_pve.ceph,
    "dockerhost": kinds_apps.docker_host, "appct": kinds_apps.app_container, "dsvc": kinds_apps.docker_service,
    "dnet": kinds_apps.docker_network, "dimg": kinds_apps.docker_image, "host": kinds_apps.host,
    "truenas": kinds_apps.truenas, "nasapp": kinds_apps.truenas_app, "share": kinds_apps.share,
    "k8scluster": kinds_other.k8s_cluster, "k8snode": kinds_other.k8s_node, "pod": kinds_other.pod,
    "deploy": kinds_other.deployment, "ksvc": kinds_other.k8s_service, "kns": kinds_other.k8s_namespace,
    "pbs": kinds_other.pbs, "pmg": kinds_other.pmg, "vmware": kinds_other.vmware, "endpoint": kinds_other.endpoint,
}


@dataclass(frozen=True)
class NodeInfo:
    n: int
    name: str
    cluster: str
    instance: str
    host_id: str        # the Pulse agent id ("host-…"); "" when the node has no agent
    machine_id: str
    id: str
    agent: str          # "commands" | "readonly" | "stale" | "none"

    @property
    def connected(self) -> bool:
        return self.agent in ("commands", "readonly")


@dataclass(frozen=True)
class DockerHostInfo:
    h: int
    name: str
    source_id: str      # hostSourceId, the `{hostId}` of legacy alert ids
    agent_id: str
    machine_id: str
    id: str
    connected: bool
    runtime: str


class Fleet:
    def __init__(self, n: int, seed: int, clock: Clock):
        self.n = n
        self.seed = seed
        self.clock = clock
        self.rand = Rand(seed)
        self.tok = Token32(seed)
        self.site = SITES[(seed - 1) % len(SITES)]
        self.layout = build_layout(n)
        self.counts = self.layout.counts
        self.nodes = self.counts["node"]
        self.vm_count = self.counts["vm"]
        self.node_info = lru_cache(maxsize=None)(self._node_info)
        self.docker_info = lru_cache(maxsize=None)(self._docker_info)
        self.layout.tie(self.id_of)

    # -- randomness -------------------------------------------------------------------------
    def r(self, kind: str, k: int, salt: int = 0) -> int:
        return self.rand.r(CODES[kind], k, salt)

    def frac(self, kind: str, k: int, salt: int = 0) -> float:
        return self.rand.frac(CODES[kind], k, salt)

    def token(self, kind: str, k: int) -> str:
        return self.tok.encode(CODES[kind], k)

    def untoken(self, kind: str, text: str) -> int | None:
        return self.tok.decode(CODES[kind], text)

    def hex32(self, kind: str, k: int, salt: str = "") -> str:
        return hexdigest(f"{self.seed}/{kind}/{k}/{salt}", 32)

    # -- names and ids ----------------------------------------------------------------------
    def name_of(self, kind: str, k: int) -> str:
        return self.layout.base_name(kind, k)

    def id_of(self, kind: str, k: int) -> str:
        """The row's Pulse id; stable across renames (Pulse mints ids from identity, not names)."""
        if kind == "node":
            return self.node_info(k).id
        return pulse_id(TYPES[kind][0], STABLE[kind](self, k))

    def row(self, position: int, override: dict | None = None) -> dict:
        kind, k = self.layout.kind_index(position)
        return BUILDERS[kind](self, k, override or {})

    # -- parents ----------------------------------------------------------------------------
    def _node_info(self, n: int) -> NodeInfo:
        c = n // NODES_PER_CLUSTER
        cluster = f"{self.site}-c{c + 1:03d}"
        name = self.name_of("node", n)
        roll = self.r("node", n, 1) % 100
        agent = "commands" if roll < 55 else "readonly" if roll < 70 else "stale" if roll < 80 else "none"
        if n == 0:
            agent = "commands"          # the first node always has a working agent
        elif n == 1 and self.nodes > 2:
            agent = "none"              # and the second never has one (the pve2 of the fixtures)
        host_id = f"host-{self.token('node', n)}" if agent != "none" else ""
        machine_id = self.hex32("node", n, "machine")
        stable = f"machine:{machine_id}" if agent != "none" else f"cluster:{cluster}:{name}"
        return NodeInfo(n, name, cluster, f"pve-{cluster}", host_id, machine_id, pulse_id("agent", stable), agent)

    def _docker_info(self, h: int) -> DockerHostInfo:
        name = self.name_of("dockerhost", h)
        token = self.token("dockerhost", h)
        machine_id = self.hex32("dockerhost", h, "machine")
        connected = h == 0 or self.r("dockerhost", h, 1) % 10 != 0
        runtime = "podman" if self.r("dockerhost", h, 2) % 8 == 0 and h != 0 else "docker"
        return DockerHostInfo(h, name, f"{name}-{token[:4]}", f"agent-{name}", machine_id,
                              pulse_id("agent", f"machine:{machine_id}"), connected, runtime)

    def node_of_guest(self, kind: str, k: int) -> int:
        return k % self.nodes

    def vmid(self, kind: str, k: int) -> int:
        return 100 + k if kind == "vm" else 100 + self.vm_count + k

    def docker_host_of(self, k: int) -> int:
        return k % max(1, self.counts["dockerhost"])


STABLE = {**kinds_pve.STABLE, **kinds_apps.STABLE, **kinds_other.STABLE}
