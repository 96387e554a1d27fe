"""`GET /api/metrics-store/history` (`handleMetricsHistory`, `internal/api/router.go:6189`).

Pulse's answers, in order: 400 text when resourceType or resourceId is missing or the type is
not one of its ten; 402 `license_required` when the range exceeds the Community 7 days; else a
map literal (keys sorted, as Go writes maps) with `points` (one metric) or `metrics` (all). An
unknown target is not an error: the store answers nothing, so `points` is `[]` / `metrics` is
`{}` with source `store`. Points here are synthetic and deterministic, ending at the data epoch.
"""

from __future__ import annotations

import json
import math
import re

import gojson
from common import hexdigest

RESOURCE_TYPES = {"node", "storage", "agent", "disk", "k8s", "vm", "system-container", "oci-container",
                  "app-container", "docker-host"}
METRICS = {
    "vm": ["cpu", "memory", "disk", "diskread", "diskwrite", "netin", "netout"],
    "system-container": ["cpu", "memory", "disk", "diskread", "diskwrite", "netin", "netout"],
    "oci-container": ["cpu", "memory", "disk", "netin", "netout"],
    "node": ["cpu", "memory", "disk"], "agent": ["cpu", "memory", "disk", "netin", "netout"],
    "docker-host": ["cpu", "memory", "disk"], "app-container": ["cpu", "memory"],
    "storage": ["usage", "used", "total", "avail"], "disk": ["disk", "diskread", "diskwrite", "smart_temp"],
    "k8s": ["cpu", "memory"],
}
FREE_HISTORY_DAYS = 7
UPGRADE_URL = "https://pulserelay.pro/pricing?utm_source=pulse&utm_medium=app&utm_campaign=upgrade&feature=long_term_metrics"
LICENSE_BODY = {"error": "license_required", "feature": "long_term_metrics",
                "message": "Extended metrics history requires a higher-tier Pulse license", "upgrade_url": UPGRADE_URL}

_GO_DURATION = re.compile(r"^(\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$")
_UNIT = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def parse_range(text: str) -> int:
    """`parseMetricsHistoryDuration`, in seconds (anything unparsable is 24h)."""
    r = text.strip().lower()
    fixed = {"30m": 1800, "1h": 3600, "6h": 21600, "12h": 43200, "24h": 86400, "1d": 86400, "": 86400}
    if r in fixed:
        return fixed[r]
    if r.endswith("d") and r[:-1].isdigit() and int(r[:-1]) > 0:
        return int(r[:-1]) * 86400
    if _GO_DURATION.match(r):
        total = sum(float(v) * _UNIT[u] for v, u in re.findall(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", r))
        if total > 0:
            return int(total)
    return 86400


def _step(duration: int, max_points: str | None) -> int:
    step = 60 if duration <= 7200 else 300 if duration <= 86400 else 3600
    if max_points and max_points.isdigit() and int(max_points) > 0:
        step = max(step, math.ceil(duration / int(max_points)))
    return step


def _series(key: str, metric: str, start_ms: int, end_ms: int, step: int) -> list[dict]:
    seed = int(hexdigest(f"{key}/{metric}", 8), 16)
    base = 5 + seed % 60
    out = []
    t = start_ms // 1000 // step * step + step
    end = end_ms // 1000
    while t <= end:
        wave = ((t // step + seed) % 17) - 8
        value = round(max(0.0, base + wave * 0.9), 1)
        spread = round(0.5 + (seed % 7) * 0.3, 1)
        out.append({"max": gojson.num(round(value + spread, 1)), "min": gojson.num(round(max(0.0, value - spread), 1)),
                    "timestamp": t * 1000, "value": gojson.num(value)})
        t += step
    return out


def history(query: dict[str, str], epoch_ms: int, known) -> tuple[int, bytes, str]:
    """`known(runtime_type, resource_id)` says whether a row has that metricsTarget."""
    rtype = query.get("resourceType", "").strip().lower()
    rid = query.get("resourceId", "")
    if not rtype or not rid:
        return 400, b"resourceType and resourceId are required\n", "text"
    if rtype not in RESOURCE_TYPES:
        return 400, f"unsupported resourceType {json.dumps(rtype, ensure_ascii=False)}\n".encode(), "text"
    rid = rid.strip()
    metric = query.get("metric", "")
    time_range = query.get("range", "")
    duration = parse_range(time_range)
    if duration > FREE_HISTORY_DAYS * 86400:
        return 402, gojson.encode(LICENSE_BODY), "json"
    end_ms = epoch_ms
    start_ms = end_ms - duration * 1000
    step = _step(duration, query.get("maxPoints"))
    exists = known(rtype, rid)
    names = METRICS.get(rtype, [])
    key = f"{rtype}:{rid}"
    if metric:
        lookup = "usage" if rtype == "storage" and metric == "disk" else metric
        points = _series(key, lookup, start_ms, end_ms, step) if exists and lookup in names else []
        body = {"end": end_ms, "metric": metric, "points": points, "range": time_range, "resourceId": rid,
                "resourceType": rtype, "source": "store", "start": start_ms}
    else:
        metrics = {m: _series(key, m, start_ms, end_ms, step) for m in sorted(names)} if exists else {}
        body = {"end": end_ms, "metrics": metrics, "range": time_range, "resourceId": rid, "resourceType": rtype,
                "source": "store", "start": start_ms}
    return 200, gojson.encode(body), "json"
