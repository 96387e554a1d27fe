"""The shared fixtures as a data source (`--fixtures`): the 23 rows of `api-resources.list.json`
paged and filtered by Pulse's rules, `api-resource.vm.get.json` for its id, and every other
fixture file at its route. Churn, vanishing, malformed rows and actions edit the row dicts.
"""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path

import gojson
import history
from common import Clock, docker_capabilities, guest_capabilities, hexdigest, split_available, AGENT_DISCONNECTED, DOCKER_DISCONNECTED
from listing import Aggregator, ListQuery, envelope, light_of, matches, meta, sort_rows
from recovery import ListRecovery
from rowstate import apply_malformed, rename_for
from source_gen import resource_version

# The shared Pulse fixtures, as the repository keeps them (one copy, beside the Swift tests that decode them).
FIXTURES = Path(__file__).resolve().parents[2] / "Tests" / "PulseClientTests" / "Fixtures"

# unifiedresources.Resource field order, to keep edited rows in Go's order.
RESOURCE_ORDER = ["id", "type", "technology", "name", "status", "lastSeen", "updatedAt", "discoveryTarget",
                  "discoveryReadiness", "metricsTarget", "canonicalIdentity", "policy", "aiSafeSummary", "platformScopes",
                  "sources", "sourceStatus", "identity", "metrics", "uptime", "temperature", "parentId", "parentName",
                  "childCount", "tags", "customUrl", "capabilities", "actionReadiness", "relationships", "recentChanges",
                  "facetCounts", "incidents", "incidentCount", "incidentCode", "incidentSeverity", "incidentSummary",
                  "incidentCategory", "incidentLabel", "incidentPriority", "incidentImpactSummary", "incidentUrgency",
                  "incidentAction", "proxmox", "storage", "agent", "docker", "pbs", "pmg", "kubernetes", "physicalDisk",
                  "ceph", "truenas", "vmware", "availability", "availabilityChecks", "virtualMachine"]
_RANK = {k: i for i, k in enumerate(RESOURCE_ORDER)}


def load(name: str):
    return gojson.normalise(json.loads((FIXTURES / name).read_text()))


def in_go_order(row: dict) -> dict:
    return {k: row[k] for k in sorted(row, key=lambda k: _RANK.get(k, len(_RANK)))}


class FixtureSource:
    mode = "fixtures"

    def __init__(self, clock: Clock):
        self.clock = clock
        self.lock = threading.RLock()
        listing = load("api-resources.list.json")
        self.rows: list[dict] = listing["data"]
        self.admission = listing["aggregations"]["platformAdmission"]
        detail = load("api-resource.vm.get.json")
        self.details = {detail["id"]: detail}
        self.alerts = load("api-alerts-active.json")
        self.recovery = ListRecovery(load("api-recovery-points.json")["data"])
        self.state = load("api-state.excerpt.json")
        self.fleet_context = load("api-agent-fleet-context.json")
        caps = load("api-agent-resource-capabilities.vm.json")
        self.capability_docs = {caps["resourceId"]: caps}
        self.single = load("api-metrics-history.single.json")
        self.all = load("api-metrics-history.all.json")
        self.malformed: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.churn_calls = 0
        self.vanish_calls = 0
        self.version = 0

    def live_count(self) -> int:
        return len(self.rows)

    def _aggregations(self) -> bytes:
        agg = Aggregator(self.admission)
        for row in self.rows:
            agg.add(light_of(row))
        return agg.encoded()

    def _served(self, row: dict) -> dict:
        mode = self.malformed.get(row.get("id"))
        return apply_malformed(row, mode) if mode else row

    def list_page(self, lq: ListQuery) -> tuple[bytes, int, int]:
        with self.lock:
            rows = sort_rows([r for r in self.rows if matches(r, lq)], lq.sort, lq.order)
            start = (lq.page - 1) * lq.limit
            page = rows[start:start + lq.limit]
            body = envelope([gojson.dumps(self._served(r)).encode() for r in page], meta(lq.page, lq.limit, len(rows)),
                            self._aggregations())
            return body, len(page), len(rows)

    def _row(self, rid: str) -> dict | None:
        return next((r for r in self.rows if r.get("id") == rid), None)

    def get(self, rid: str) -> dict | None:
        with self.lock:
            row = self._row(rid)
            if row is None:
                return None
            return self._served(self.details.get(rid, row))

    def find_by_reference(self, ref: str) -> dict | None:
        """`PresentationResourceByReference`: the id, else an alias or a Proxmox source id."""
        with self.lock:
            row = self._row(ref)
            if row:
                return row
            for r in self.rows:
                aliases = (r.get("canonicalIdentity") or {}).get("aliases", [])
                if ref in aliases or (r.get("proxmox") or {}).get("sourceId") == ref:
                    return r
            return None

    def capabilities_doc(self, ref: str, generated_at: str) -> dict | None:
        row = self.find_by_reference(ref)
        if row is None:
            return None
        doc = self.capability_docs.get(row["id"])
        if doc and self._row(row["id"]).get("capabilities") == doc["capabilities"]:
            return doc
        return {"resourceId": row["id"], "capabilities": list(row.get("capabilities", [])), "generatedAt": generated_at}

    def alerts_bytes(self) -> bytes:
        return gojson.marshal(self.alerts)

    def recovery_page(self, raw_page: int, raw_limit: int) -> bytes:
        return self.recovery.page(raw_page, raw_limit)

    def metrics_history(self, query: dict) -> tuple[int, bytes, str]:
        status, body, kind = history.history(query, self.clock.epoch_ms, self._knows_target)
        if status != 200 or not self._knows_target(query.get("resourceType", "").strip().lower(), query.get("resourceId", "").strip()):
            return status, body, kind
        # a known target: the fixture's points, with the request's echo fields
        doc = copy.deepcopy(self.single if query.get("metric") else self.all)
        doc["resourceType"] = query["resourceType"].strip().lower()
        doc["resourceId"] = query["resourceId"].strip()
        if query.get("metric"):
            doc["metric"] = query["metric"]
        doc["range"] = query.get("range", "")
        return 200, gojson.encode(gojson.sorted_map(doc)), "json"

    def _knows_target(self, rtype: str, rid: str) -> bool:
        return any((r.get("metricsTarget") or {}) == {"resourceType": rtype, "resourceId": rid} for r in self.rows)

    # -- mutations ----------------------------------------------------------------------------
    def churn(self, percent: float) -> int:
        with self.lock:
            if percent <= 0 or not self.rows:
                return 0
            self.churn_calls += 1
            count = max(1, round(len(self.rows) * percent / 100.0))
            start = int(hexdigest(f"churn/{self.churn_calls}", 8), 16)
            chosen = [self.rows[(start + 7 * i) % len(self.rows)] for i in range(min(count, len(self.rows)))]
            for row in chosen:
                rid = row["id"]
                v = self.versions.get(rid, 0) + 1
                self.versions[rid] = v
                roll = int(hexdigest(f"{rid}/{v}", 8), 16)
                cpu = (row.get("metrics") or {}).get("cpu")
                if cpu:
                    value = gojson.num(round((cpu.get("value", 0) + 7.3 * v) % 100, 1))
                    row["metrics"]["cpu"] = {"value": value, "percent": value, "unit": "percent"} if value else {"value": 0, "unit": "percent"}
                if roll % 4 == 0:
                    row["name"] = rename_for(str(row["name"]), v, roll)
                    if rid in self.details:
                        self.details[rid]["name"] = row["name"]
                row["lastSeen"] = self.clock.at(30 * v - 5)
            self.version += 1
            return len(chosen)

    def vanish(self, count: int) -> list[str]:
        with self.lock:
            self.vanish_calls += 1
            leaves = [r for r in self.rows if r.get("type") in ("vm", "system-container", "app-container")]
            gone = [r["id"] for r in leaves[:count]]
            self.rows = [r for r in self.rows if r["id"] not in gone]
            self.version += 1
            return gone

    def set_malformed(self, rid: str, mode: str | None) -> None:
        with self.lock:
            if mode:
                self.malformed[rid] = mode

    def clear_malformed(self) -> None:
        with self.lock:
            self.malformed.clear()

    def apply_action(self, rid: str, capability: str) -> bool:
        with self.lock:
            row = self._row(rid)
            if row is None:
                return False
            for target in [row] + ([self.details[rid]] if rid in self.details else []):
                self._apply(target, capability)
            self.version += 1
            return True

    def _apply(self, row: dict, capability: str) -> None:
        if row.get("proxmox", {}).get("runtimeStatus") and row.get("type") in ("vm", "system-container"):
            running = capability in ("start", "reboot", "restart")
            connected = not any(r.get("reasonCode") == "command_agent_disconnected" for r in row.get("actionReadiness", []))
            row["proxmox"]["runtimeStatus"] = "running" if running else "stopped"
            row["status"] = "online" if running else "offline"
            caps, unready = split_available(guest_capabilities(row.get("technology", "qemu"), running), connected,
                                            "command_agent_disconnected", AGENT_DISCONNECTED)
        elif row.get("docker", {}).get("containerState"):
            running = capability in ("start", "restart", "update")
            row["docker"]["containerState"] = "running" if running else "exited"
            row["status"] = "online" if running else "offline"
            status = row["docker"].get("updateStatus") or {}
            if capability == "update" and status:
                status["updateAvailable"] = False
                status.pop("latestDigest", None)
            caps, unready = split_available(docker_capabilities(running, bool(status.get("updateAvailable")), row.get("technology", "docker")),
                                            True, "command_agent_disconnected", DOCKER_DISCONNECTED)
        else:
            caps = [c for c in row.get("capabilities", []) if c.get("name") != capability]
            unready = row.get("actionReadiness", [])
            pending = (row.get("agent") or {}).get("packageUpdates")
            if capability == "install_os_updates" and pending:
                pending["pendingCount"] = 0
        row.pop("capabilities", None)
        row.pop("actionReadiness", None)
        if caps:
            row["capabilities"] = caps
        if unready:
            row["actionReadiness"] = unready
        ordered = in_go_order(row)
        row.clear()
        row.update(ordered)

    def prewarm(self) -> None:
        self.warm = True

    def stats(self) -> dict:
        return {"resources": len(self.rows), "warm": True}

    def fingerprint(self, rid: str) -> str:
        row = self.get(rid)
        return resource_version(row) if row else ""
