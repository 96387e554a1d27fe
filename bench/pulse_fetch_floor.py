#!/usr/bin/env python3
"""The fetch floor a Pulse sync is compared against: the wall time to fetch everything a sync
reads from the fake Pulse (every /api/resources page at limit 100, /api/alerts/active, every
/api/recovery/points page) with one plain keep-alive http.client connection, no decoding, no
mapping, no store.

    python3 bench/pulse_fetch_floor.py 100000 [--seed 1] [--walks 2] [--recovery-limit 100]

Prints one JSON line per walk: {"resources", "walk", "seconds", "bytes", "pages", ...,
"fakeCpuSeconds", "fakePeakRssMB"} (the fake's own user+system CPU during the walk and its peak
RSS, from /proc). `--prewarm` lets the fake encode its rows before the clock starts, so the
walk measures serving only (what a real Pulse, which serves from memory, costs).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fakepulse"))
from launch import start_fake, stop_fake  # noqa: E402


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def fetch(conn: http.client.HTTPConnection, path: str) -> bytes:
    conn.request("GET", path, headers={"X-API-Token": "bench-token"})
    resp = conn.getresponse()
    body = resp.read()
    if resp.status != 200:
        raise SystemExit(f"{path}: HTTP {resp.status}: {body[:200]!r}")
    return body


def walk(url: str, recovery_limit: int) -> dict:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    total_bytes, pages, page, total_pages = 0, 0, 1, 1
    started = time.perf_counter()
    first_page = None
    while page <= total_pages:
        body = fetch(conn, f"/api/resources?limit=100&page={page}")
        if page == 1:
            first_page = time.perf_counter() - started
            # the floor reads totalPages from the first page only, like a sync must
            meta = body[body.rindex(b'"meta":'):]
            total_pages = json.loads(meta[7:meta.index(b"}") + 1])["totalPages"]
        total_bytes += len(body)
        pages += 1
        page += 1
    resources_seconds = time.perf_counter() - started
    alerts = fetch(conn, "/api/alerts/active")
    total_bytes += len(alerts)
    rpage, rpages, recovery_pages = 1, 1, 0
    while rpage <= rpages:
        body = fetch(conn, f"/api/recovery/points?limit={recovery_limit}&page={rpage}")
        if rpage == 1:
            rpages = max(1, json.loads(body)["meta"]["totalPages"])
        total_bytes += len(body)
        recovery_pages += 1
        rpage += 1
    seconds = time.perf_counter() - started
    conn.close()
    return {"seconds": round(seconds, 3), "resourcesSeconds": round(resources_seconds, 3),
            "firstPageSeconds": round(first_page, 4), "bytes": total_bytes, "pages": pages + 1 + recovery_pages,
            "resourcePages": pages, "recoveryPages": recovery_pages}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("resources", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--walks", type=int, default=1, help="walks in a row (later ones hit the fake's row cache)")
    ap.add_argument("--recovery-limit", type=int, default=100)
    ap.add_argument("--prewarm", action="store_true",
                    help="let the fake encode its rows first (waits for /_fake/stats warm), so only serving is timed")
    args = ap.parse_args()
    t0 = time.perf_counter()
    extra = ["--prewarm"] if args.prewarm else []
    proc, url, _ = start_fake("--resources", str(args.resources), "--seed", str(args.seed), "--token", "bench-token",
                              *extra, timeout=600)
    startup = time.perf_counter() - t0
    if args.prewarm:
        parts = urlsplit(url)
        while True:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            conn.request("GET", "/_fake/stats")
            if json.loads(conn.getresponse().read()).get("warm"):
                break
            conn.close()
            time.sleep(0.2)
        startup = time.perf_counter() - t0
    try:
        for n in range(1, args.walks + 1):
            before = cpu_seconds(proc.pid)
            result = walk(url, args.recovery_limit)
            result = {"resources": args.resources, "walk": n, "prewarmed": args.prewarm, **result,
                      "fakeCpuSeconds": round(cpu_seconds(proc.pid) - before, 3), "fakeStartupSeconds": round(startup, 3),
                      "fakePeakRssMB": peak_rss_mb(proc.pid),
                      "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"}
            print(json.dumps(result), flush=True)
    finally:
        stop_fake(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
