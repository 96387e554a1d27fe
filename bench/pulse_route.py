#!/usr/bin/env python3
"""The cost of the pulse control route over the Pulse server's own answers (issue 16, "Performance").

Starts the fake Pulse (tests/fakepulse), then measures, on the same guest, N times each:

  raw    the fake's own lifecycle over one keep-alive HTTP connection, as a client with nothing to
         decide would make it: GET /api/resources/{id}, POST plan, POST decision, POST execute
  route  one control_resource call to `pulse-assistant serve --pulse-url … --control-level
         autonomous` over stdio, which makes those same four calls after its policy, with the
         action row, Pulse's side of it and two audit records written on the way

  dry    the same control_resource with dryRun: the stdio round trip, the policy and the reply,
         with nothing written and nothing sent to Pulse (interleaved with the route's calls)

and prints one JSON line: the medians and means of each, the route's added cost per call over the
fake's own round trips, and what is left of it once the dry run's cost (MCP over stdio, the policy)
is taken away: the HTTP client, the action row's writes and the audit appends.

    python3 bench/pulse_route.py [--calls 200] [--resources 2000] [--binary .build/release/pulse-assistant]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fakepulse"))
from launch import start_fake, stop_fake  # noqa: E402

TOKEN = "bench-token-7f3a9c0e51d2"


def guest(conn: http.client.HTTPConnection) -> str:
    """A running guest Pulse offers reboot for (it stays rebootable after each reboot)."""
    page = 1
    while True:
        conn.request("GET", f"/api/resources?limit=100&page={page}&type=vm", headers={"X-API-Token": TOKEN})
        body = json.loads(conn.getresponse().read())
        for row in body["data"]:
            if any(c.get("name") == "reboot" for c in row.get("capabilities") or []):
                return row["id"]
        if page >= body["meta"]["totalPages"]:
            raise SystemExit("the fake's fleet has no rebootable guest")
        page += 1


def post(conn: http.client.HTTPConnection, path: str, body: dict) -> dict:
    conn.request("POST", path, body=json.dumps(body), headers={"X-API-Token": TOKEN, "Content-Type": "application/json"})
    response = conn.getresponse()
    data = json.loads(response.read())
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status} {data}")
    return data


def raw(conn: http.client.HTTPConnection, resource: str, calls: int) -> list[float]:
    times = []
    for i in range(calls):
        start = time.perf_counter()
        conn.request("GET", f"/api/resources/{resource}", headers={"X-API-Token": TOKEN})
        conn.getresponse().read()
        plan = post(conn, "/api/actions/plan", {"requestId": f"raw-{i}", "resourceId": resource, "capabilityName": "reboot", "reason": "bench"})
        post(conn, f"/api/actions/{plan['actionId']}/decision", {"outcome": "approved", "reason": "bench", "planHash": plan["planHash"]})
        done = post(conn, f"/api/actions/{plan['actionId']}/execute", {"reason": "bench", "planHash": plan["planHash"]})
        if done["state"] != "completed":
            raise SystemExit(f"raw execute: {done['state']}")
        times.append(time.perf_counter() - start)
    return times


def route(binary: str, url: str, resource: str, calls: int, store: str) -> list[float]:
    env = dict(os.environ, PULSE_API_TOKEN=TOKEN)
    server = subprocess.Popen(
        [binary, "serve", "--pulse-url", url, "--store", store, "--control-level", "autonomous", "--log-level", "error"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
    )

    def call(message: dict) -> dict | None:
        server.stdin.write((json.dumps(message) + "\n").encode())
        server.stdin.flush()
        if "id" not in message:
            return None
        while True:
            line = json.loads(server.stdout.readline())
            if line.get("id") == message["id"]:
                return line

    call({"jsonrpc": "2.0", "id": 0, "method": "initialize",
          "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}})
    call({"jsonrpc": "2.0", "method": "notifications/initialized"})
    # The first call waits for the first sync: not measured.
    call({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "get_resource", "arguments": {"id": resource}}})
    times, dry_times = [], []
    for i in range(calls):
        arguments = {"resourceId": resource, "action": "reboot", "reason": "bench", "idempotencyKey": f"bench-{i}"}
        start = time.perf_counter()
        answer = call({"jsonrpc": "2.0", "id": 10 + 2 * i, "method": "tools/call", "params": {"name": "control_resource", "arguments": arguments}})
        times.append(time.perf_counter() - start)
        state = answer["result"]["structuredContent"]["state"]
        if state != "completed":
            raise SystemExit(f"route: {state}: {answer['result']['structuredContent'].get('message')}")
        start = time.perf_counter()
        answer = call({"jsonrpc": "2.0", "id": 11 + 2 * i, "method": "tools/call", "params": {
            "name": "control_resource", "arguments": dict(arguments, dryRun=True, idempotencyKey=f"dry-{i}")}})
        dry_times.append(time.perf_counter() - start)
        if answer["result"]["structuredContent"]["state"] != "dry-run":
            raise SystemExit(f"dry run: {answer['result']['structuredContent']}")
    server.stdin.close()
    server.wait(timeout=30)
    return times, dry_times


def summary(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    return {"median": round(statistics.median(ms), 3), "mean": round(statistics.fmean(ms), 3),
            "p90": round(ms[int(len(ms) * 0.9) - 1], 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--resources", type=int, default=2000)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "pulse-assistant"))
    args = parser.parse_args()
    proc, url, _ = start_fake("--resources", str(args.resources), "--token", TOKEN)
    try:
        parts = urlparse(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port)
        resource = guest(conn)
        raw_times = raw(conn, resource, args.calls)
        with tempfile.TemporaryDirectory() as directory:
            route_times, dry_times = route(args.binary, url, resource, args.calls, os.path.join(directory, "store.db"))
    finally:
        stop_fake(proc)
    raw_s, route_s, dry_s = summary(raw_times), summary(route_times), summary(dry_times)

    def less(a: dict, *others: dict) -> dict:
        return {key: round(a[key] - sum(o[key] for o in others), 3) for key in ("median", "mean")}

    print(json.dumps({
        "calls": args.calls, "fleet": args.resources, "binary": args.binary,
        "raw_ms": raw_s, "route_ms": route_s, "dry_run_ms": dry_s,
        "added_ms": less(route_s, raw_s), "added_beyond_dry_run_ms": less(route_s, raw_s, dry_s),
    }))


if __name__ == "__main__":
    main()
