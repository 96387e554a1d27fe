"""The store comparison server: FastMCP over SQLite doing pulse-assistant's `get_resource` and `search_resources`.

    python bench/fastmcp_store_peer.py --snapshot FLEET.jsonl --db PEER.db [--load-only]

Built the way a Python developer would build it with the official MCP SDK
(mcp 2.3.0, `MCPServer`, i.e. FastMCP): the standard `sqlite3` module, one
connection, plain SQL, tools that return dicts (structured output).

Loading: the same JSON Lines snapshot `pulse-assistant ingest` reads is loaded
into the peer's own SQLite file in one transaction (`executemany` in batches,
indexes built after the rows, `ANALYZE`); with `--load-only` it loads and exits
(bench.py times that as the peer's ingest), otherwise it loads when the file is
missing and then serves stdio. Indexes are chosen with the keyset order, as the
issue's note says: `resource(type, status, name, id)` for the broad search,
`(platform, name, id)` for the narrow one, `(parentId, name, id)`, `(name, id)`;
alerts by `(resourceId)`, recovery points by `(resourceId, at)`, metric samples by
`(resourceId, metric, at)`.

Tools, same names, arguments and answers as pulse-assistant's for what the
benchmark calls (bench.py checks the answers are equal):

- `get_resource {id | name, includeUnsupported}`: the resource in full, its
  platform's standing, parent chain, child counts by type, active alerts, recovery
  summary, metric history and control standing;
- `search_resources {types, platforms, statuses, powerStates, parentId, sort,
  detail, includeUnsupported, limit, cursor}`: compact rows in (name, id) order (or
  busiest first for a metric sort), keyset-paged with an opaque cursor.
"""

from __future__ import annotations

import argparse
import base64
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fastmcp_peer import DEFAULT_MANIFEST, statement  # noqa: E402  (the same platform statements)

SCHEMA = """
CREATE TABLE resource (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, platform TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
    powerState TEXT, technology TEXT, parentId TEXT, cpu REAL, memoryUsage REAL, diskUsage REAL,
    lastSeen TEXT, record TEXT NOT NULL
);
CREATE TABLE alert (id TEXT PRIMARY KEY, resourceId TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL,
                    since TEXT NOT NULL);
CREATE TABLE recovery_point (id TEXT PRIMARY KEY, resourceId TEXT NOT NULL, platform TEXT NOT NULL,
                             kind TEXT NOT NULL, at TEXT NOT NULL, sizeBytes INTEGER, verified INTEGER);
CREATE TABLE metric_sample (resourceId TEXT NOT NULL, metric TEXT NOT NULL, at TEXT NOT NULL, value REAL NOT NULL);
"""
INDEXES = """
CREATE INDEX resource_type_status_name ON resource(type, status, name, id);
CREATE INDEX resource_platform_name ON resource(platform, name, id);
CREATE INDEX resource_parent_name ON resource(parentId, name, id);
CREATE INDEX resource_name ON resource(name, id);
CREATE INDEX alert_resource ON alert(resourceId);
CREATE INDEX recovery_point_resource ON recovery_point(resourceId, at);
CREATE INDEX metric_sample_series ON metric_sample(resourceId, metric, at);
ANALYZE;
"""
COLUMNS = "id, type, platform, name, status, powerState, technology, parentId, cpu, memoryUsage, diskUsage, lastSeen"
SEVERITY_RANK = "CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END"
DETAIL_KEYS = ("tags", "metrics", "identity", "sources", "details")
METRIC_SORTS = ("cpu", "memoryUsage", "diskUsage")


# MARK: - loading


def ratio(used: Any, total: Any) -> float | None:
    return used / total if isinstance(used, (int, float)) and isinstance(total, (int, float)) and total else None


def load(snapshot: Path, db: Path, aliases: dict[str, str]) -> dict[str, int]:
    """Load the JSON Lines snapshot into a fresh SQLite file: rows in one transaction, then the indexes.

    The file is built beside `db` and renamed over it at the end, so a failed load leaves no half a store.
    """
    building = db.with_name(db.name + ".loading")
    building.unlink(missing_ok=True)
    connection = sqlite3.connect(building, isolation_level=None)
    connection.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
    batches: dict[str, list[tuple[Any, ...]]] = {"resource": [], "alert": [], "recovery_point": [], "metric_sample": []}
    statements = {
        "resource": "INSERT INTO resource VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        "alert": "INSERT INTO alert VALUES (?,?,?,?,?)",
        "recovery_point": "INSERT INTO recovery_point VALUES (?,?,?,?,?,?,?)",
        "metric_sample": "INSERT INTO metric_sample VALUES (?,?,?,?)",
    }
    counts = dict.fromkeys(batches, 0)

    def flush(table: str) -> None:
        connection.executemany(statements[table], batches[table])
        counts[table] += len(batches[table])
        batches[table].clear()

    connection.execute("BEGIN")
    with snapshot.open("rb") as lines:
        for line in lines:
            record = json.loads(line)
            if (r := record.get("resource")) is not None:
                r["platform"] = aliases.get(r["platform"].lower(), r["platform"])
                m = r.get("metrics") or {}
                cpu = m.get("cpu")
                batches["resource"].append((
                    r["id"], r["type"], r["platform"], r["name"], r["status"], r.get("powerState"),
                    r.get("technology"), r.get("parentId"), cpu if isinstance(cpu, (int, float)) else None,
                    ratio(m.get("memoryUsed"), m.get("memoryTotal")), ratio(m.get("diskUsed"), m.get("diskTotal")),
                    r.get("lastSeen"), json.dumps(r, separators=(",", ":")),
                ))
                table = "resource"
            elif (a := record.get("alert")) is not None:
                batches["alert"].append((a["id"], a["resourceId"], a["severity"], a["message"], a["since"]))
                table = "alert"
            elif (p := record.get("recoveryPoint")) is not None:
                verified = p.get("verified")
                batches["recovery_point"].append((p["id"], p["resourceId"], p["platform"], p["kind"], p["at"],
                                                  p.get("sizeBytes"), None if verified is None else int(verified)))
                table = "recovery_point"
            elif (s := record.get("metricSample")) is not None:
                batches["metric_sample"].append((s["resourceId"], s["metric"], s["at"], s["value"]))
                table = "metric_sample"
            else:
                continue
            if len(batches[table]) >= 10_000:
                flush(table)
    for table in batches:
        flush(table)
    connection.execute("COMMIT")
    connection.executescript(INDEXES)
    connection.close()
    building.replace(db)
    return counts


# MARK: - answers


def rounded(value: float) -> float:
    """Four decimals, half away from zero (as pulse-assistant rounds)."""
    scaled = value * 10_000
    return float(int(scaled + 0.5) if scaled >= 0 else -int(-scaled + 0.5)) / 10_000


# The control actions each type takes, and the power states that rule one out (DESIGN §4, §5).
ACTIONS = {"vm": ["start", "stop", "shutdown", "reboot"], "system-container": ["start", "stop", "shutdown", "reboot"],
           "app-container": ["start", "stop", "restart"], "k8s-deployment": ["restart", "scale"], "pod": ["delete"],
           "agent": ["reboot"]}
CONFLICTS = {("start", "running"), ("stop", "stopped"), ("shutdown", "stopped"), ("reboot", "stopped")}


def control_option(action: str, power: str | None, supported: bool) -> dict[str, Any]:
    """The decision at level read-only: the refusal that comes first in the policy's order."""
    if not supported:
        code = "platform_not_supported"
    elif (action, (power or "").lower()) in CONFLICTS:
        code = "action_not_applicable"
    else:
        code = "control_disabled"
    return {"action": action, "outcome": "refuse", "needsApproval": False, "code": code}


class Store:
    def __init__(self, db: Path, manifest: Path) -> None:
        self.db = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        platforms = json.loads(manifest.read_text(encoding="utf-8"))["platforms"]
        self.platforms = {p["id"]: p for p in platforms}
        self.aliases = {p["id"]: p["id"] for p in platforms} | {
            alias.lower(): p["id"] for p in platforms for alias in p.get("aliases", [])}
        readable = {p["id"] for p in platforms
                    if p["governance"] == "supported" and (p.get("supportFloor") or {}).get("assistantRead") == "supported"}
        self.hidden = [p["id"] for p in platforms if p["id"] not in readable]
        self.labels = {p["id"]: {"supported": False, "governanceState": p["governance"],
                                 "readinessStage": p.get("readinessStage")} for p in platforms if p["id"] in self.hidden}

    def row(self, r: sqlite3.Row, detail: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"id": r["id"], "type": r["type"], "platform": r["platform"], "name": r["name"],
                               "status": r["status"]}
        for key in ("powerState", "technology", "parentId"):
            if r[key] is not None:
                out[key] = r[key]
        for key in METRIC_SORTS:
            if r[key] is not None:
                out[key] = rounded(r[key])
        if r["lastSeen"] is not None:
            out["lastSeen"] = r["lastSeen"]
        if detail:
            record = json.loads(r["record"])
            out |= {key: record[key] for key in DETAIL_KEYS if key in record}
        if (label := self.labels.get(r["platform"])) is not None:
            out["platformSupport"] = label
        return out

    def refusal(self, r: sqlite3.Row) -> str:
        platform = self.platforms.get(r["platform"], {})
        if platform.get("governance") == "admitted":
            standing = (f"admitted but not supported (readiness stage {platform.get('readinessStage') or 'none'}, "
                        "which is not a support claim)")
        elif platform.get("governance") == "presentation-only":
            standing = "presentation-only vocabulary, not a supported platform"
        else:
            standing = "not supported for assistant read"
        return (f"{r['id']} belongs to {r['platform']}, which is {standing}. Its resources are left out by default; "
                "call again with includeUnsupported: true to read it, labelled as unsupported.")

    def get_resource(self, id: str | None, name: str | None, include_unsupported: bool) -> dict[str, Any]:
        if (id is None) == (name is None):
            raise ToolError("Give exactly one of id or name.")
        if id is not None:
            r = self.db.execute(f"SELECT {COLUMNS}, record FROM resource WHERE id = ?", (id,)).fetchone()
            if r is None:
                raise ToolError(f'No resource has id "{id[:200]}".')
            if not include_unsupported and r["platform"] in self.labels:
                raise ToolError(self.refusal(r))
        else:
            named = self.db.execute(f"SELECT {COLUMNS}, record FROM resource WHERE name = ? ORDER BY id LIMIT 50",
                                    (name,)).fetchall()
            visible = [r for r in named if include_unsupported or r["platform"] not in self.labels]
            if len(visible) != 1:
                raise ToolError(f'{len(visible)} resources are named "{name[:200]}". Ask again by id.')
            r = visible[0]
        return self.describe(r)

    def describe(self, r: sqlite3.Row) -> dict[str, Any]:
        db, rid = self.db, r["id"]
        platform = self.platforms.get(r["platform"])
        chain, next_id, seen = [], r["parentId"], {rid}
        while next_id is not None and len(chain) < 16 and next_id not in seen:
            seen.add(next_id)
            parent = db.execute("SELECT id, type, platform, name, parentId FROM resource WHERE id = ?",
                                (next_id,)).fetchone()
            if parent is None:
                break
            chain.append({"id": parent["id"], "type": parent["type"], "platform": parent["platform"],
                          "name": parent["name"]})
            next_id = parent["parentId"]
        children = db.execute("SELECT type, count(*) AS n FROM resource WHERE parentId = ? GROUP BY type ORDER BY type",
                              (rid,)).fetchall()
        alerts = db.execute(
            f"SELECT id, severity, message, since FROM alert WHERE resourceId = ? "
            f"ORDER BY {SEVERITY_RANK}, since DESC, id LIMIT 20", (rid,)).fetchall()
        points = "SELECT id, kind, at, platform, sizeBytes, verified FROM recovery_point WHERE resourceId = ?"
        count = db.execute("SELECT count(*) FROM recovery_point WHERE resourceId = ?", (rid,)).fetchone()[0]
        latest = db.execute(points + " ORDER BY at DESC, id LIMIT 1", (rid,)).fetchone()
        verified = db.execute(points + " AND verified = 1 ORDER BY at DESC, id LIMIT 1", (rid,)).fetchone()
        series = db.execute("SELECT metric, min(at) AS first, max(at) AS last, count(*) AS n FROM metric_sample "
                            "WHERE resourceId = ? GROUP BY metric ORDER BY metric", (rid,)).fetchall()
        floor = (platform or {}).get("supportFloor") or {}
        control = floor.get("assistantControl") if platform and platform["governance"] == "supported" else None
        recovery: dict[str, Any] = {"surface": floor.get("recovery") or "n/a", "count": count}
        if latest is not None:
            recovery["latest"] = point(latest)
        if verified is not None:
            recovery["latestVerified"] = point(verified)
        return {
            "resource": self.row(r, detail=True),
            "platformSupport": {
                "id": platform["id"], "supported": platform["governance"] == "supported",
                "governanceState": platform["governance"], "readinessStage": platform.get("readinessStage"),
                "assistantControl": control, "statement": statement(platform),
            } if platform else {"id": r["platform"], "supported": False,
                                "statement": f"{r['platform']} is not a known platform."},
            "parentChain": chain,
            "childCounts": {c["type"]: c["n"] for c in children},
            "alerts": [{"id": a["id"], "severity": a["severity"], "message": a["message"], "since": a["since"],
                        "resourceId": rid, "resourceName": r["name"], "resourceType": r["type"],
                        "platform": r["platform"]} for a in alerts],
            "recovery": recovery,
            "metricHistory": [{"metric": s["metric"], "since": s["first"], "until": s["last"], "samples": s["n"]}
                              for s in series],
            "control": {
                "assistantControl": control, "controlLevel": "read-only", "openActions": [],
                "options": [control_option(action, r["powerState"], supported=control is not None)
                            for action in ACTIONS.get(r["type"], [])],
                "note": "The server runs at control level read-only: no control action is open. "
                        "The operator sets the level; a tool call cannot.",
            },
        }

    def search(self, arguments: dict[str, Any]) -> dict[str, Any]:
        limit = arguments.get("limit") or 50
        if not 1 <= limit <= 500:
            raise ToolError(f"Invalid arguments for search_resources: `limit`: must be 1-500, got {limit}.")
        sort = arguments.get("sort") or "name"
        conditions: list[str] = []
        params: list[Any] = []

        def one_of(column: str, values: list[str] | None) -> None:
            if values:
                conditions.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)

        one_of("type", arguments.get("types"))
        one_of("status", arguments.get("statuses"))
        platforms = arguments.get("platforms")
        if platforms:
            unknown = [p for p in platforms if p.lower() not in self.aliases]
            if unknown:
                raise ToolError(f"Unknown platform {', '.join(unknown)}. Known platform ids: {', '.join(self.platforms)}.")
            one_of("platform", sorted({self.aliases[p.lower()] for p in platforms}))
        one_of("powerState", arguments.get("powerStates"))
        if arguments.get("parentId") is not None:
            conditions.append("parentId = ?")
            params.append(arguments["parentId"])
        if not arguments.get("includeUnsupported") and self.hidden:
            conditions.append(f"+platform NOT IN ({','.join('?' * len(self.hidden))})")
            params.extend(self.hidden)
        expression = "name" if sort == "name" else f"ifnull({sort}, -1.0)"
        if cursor := arguments.get("cursor"):
            try:
                value, after_id = json.loads(base64.urlsafe_b64decode(cursor))
            except ValueError as error:
                raise ToolError("Invalid cursor: it was not issued by search_resources.") from error
            if sort == "name":
                conditions.append("(name, id) > (?, ?)")
                params += [value, after_id]
            else:
                conditions.append(f"({expression} < ? OR ({expression} = ? AND id > ?))")
                params += [value, value, after_id]
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        order = "name, id" if sort == "name" else f"{expression} DESC, id"
        detail = bool(arguments.get("detail"))
        rows = self.db.execute(f"SELECT {COLUMNS}{', record' if detail else ''} FROM resource{where} "
                               f"ORDER BY {order} LIMIT ?", (*params, limit + 1)).fetchall()
        result: dict[str, Any] = {"resources": [self.row(r, detail) for r in rows[:limit]]}
        if len(rows) > limit:
            last = rows[limit - 1]
            key = last["name"] if sort == "name" else (last[sort] if last[sort] is not None else -1.0)
            result["nextCursor"] = base64.urlsafe_b64encode(json.dumps([key, last["id"]]).encode()).decode()
        return result


def point(p: sqlite3.Row) -> dict[str, Any]:
    out: dict[str, Any] = {"id": p["id"], "kind": p["kind"], "at": p["at"], "platform": p["platform"]}
    if p["sizeBytes"] is not None:
        out["sizeBytes"] = p["sizeBytes"]
    if p["verified"] is not None:
        out["verified"] = bool(p["verified"])
    return out


def build_server(store: Store) -> MCPServer:
    server = MCPServer("fastmcp-store-peer", instructions="FastMCP store peer for the pulse-assistant benchmark.",
                       log_level="WARNING")

    @server.tool(title="Get resource", structured_output=True)
    def get_resource(id: str | None = None, name: str | None = None,
                     includeUnsupported: bool = False) -> dict[str, Any]:
        """Returns one resource by id or exact name, with its parent chain, child counts, alerts and recovery."""
        return store.get_resource(id, name, includeUnsupported)

    @server.tool(title="Search resources", structured_output=True)
    def search_resources(types: list[str] | None = None, platforms: list[str] | None = None,
                         statuses: list[str] | None = None, powerStates: list[str] | None = None,
                         parentId: str | None = None, sort: str = "name", detail: bool = False,
                         includeUnsupported: bool = False, limit: int = 50,
                         cursor: str | None = None) -> dict[str, Any]:
        """Finds resources by type, platform, status, power state and parent, sorted by name, one page at a time."""
        return store.search({"types": types, "platforms": platforms, "statuses": statuses,
                             "powerStates": powerStates, "parentId": parentId, "sort": sort, "detail": detail,
                             "includeUnsupported": includeUnsupported, "limit": limit, "cursor": cursor})

    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, required=True, help="the JSON Lines snapshot (pulse-assistant demo)")
    parser.add_argument("--db", type=Path, required=True, help="the peer's own SQLite file")
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument("--load-only", action="store_true", help="(re)load the snapshot into --db and exit")
    args = parser.parse_args()
    platforms = json.loads(args.manifest.read_text(encoding="utf-8"))["platforms"]
    aliases = {p["id"]: p["id"] for p in platforms} | {a.lower(): p["id"] for p in platforms for a in p.get("aliases", [])}
    if args.load_only or not args.db.exists():
        counts = load(args.snapshot, args.db, aliases)
        print(f"loaded {args.snapshot} into {args.db}: {counts}", file=sys.stderr)
        if args.load_only:
            return
    build_server(Store(args.db, args.manifest)).run("stdio")


if __name__ == "__main__":
    main()
