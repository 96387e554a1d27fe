"""The generated fleet as a data source: rows by position plus the state churn, vanishing and
actions leave behind (`over`: position → row state). Nothing is stored per row unless
something happened to it; pages are built from the order view and a bounded cache of
encoded rows.
"""

from __future__ import annotations

import threading
from collections import Counter

import gojson
import history
import kinds_other
from common import Clock, hexdigest
from fastjson import FAST
from generator import BUILDERS, Fleet
from layout import TYPES
from light import container_running, guest_running, light, vmware_on
from listing import Aggregator, ListQuery, envelope, matches, meta, sort_rows
from recovery import GeneratedRecovery
from alerts import generated_alerts
from rowstate import apply_malformed, rename_for
from view import Span, View

RUNTIME_KINDS = {"vm", "ct", "appct", "vmware", "nasapp"}
VANISH_KINDS = ("vm", "ct", "appct")
STRIDES = [1000003, 999983, 1299709, 104729, 7919]


class RowCache:
    """Encoded rows by position, up to a byte budget (then it stops adding)."""

    def __init__(self, budget_bytes: int):
        self.budget = budget_bytes
        self.used = 0
        self.rows: dict[int, bytes] = {}

    def get(self, p: int) -> bytes | None:
        return self.rows.get(p)

    def put(self, p: int, data: bytes) -> None:
        if self.used + len(data) <= self.budget:
            self.rows[p] = data
            self.used += len(data)

    def drop(self, p: int) -> None:
        data = self.rows.pop(p, None)
        if data is not None:
            self.used -= len(data)

    def clear(self) -> None:
        self.rows.clear()
        self.used = 0


class GeneratedSource:
    mode = "generated"

    def __init__(self, n: int, seed: int, clock: Clock, cache_mb: int = 256):
        self.fleet = Fleet(n, seed, clock)
        self.layout = self.fleet.layout
        self.clock = clock
        self.lock = threading.RLock()
        self.over: dict[int, dict] = {}
        self.vanished: set[int] = set()
        self.renamed: set[int] = set()
        self.malformed: dict[str, str] = {}
        self.version = 0
        self.churn_calls = 0
        self.vanish_calls = 0
        self.cache = RowCache(cache_mb << 20)
        counts = self.fleet.counts
        self.agg = Aggregator({"proxmox": counts["node"] > 0, "docker": counts["dockerhost"] > 0,
                               "kubernetes": counts["k8scluster"] > 0, "truenas": counts["truenas"] > 0,
                               "vmware": counts["vmware"] > 0, "standalone": counts["host"] > 0})
        for kind in BUILDERS:
            tally = Counter(light(self.fleet, kind, k, {}) for k in range(counts.get(kind, 0)))
            for facts, count in tally.items():
                self.agg.add(facts, count)
        self._views: dict = {}
        self._generic: dict = {}
        self._ids: dict[str, dict[str, int]] = {}
        self._alerts: tuple[int, bytes] | None = None
        self.recovery = GeneratedRecovery(self.fleet)

    # -- rows ---------------------------------------------------------------------------------
    def live_count(self) -> int:
        return self.fleet.n - len(self.vanished)

    def row_dict(self, p: int, detail: bool = False) -> dict:
        kind, k = self.layout.kind_index(p)
        o = self.over.get(p) or {}
        if kind == "pmg" and detail:
            row = kinds_other.pmg(self.fleet, k, o, detail=True)
        else:
            row = BUILDERS[kind](self.fleet, k, o)
        mode = self.malformed.get(row["id"])
        return apply_malformed(row, mode) if mode else row

    def row_bytes(self, p: int) -> bytes:
        data = self.cache.get(p)
        if data is None:
            text = None
            if not self.malformed:
                kind, k = self.layout.kind_index(p)
                fast = FAST.get(kind)
                if fast:
                    text = fast(self.fleet, kind, k, self.over.get(p) or {})
            data = (text if text is not None else gojson.dumps(self.row_dict(p))).encode()
            self.cache.put(p, data)
        return data

    def key_of(self, p: int) -> tuple:
        g, j = self.layout.locate(p)
        o = self.over.get(p)
        name = o["name"] if o and "name" in o else g.name(j)
        return (name.strip().lower(), g.itype, self.fleet.id_of(g.kind, g.kind_off + j))

    def _base_key(self, p: int) -> tuple:
        g, j = self.layout.locate(p)
        return (g.name(j).lower(), g.itype, self.fleet.id_of(g.kind, g.kind_off + j))

    def contract_type(self, p: int) -> str:
        g, _ = self.layout.locate(p)
        return TYPES[g.kind][1]

    # -- listing ------------------------------------------------------------------------------
    def view(self, types: frozenset) -> View:
        cached = self._views.get(types)
        if cached and cached[0] == self.version:
            return cached[1]
        spans, offset = [], 0
        for g in self.layout.groups:
            if types and TYPES[g.kind][1] not in types:
                continue
            spans.append(Span(g.start, g.count, offset))
            offset += g.count
        removed = sorted(self.renamed | self.vanished)
        moved = sorted((self.key_of(p), p) for p in self.renamed
                       if p not in self.vanished and (not types or self.contract_type(p) in types))
        view = View(spans, self._base_key, removed, moved)
        self._views[types] = (self.version, view)
        return view

    def _generic_order(self, lq: ListQuery) -> list[int]:
        key = lq.cache_key()
        cached = self._generic.get(key)
        if cached and cached[0] == self.version:
            return cached[1]
        base = self.view(lq.types)
        rows = []
        for p in base.page(0, base.total):
            row = self.row_dict(p)
            row["__p"] = p
            if matches(row, lq):
                rows.append(row)
        order = [r["__p"] for r in sort_rows(rows, lq.sort, lq.order)]
        self._generic[key] = (self.version, order)
        return order

    def list_page(self, lq: ListQuery) -> tuple[bytes, int, int]:
        """(body, rows on the page, total)."""
        with self.lock:
            start = (lq.page - 1) * lq.limit
            if lq.simple:
                v = self.view(lq.types)
                total = v.total
                ids = v.page(start, lq.limit, descending=lq.order == "desc") if start < total else []
            else:
                order = self._generic_order(lq)
                total = len(order)
                ids = order[start:start + lq.limit]
            rows = [self.row_bytes(p) for p in ids]
            return envelope(rows, meta(lq.page, lq.limit, total), self.agg.encoded()), len(rows), total

    # -- lookups ------------------------------------------------------------------------------
    def find(self, rid: str) -> int | None:
        itype = rid.rsplit("-", 1)[0] if "-" in rid else ""
        index = self._ids.get(itype)
        if index is None:
            index = {}
            for g in self.layout.groups:
                if g.itype != itype:
                    continue
                for rank in range(g.count):
                    j = g.perm[rank] if g.perm is not None else rank
                    index[self.fleet.id_of(g.kind, g.kind_off + j)] = g.start + rank
            self._ids[itype] = index
        p = index.get(rid)
        return None if p is None or p in self.vanished else p

    def get(self, rid: str) -> dict | None:
        with self.lock:
            p = self.find(rid)
            return None if p is None else self.row_dict(p, detail=True)

    def knows_metrics_target(self, rtype: str, rid: str) -> bool:
        """Whether a live row has this metricsTarget. Targets are parsed back to their row (the
        fake's ids are built to allow it), then confirmed against the row itself."""
        with self.lock:
            for p in self._target_candidates(rtype, rid.strip()):
                if p is None or p in self.vanished:
                    continue
                target = self.row_dict(p).get("metricsTarget") or {}
                if target.get("resourceType") == rtype and target.get("resourceId") == rid:
                    return True
            return False

    def _index_from_name(self, kind: str, name: str) -> int | None:
        for g in self.layout.by_kind.get(kind, []):
            if g.fixed or not name.startswith(g.prefix):
                continue
            digits = name[len(g.prefix):]
            if digits.isdigit() and len(digits) == g.width and 0 < int(digits) <= g.count:
                return g.kind_off + int(digits) - 1
        return None

    def _target_candidates(self, rtype: str, rid: str) -> list:
        f, layout = self.fleet, self.layout

        def pos(kind, k):
            if k is None or not 0 <= k < f.counts.get(kind, 0):
                return None
            return layout.position(kind, k)

        out = []
        try:
            if rtype in ("vm", "system-container"):
                tail = rid.rsplit(":", 1)[-1]
                if rtype == "vm" and tail.startswith("vm-") and tail[3:].isdigit():
                    out.append(pos("vmware", int(tail[3:]) - 1000))
                elif tail.isdigit():
                    vmid = int(tail)
                    out.append(pos("vm", vmid - 100) if rtype == "vm" else pos("ct", vmid - 100 - f.vm_count))
            elif rtype == "app-container":
                if ":" in rid:
                    nas, app = rid.split(":", 1)
                    t = self._index_from_name("truenas", nas)
                    out.append(pos("nasapp", None if t is None else 2 * t + (0 if app == "plex" else 1)))
                else:
                    out.append(pos("appct", f.untoken("appct", rid[:8])))
            elif rtype == "k8s":
                parts = rid.split(":")
                if len(parts) == 3:
                    kind = {"pod": "pod", "node": "k8snode"}.get(parts[1])
                    if kind:
                        out.append(pos(kind, f.untoken(kind, parts[2][:8])))
                else:
                    name = rid[len("k8s-"):].rsplit("-", 1)[0] if rid.startswith("k8s-") else ""
                    out.append(pos("k8scluster", self._index_from_name("k8scluster", name)))
            elif rtype == "agent":
                if rid.startswith("host-"):
                    out += [pos("node", f.untoken("node", rid[5:])), pos("host", f.untoken("host", rid[5:]))]
                out.append(pos("truenas", self._index_from_name("truenas", rid)))
                out.append(pos("node", self._index_from_name("node", rid.rsplit("-", 1)[-1])))
            elif rtype == "docker-host":
                out.append(pos("dockerhost", self._index_from_name("dockerhost", rid.rsplit("-", 1)[0])))
            elif rtype == "disk":
                ref = rid.split(":", 1)[0]
                n = f.untoken("node", ref[5:]) if ref.startswith("host-") else self._index_from_name("node", ref)
                out.append(pos("disk", n))
            elif rtype == "storage":
                if rid.endswith("-ceph"):
                    out += [pos("ceph", c) for c in range(f.counts.get("ceph", 0))]
                else:
                    for sname, base in (("local-lvm", f.nodes), ("local", 0)):
                        if rid.endswith("-" + sname):
                            node = rid[: -len(sname) - 1].rsplit("-", 1)[-1]
                            n = self._index_from_name("node", node)
                            out.append(pos("storage", None if n is None else base + n))
                            break
        except (ValueError, KeyError, IndexError):
            return []
        return out

    def metrics_history(self, query: dict) -> tuple[int, bytes, str]:
        return history.history(query, self.clock.epoch_ms, self.knows_metrics_target)

    # -- alerts and recovery ------------------------------------------------------------------
    def alerts_bytes(self) -> bytes:
        with self.lock:
            if self._alerts is None or self._alerts[0] != self.version:
                self._alerts = (self.version, gojson.marshal(generated_alerts(self)))
            return self._alerts[1]

    def recovery_page(self, raw_page: int, raw_limit: int) -> bytes:
        return self.recovery.page(raw_page, raw_limit)

    # -- mutations ----------------------------------------------------------------------------
    def _changed(self, p: int) -> None:
        self.cache.drop(p)
        self.version += 1

    def _set_state(self, p: int, o: dict) -> None:
        kind, k = self.layout.kind_index(p)
        before = light(self.fleet, kind, k, self.over.get(p) or {})
        self.over[p] = o
        self.agg.add(before, -1)
        self.agg.add(light(self.fleet, kind, k, o), 1)
        if "name" in o:
            self.renamed.add(p)
        self._changed(p)

    def _walk(self, salt: int, count: int, kinds: tuple | None = None) -> list[int]:
        """`count` live positions spread over the fleet, the same ones for a seed and call count."""
        n = self.fleet.n
        stride = next(s for s in STRIDES if n % s)
        start = self.fleet.rand.r(999, salt) % n
        picked, t = [], 0
        while len(picked) < count and t < n:
            p = (start + t * stride) % n
            t += 1
            if p in self.vanished:
                continue
            if kinds and self.layout.kind_index(p)[0] not in kinds:
                continue
            picked.append(p)
        return picked

    def churn(self, percent: float) -> int:
        """Change `percent`% of the live rows: metrics always, a power flip for 30% of the
        workloads, a rename (which moves the row in name order) for a quarter."""
        with self.lock:
            if percent <= 0:
                return 0
            self.churn_calls += 1
            count = max(1, round(self.live_count() * percent / 100.0))
            chosen = self._walk(self.churn_calls * 7 + 1, count)
            for p in chosen:
                kind, k = self.layout.kind_index(p)
                o = dict(self.over.get(p) or {})
                v = o.get("v", 0) + 1
                o["v"] = v
                roll = self.fleet.rand.r(998, p, v)
                if roll % 4 == 0:
                    o["name"] = rename_for(self.layout.base_name(kind, k), v, roll)
                if kind in RUNTIME_KINDS and (roll >> 8) % 10 < 3:
                    o["run"] = not self._running(kind, k, o)
                self._set_state(p, o)
            return len(chosen)

    def _running(self, kind: str, k: int, o: dict) -> bool:
        if kind in ("vm", "ct"):
            return guest_running(self.fleet, kind, k, o)
        if kind == "appct":
            return container_running(self.fleet, k, o)
        if kind == "vmware":
            return vmware_on(self.fleet, k, o)
        return o.get("run", True)

    def vanish(self, count: int) -> list[str]:
        with self.lock:
            self.vanish_calls += 1
            chosen = self._walk(self.vanish_calls * 13 + 5, count, VANISH_KINDS)
            gone = []
            for p in chosen:
                kind, k = self.layout.kind_index(p)
                gone.append(self.fleet.id_of(kind, k))
                self.agg.add(light(self.fleet, kind, k, self.over.get(p) or {}), -1)
                self.vanished.add(p)
                self._changed(p)
            return gone

    def set_malformed(self, rid: str, mode: str | None) -> None:
        with self.lock:
            if mode:
                self.malformed[rid] = mode
            p = self.find(rid)
            if p is not None:
                self._changed(p)

    def clear_malformed(self) -> None:
        with self.lock:
            for rid in list(self.malformed):
                self.malformed.pop(rid)
                p = self.find(rid)
                if p is not None:
                    self._changed(p)

    def apply_action(self, rid: str, capability: str) -> bool:
        """The effect of an executed capability, so a later read shows it."""
        with self.lock:
            p = self.find(rid)
            if p is None:
                return False
            kind, k = self.layout.kind_index(p)
            o = dict(self.over.get(p) or {})
            if capability in ("shutdown", "stop"):
                o["run"] = False
            elif capability in ("start", "reboot", "restart"):
                o["run"] = True
                o.pop("rebooted", None)
                if capability != "start":
                    o["rebooted"] = True
            elif capability == "update":
                o["updated"] = True
            elif capability == "install_os_updates":
                o["osupdated"] = True
            elif capability == "clean_package_cache":
                o["cleaned"] = True
            self._set_state(p, o)
            return True

    def prewarm(self) -> None:
        """Encode rows into the cache in name order until it is full (a background thread at
        start with --prewarm), so a walk measures the client rather than row generation."""
        p = 0
        while p < self.fleet.n and self.cache.used < self.cache.budget:
            with self.lock:
                for q in range(p, min(p + 500, self.fleet.n)):
                    if q not in self.vanished:
                        self.row_bytes(q)
            p += 500
        self.warm = True

    def stats(self) -> dict:
        return {"resources": self.live_count(), "cachedRows": len(self.cache.rows), "cachedBytes": self.cache.used,
                "warm": getattr(self, "warm", False)}

    def fingerprint(self, rid: str) -> str:
        """The part of a row an action plan is bound to (Pulse's ResourceVersion)."""
        row = self.get(rid)
        return resource_version(row) if row else ""


def resource_version(row: dict) -> str:
    caps = [c.get("name") for c in row.get("capabilities", []) or []] + \
           [c.get("name") for c in row.get("actionReadiness", []) or []]
    payload = {"id": row.get("id"), "type": row.get("type"), "technology": row.get("technology"),
               "name": row.get("name"), "status": row.get("status"), "sources": row.get("sources"),
               "parentId": row.get("parentId"), "capabilities": sorted(str(c) for c in caps),
               "sourceStatus": {k: v.get("status") for k, v in (row.get("sourceStatus") or {}).items()}
               if isinstance(row.get("sourceStatus"), dict) else None}
    return "resource:sha256:" + hexdigest(gojson.dumps(payload), 24)
