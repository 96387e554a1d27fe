#!/usr/bin/env python3
"""Sync from Pulse (issue 18): `pulse-assistant sync` and `serve --pulse-url` against the fake Pulse,
each figure next to its floor measured in the same run.

    python3 bench/sync_bench.py [--bin .build/release/pulse-assistant] [--resources 100000]
                                [--million 1000000 | --million 0] [--rounds 3] [--read-seconds 90]
    python3 bench/sync_bench.py --million-only   # redo step 5 into the last run's results
    python3 bench/sync_bench.py --report-only    # print the last run's report again

Measured, with the fake started `--prewarm` (every row encoded before the clock starts, as a real
Pulse serves from memory) and a row cache big enough for the whole fleet:

1. First sync of N resources into a new store: wall, the child's user+sys CPU and peak RSS
   (`os.wait4`), against the floor (`bench/pulse_fetch_floor.py`'s walk: the same pages over one
   plain keep-alive `http.client` connection, nothing decoded, nothing stored), walked right
   before each sync against the same fake; `--rounds` alternating floor/sync pairs.
2. Unchanged re-sync of that store (`--rounds` times).
3. 1% re-sync: `POST /_fake/churn {"percent": 1}`, then a sync (`--rounds` times); rows written
   from the sync's JSON report.
4. `get_resource` round trips (one at a time, a 1 ms pause between calls, over stdio): on
   `serve --store S` (idle, before and after) and on `serve --pulse-url URL --store S'
   --sync-interval 1`, which syncs continuously while `/_fake/churn 1%` runs every 3 s so every
   sync writes rows. Calls are split by the server's own `synced` log lines into those that
   started while a sync ran and those in the pause between syncs.
   Beside each first sync, the store's write floor: its rows copied by SQLite alone into a new
   store of the same schema (`write_floor`), what any first sync must at least spend writing.
5. First sync of `--million` resources: wall, CPU, peak RSS and its floor (one pair). The child is
   watched: past `--rss-limit-mib` (default 8 GiB) or with less than 3 GiB left on the machine it is
   killed and reported as unfinished, with what it had cost by then.

Prints a Markdown report (also written to bench/out/sync_report.md) and the raw figures as JSON
(bench/out/sync_results.json). Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "tests" / "fakepulse"))
sys.path.insert(0, str(BENCH))
from launch import start_fake, stop_fake  # noqa: E402
from pulse_fetch_floor import cpu_seconds, walk as floor_walk  # noqa: E402  (sends X-API-Token: bench-token)

TOKEN = "bench-token"
SEED = 20261203
MANIFEST = REPO / "Sources/Policy/Resources/platform-support.json"
INITIALIZE = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
    "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "sync-bench", "version": "1"}}}
GOALS = {"floor": 1.5, "unchangedCpu": 1.5, "churnCpu": 2.0, "p99": 2.0, "rss1m": 1024.0}


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {load()}] {message}", file=sys.stderr, flush=True)


# MARK: - the fake


class Fake:
    def __init__(self, resources: int, cache_mb: int, timeout: float, nice: int = 0) -> None:
        started = time.perf_counter()
        self.proc, self.url, _ = start_fake("--resources", str(resources), "--token", TOKEN, "--prewarm",
                                            "--row-cache-mb", str(cache_mb), timeout=timeout, stderr=subprocess.DEVNULL)
        parts = urlsplit(self.url)
        self.host, self.port = parts.hostname, parts.port
        while not self.get("/_fake/stats").get("warm"):
            if time.perf_counter() - started > timeout:
                raise SystemExit(f"the fake did not warm within {timeout:.0f} s")
            time.sleep(0.5)
        self.warm_seconds = time.perf_counter() - started
        if nice:
            # Stands in for a Pulse on another machine: it takes what CPU pulse-assistant leaves.
            # The main thread's nice value (Linux: per thread) passes to the threads it starts next.
            os.setpriority(os.PRIO_PROCESS, self.proc.pid, nice)
        stats = self.get("/_fake/stats")
        self.resources = stats["resources"]
        if stats["cachedRows"] < self.resources:
            log(f"warning: the fake cached only {stats['cachedRows']} of {self.resources} rows (raise --row-cache-mb)")

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        conn.request(method, path, body=None if body is None else json.dumps(body),
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        if resp.status != 200:
            raise SystemExit(f"{method} {path}: HTTP {resp.status} {data[:200]!r}")
        return json.loads(data) if data.strip() else {}

    def get(self, path: str) -> dict:
        return self.request("GET", path)

    def churn(self, percent: float = 1) -> dict:
        return self.request("POST", "/_fake/churn", {"percent": percent})

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        stop_fake(self.proc)


# MARK: - timed runs


def floor(fake: Fake) -> dict:
    before = fake.cpu()
    result = floor_walk(fake.url, 100)
    result["fakeCpu"] = round(fake.cpu() - before, 3)
    result["load"] = load()
    return result


def write_floor(store: Path, work: Path) -> dict:
    """The store's own floor for a first sync: the rows a sync wrote into `store`, copied by SQLite
    alone (`INSERT … SELECT`, no mapping, no hashing, no Swift) into a new file of the same schema,
    in one WAL transaction with `synchronous = NORMAL` as the server writes: tables first, then the
    secondary indexes and the full-text rows built from them as the server's first sync builds them."""
    target = work / "write-floor.db"
    for f in work.glob("write-floor.db*"):
        f.unlink()
    source = sqlite3.connect(store)
    schema = source.execute(
        "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'resourceSearch_%' "
        "AND name NOT LIKE 'grdb_%' ORDER BY type = 'index', rowid").fetchall()
    tables = [name for kind, name, _ in schema if kind == "table" and name != "resourceSearch"]
    counts = {name: source.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in tables}
    source.close()
    before = os.times()
    start = time.perf_counter()
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("ATTACH DATABASE ? AS synced", (str(store),))
    db.execute("BEGIN IMMEDIATE")
    for kind, name, sql in schema:
        if kind == "table":
            db.execute(sql)
    for name in tables:
        db.execute(f"INSERT INTO main.{name} SELECT * FROM synced.{name}")
    for kind, name, sql in schema:
        if kind == "index":
            db.execute(sql)
    db.execute("""INSERT INTO resourceSearch (rowid, name, tags, identity)
        SELECT r.rowid, r.name, t.tags,
               (SELECT group_concat(i.value, ' ') FROM json_each(r.record, '$.identity') AS i WHERE i.type = 'text')
        FROM resource AS r
        LEFT JOIN (SELECT resourceRowid, group_concat(tag, ' ') AS tags FROM resourceTag GROUP BY resourceRowid) AS t
          ON t.resourceRowid = r.rowid""")
    db.execute("COMMIT")
    db.execute("DETACH DATABASE synced")
    db.close()  # the last connection checkpoints the WAL into the file, as the server's sync does
    seconds = time.perf_counter() - start
    after = os.times()
    result = {"seconds": round(seconds, 3), "cpu": round(after.user + after.system - before.user - before.system, 3),
              "bytes": target.stat().st_size, "rows": sum(counts.values()), "resources": counts.get("resource", 0),
              "sqlite": sqlite3.sqlite_version, "load": load()}
    for f in work.glob("write-floor.db*"):
        f.unlink()
    return result


MIN_AVAILABLE_MIB = 3072  # a watched sync is stopped before the shared machine runs short of memory


def available_mib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("inf")


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def sync(binary: str, fake: Fake, store: Path, rss_limit_mib: float | None = None) -> dict:
    """One `pulse-assistant sync`: wall, the child's own rusage, its JSON report, the fake's CPU meanwhile.
    With `rss_limit_mib` the child is watched and killed past that resident size (the machine is
    shared: a run far past its goal is stopped, not allowed to push others out of memory)."""
    env = {**os.environ, "PULSE_API_TOKEN": TOKEN}
    argv = [binary, "sync", "--pulse-url", fake.url, "--store", str(store), "--format", "json", "--log-level", "info"]
    fake_before = fake.cpu()
    load_before = load()
    stamps: dict[str, float] = {}
    chunks: list[bytes] = []
    err_lines: list[str] = []
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)

    def read_out() -> None:
        for chunk in iter(lambda: proc.stdout.read1(1 << 16), b""):
            stamps.setdefault("report", time.perf_counter())
            chunks.append(chunk)

    def read_err() -> None:
        # The walker logs "Pulse walk: …" at info when the last page is in and mapped.
        for raw in proc.stderr:
            line = raw.decode(errors="replace").rstrip()
            if "Pulse walk:" in line:
                stamps.setdefault("walked", time.perf_counter())
            err_lines.append(line)

    readers = [threading.Thread(target=read_out, daemon=True), threading.Thread(target=read_err, daemon=True)]
    for reader in readers:
        reader.start()
    killed, rss_at_walk, timeline = None, 0.0, []
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG if rss_limit_mib else 0)
        if pid:
            break
        rss = rss_mib(proc.pid)
        if not timeline or time.perf_counter() - started >= timeline[-1][0] + 10:
            timeline.append((round(time.perf_counter() - started, 1), round(rss)))
        if "walked" not in stamps:
            rss_at_walk = max(rss_at_walk, rss)
        if killed is None and (rss > rss_limit_mib or available_mib() < MIN_AVAILABLE_MIB):
            killed = {"killedAtSeconds": round(time.perf_counter() - started, 1), "killedAtRssMiB": round(rss),
                      "availableMiB": round(available_mib())}
            proc.kill()
        time.sleep(0.2)
    wall = time.perf_counter() - started
    for reader in readers:
        reader.join(timeout=10)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if killed or (rss_limit_mib and proc.returncode != 0):
        # A watched (big) sync that did not finish: what it cost until then, not the end of the bench.
        killed = killed or {"killedAtSeconds": round(wall, 1), "killedAtRssMiB": round(usage.ru_maxrss / 1024),
                            "availableMiB": round(available_mib()), "exit": proc.returncode}
        walked = round(stamps["walked"] - started, 1) if "walked" in stamps else None
        log(f"the sync did not finish (exit {proc.returncode}): {killed}; walked at {walked} s; {err_lines[-1:]}")
        return {"wall": round(wall, 3), "user": round(usage.ru_utime, 3), "sys": round(usage.ru_stime, 3),
                "cpu": round(usage.ru_utime + usage.ru_stime, 3), "rssMiB": round(usage.ru_maxrss / 1024, 1),
                "fakeCpu": round(fake.cpu() - fake_before, 3), "load": f"{load_before} → {load()}", **killed,
                "exit": proc.returncode, "walkedAtSeconds": walked, "rssAtWalkMiB": round(rss_at_walk), "rssTimeline": timeline}
    if proc.returncode != 0:
        raise SystemExit(f"sync exited {proc.returncode}: {chr(10).join(err_lines[-20:])}")
    report = json.loads(b"".join(chunks))
    written = report["written"]
    return {
        "wall": round(wall, 3), "user": round(usage.ru_utime, 3), "sys": round(usage.ru_stime, 3),
        "cpu": round(usage.ru_utime + usage.ru_stime, 3), "rssMiB": round(usage.ru_maxrss / 1024, 1),
        "walkSeconds": round(report["walk"]["seconds"], 3), "writeSeconds": round(report["writeSeconds"], 3),
        "rowsWritten": sum(c["added"] + c["changed"] + c["removed"] for c in written.values()),
        "resourcesWritten": {k: v for k, v in written["resource"].items()},
        "resources": sum(r["count"] for r in report["resources"]), "skipped": report["skippedCount"],
        "pages": report["walk"]["resourcePages"] + report["walk"]["recoveryPages"] + 1,
        "bytes": report["walk"]["bytes"], "rewalks": report["walk"]["rewalks"],
        "fakeCpu": round(fake.cpu() - fake_before, 3), "load": f"{load_before} → {load()}",
        # Phases, from when the walker's "Pulse walk" line and the report arrived: process start and
        # store open before the walk; the batch check (and client shutdown) between walk and write;
        # freeing the batch and exiting after the report.
        "startSeconds": round(stamps["walked"] - started - report["walk"]["seconds"], 3) if "walked" in stamps else None,
        "checkSeconds": round(stamps["report"] - stamps["walked"] - report["writeSeconds"], 3) if "walked" in stamps else None,
        "exitSeconds": round(started + wall - stamps["report"], 3),
        "rssAtWalkMiB": round(rss_at_walk) if rss_limit_mib else None, "rssTimeline": timeline,
    }


# MARK: - reads over stdio


class Server:
    """A `serve` process over pipes; stderr lines are read by a thread and stamped on arrival."""

    def __init__(self, argv: list[str], env: dict) -> None:
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        bufsize=0, env=env)
        self.stdin, self.stdout, self.buffer = self.process.stdin.fileno(), self.process.stdout.fileno(), b""
        self.log: list[tuple[float, str]] = []
        self.reader = threading.Thread(target=self._read_stderr, daemon=True)
        self.reader.start()
        self.write(json.dumps(INITIALIZE).encode() + b"\n")
        if json.loads(self.read_line()).get("id") != 0:
            raise SystemExit("bad initialize answer")
        self.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')

    def _read_stderr(self) -> None:
        for raw in self.process.stderr:
            self.log.append((time.perf_counter(), raw.decode(errors="replace").rstrip()))

    def write(self, data: bytes) -> None:
        while data:
            data = data[os.write(self.stdin, data):]

    def read_line(self) -> bytes:
        while True:
            newline = self.buffer.find(b"\n")
            if newline >= 0:
                line, self.buffer = self.buffer[:newline], self.buffer[newline + 1:]
                return line
            chunk = os.read(self.stdout, 1 << 20)
            if not chunk:
                raise SystemExit(f"server exited ({self.process.poll()}): {self.log[-5:]}")
            self.buffer += chunk

    def synced(self) -> list[tuple[float, float]]:
        """(when the `synced` line arrived, the write's seconds) for every sync so far."""
        out = []
        for at, line in list(self.log):
            if line.rstrip().endswith("synced"):
                match = re.search(r"seconds=([0-9.e-]+) seconds", line)
                out.append((at, float(match.group(1)) if match else 0.0))
        return out

    def close(self) -> int:
        self.process.stdin.close()
        try:
            return self.process.wait(timeout=120)
        finally:
            self.reader.join(timeout=5)


def get_calls(server: Server, ids: list[str], first_id: int, gap: float, until: float | None = None) -> list[tuple[float, float]]:
    """(start, seconds) of each `get_resource`, one at a time; stops at `until` (perf_counter) if given."""
    samples = []
    clock, write, read_line = time.perf_counter, server.write, server.read_line
    for n, rid in enumerate(ids):
        data = json.dumps({"jsonrpc": "2.0", "id": first_id + n, "method": "tools/call",
                           "params": {"name": "get_resource", "arguments": {"id": rid}}}, separators=(",", ":")).encode() + b"\n"
        started = clock()
        write(data)
        line = read_line()
        while b'"method":' in line:  # a notification (resources/list_changed after a sync), not the answer
            line = read_line()
        samples.append((started, clock() - started))
        if b'"isError":true' in line or b'"error":{' in line[:60]:
            raise SystemExit(f"get_resource {rid}: {line[:300]!r}")
        if until is not None and clock() >= until:
            break
        time.sleep(gap)
    return samples


def percentiles(seconds: list[float]) -> dict:
    data = sorted(seconds)
    pick = lambda q: data[min(len(data) - 1, int(q * (len(data) - 1)))] * 1e3  # noqa: E731
    return {"calls": len(data), "p50": round(statistics.median(data) * 1e3, 4), "p99": round(pick(0.99), 4),
            "p999": round(pick(0.999), 4), "max": round(data[-1] * 1e3, 3)}


def readable_ids(store: Path, count: int) -> list[str]:
    platforms = sorted(p["id"] for p in json.loads(MANIFEST.read_text())["platforms"]
                       if p["governance"] == "supported" and (p.get("supportFloor") or {}).get("assistantRead") == "supported")
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    ids = [r[0] for r in db.execute(f"SELECT id FROM resource WHERE platform IN ({','.join('?' * len(platforms))}) ORDER BY id", platforms)]
    db.close()
    return random.Random(SEED).choices(ids, k=count)


def reads(binary: str, fake: Fake, store: Path, work: Path, seconds: float, idle_calls: int, gap: float) -> dict:
    ids = readable_ids(store, 2 * idle_calls + 200_000)
    env = dict(os.environ)
    idle_argv = [binary, "serve", "--store", str(store)]
    results: dict = {}

    def idle(label: str, offset: int) -> list[float]:
        server = Server(idle_argv, env)
        get_calls(server, ids[offset:offset + 300], 1, gap)  # warm-up
        samples = [s for _, s in get_calls(server, ids[offset + 300:offset + idle_calls], 1000, gap)]
        server.close()
        results[label] = {**percentiles(samples), "load": load()}
        log(f"reads {label}: {results[label]}")
        return samples

    before = idle("idleBefore", 0)

    synced_store = work / "serve-sync.db"
    shutil.copyfile(store, synced_store)
    server = Server([binary, "serve", "--pulse-url", fake.url, "--store", str(synced_store), "--sync-interval", "1",
                     "--log-level", "info"], {**env, "PULSE_API_TOKEN": TOKEN})
    deadline = time.perf_counter() + 300
    while not server.synced():
        if time.perf_counter() > deadline:
            raise SystemExit(f"no first sync within 300 s: {server.log[-5:]}")
        time.sleep(0.1)
    get_calls(server, ids[2 * idle_calls:2 * idle_calls + 300], 1, gap)  # warm-up
    load_start = load()
    stop = threading.Event()
    churns = []

    def churner() -> None:
        while not stop.wait(3.0):
            churns.append(time.perf_counter())
            fake.churn(1)

    thread = threading.Thread(target=churner, daemon=True)
    cpu_before = cpu_seconds(server.process.pid)
    began = time.perf_counter()
    thread.start()
    during = get_calls(server, ids[2 * idle_calls + 300:], 5000, gap, until=began + seconds)
    stop.set()
    thread.join()
    server_cpu = cpu_seconds(server.process.pid) - cpu_before
    ended = time.perf_counter()
    # Close the last window: wait for the sync that was running when the calls stopped.
    count = len(server.synced())
    while len(server.synced()) == count and time.perf_counter() < ended + 300:
        time.sleep(0.1)
    syncs = server.synced()
    server.close()

    # A sync runs from 1 s (the interval) after the previous `synced` line to its own; its write is
    # the last `seconds` of that span.
    windows, writes = [], []
    for (prev, _), (at, write_s) in zip(syncs, syncs[1:]):
        windows.append((prev + 1.0, at))
        writes.append((at - write_s, at))
    inside = lambda t, spans: any(a <= t <= b for a, b in spans)  # noqa: E731
    in_sync = [s for t, s in during if inside(t, windows)]
    in_write = [s for t, s in during if inside(t, writes)]
    # The walk (and the check): a sync's span less its write. Apart, since a faster write changes the
    # mix of "while a sync ran" without any call getting slower.
    in_walk = [s for t, s in during if inside(t, windows) and not inside(t, writes)]
    between = [s for t, s in during if not inside(t, windows)]
    covered = [w for w in windows if w[1] >= began and w[0] <= ended]
    results["duringSyncAll"] = {**percentiles([s for _, s in during]), "load": f"{load_start} → {load()}"}
    results["duringSync"] = percentiles(in_sync) if in_sync else {}
    results["duringWrite"] = percentiles(in_write) if in_write else {}
    results["duringWalk"] = percentiles(in_walk) if in_walk else {}
    results["betweenSyncs"] = percentiles(between) if between else {}
    results["syncs"] = len(covered)
    results["syncSeconds"] = round(statistics.median(b - a for a, b in covered), 2) if covered else None
    results["writeSecondsEach"] = [round(w, 3) for _, w in syncs]
    results["churns"] = len(churns)
    results["serverCpu"] = round(server_cpu, 2)
    results["seconds"] = round(ended - began, 1)
    log(f"reads during sync: {results['duringSync']} ({results['syncs']} syncs, {len(churns)} churns)")

    after = idle("idleAfter", idle_calls)
    results["idle"] = {**percentiles(before + after), "load": f"{results['idleBefore']['load']} / {results['idleAfter']['load']}"}
    return results


# MARK: - the report


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown")
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.strip().splitlines()
    return {"nproc": os.cpu_count(), "cpu": model, "memGiB": round(mem_kib / 1024 / 1024, 1), "kernel": os.uname().release,
            "python": sys.version.split()[0], "swift": swift[0] if swift else "?"}


def med(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def size(n: int) -> str:
    return f"{n / 1e6:g}M" if n >= 1_000_000 else f"{n // 1000}k"


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def report(res: dict) -> str:
    m, n = res["machine"], res["resources"]
    first, floors = res["first"], res["floors"]
    lines = [
        f"Run: {res['date']}, {m['nproc']} cores ({m['cpu']}), {m['memGiB']} GiB, Linux {m['kernel']}, {m['swift']}, "
        f"Python {m['python']}; the machine is shared with other build jobs (load average 1/5/15 min at the start "
        f"{res['loadStart']}, at the end {res['loadEnd']}). Binary: `{res['binary']}`. Fake Pulse `--prewarm`, whole fleet "
        f"in its row cache ({n:,} resources warmed in {res['fakeWarmSeconds']:.0f} s).",
        *([f"", f"The {res['million']['resources']:,} sync ran on its own at {res['millionDate']} (`--million-only`)."]
          if res.get("millionDate") and res.get("million") else []),
        "",
        "| figure | measured | goal | ratio | |",
        "| --- | ---: | ---: | ---: | :---: |",
    ]
    ratio = med(first, "wall") / med(floors, "seconds")
    lines.append(f"| first sync of {n // 1000}k, wall (median of {len(first)}) against the fetch floor | {med(first, 'wall'):.2f} s "
                 f"(floor {med(floors, 'seconds'):.2f} s) | ≤ {GOALS['floor']}× floor | {ratio:.2f}× | {mark(ratio <= GOALS['floor'])} |")
    writes = res.get("writeFloors") or []
    if writes:
        w, fetch = med(writes, "seconds"), med(floors, "seconds")
        lines.append(f"| the store's write floor at {n // 1000}k (SQLite alone copying the synced rows into a new store, "
                     f"median of {len(writes)}) against the fetch floor | {w:.2f} s (CPU {med(writes, 'cpu'):.2f} s) "
                     f"| | {w / fetch:.2f}× fetch floor | |")
        lines.append(f"| first sync of {n // 1000}k, wall, against fetch floor + write floor | {med(first, 'wall'):.2f} s "
                     f"({fetch + w:.2f} s) | | {med(first, 'wall') / (fetch + w):.2f}× | |")
    lines.append(f"| first sync of {n // 1000}k, CPU (user+sys) | {med(first, 'cpu'):.2f} s | | | |")
    lines.append(f"| first sync of {n // 1000}k, peak RSS | {med(first, 'rssMiB'):.0f} MiB | | | |")
    unchanged, churned = res["unchanged"], res["churn"]
    cpu = med(unchanged, "cpu")
    lines.append(f"| unchanged re-sync of {n // 1000}k, CPU | {cpu:.2f} s (wall {med(unchanged, 'wall'):.2f} s, "
                 f"{med(unchanged, 'rssMiB'):.0f} MiB) | < {GOALS['unchangedCpu']} s | {cpu / GOALS['unchangedCpu']:.2f}× | {mark(cpu < GOALS['unchangedCpu'])} |")
    cpu = med(churned, "cpu")
    lines.append(f"| 1% re-sync of {n // 1000}k, CPU | {cpu:.2f} s (wall {med(churned, 'wall'):.2f} s, "
                 f"{med(churned, 'rowsWritten'):.0f} rows written) | < {GOALS['churnCpu']} s | {cpu / GOALS['churnCpu']:.2f}× | {mark(cpu < GOALS['churnCpu'])} |")
    r = res.get("reads")
    if r and r.get("duringSync"):
        idle, during = r["idle"], r["duringSync"]
        ratio = during["p99"] / idle["p99"]
        lines.append(f"| `get_resource` p99 while a sync runs against idle | {during['p99']:.3f} ms (idle {idle['p99']:.3f} ms) "
                     f"| ≤ {GOALS['p99']}× idle | {ratio:.2f}× | {mark(ratio <= GOALS['p99'])} |")
        lines.append(f"| `get_resource` p50 while a sync runs against idle | {during['p50']:.3f} ms (idle {idle['p50']:.3f} ms) "
                     f"| | {during['p50'] / idle['p50']:.2f}× | |")
    big = res.get("million")
    if big:
        s, f = big["sync"], big["floor"]
        rss, k = s["rssMiB"], size(big["resources"])
        if "killedAtSeconds" in s:
            how = "killed by the bench's memory guard" if s.get("exit") == -9 else f"ended by signal {-s['exit']}" if s.get("exit", 0) < 0 else f"exit {s.get('exit')}"
            walked = f"walk done at {s['walkedAtSeconds']} s" if s.get("walkedAtSeconds") else "during the walk"
            at_walk = f"{s['rssAtWalkMiB']:,} MiB when the walk ended; " if s.get("walkedAtSeconds") else ""
            lines.append(f"| first sync of {k}, peak RSS | at least {rss:,.0f} MiB ({at_walk}"
                         f"unfinished: {how} {s['killedAtSeconds']} s in, {walked}) | < 1 GiB | > {rss / GOALS['rss1m']:.1f}× | ✗ |")
            lines.append(f"| first sync of {k}, wall against the fetch floor | unfinished after {s['wall']:.1f} s (floor {f['seconds']:.1f} s) "
                         f"| | > {s['wall'] / f['seconds']:.1f}× | |")
        else:
            lines.append(f"| first sync of {k}, peak RSS | {rss:,.0f} MiB | < 1 GiB | {rss / GOALS['rss1m']:.2f}× | {mark(rss < GOALS['rss1m'])} |")
            lines.append(f"| first sync of {k}, wall against the fetch floor | {s['wall']:.1f} s (floor {f['seconds']:.1f} s) "
                         f"| | {s['wall'] / f['seconds']:.2f}× | |")
            lines.append(f"| first sync of {k}, CPU (user+sys) | {s['cpu']:.1f} s | | | |")
            lines.append(f"| first sync of {k}, resident when the walk ended | {s['rssAtWalkMiB']:,} MiB | | | |")
    lines += ["", "Ratios: measured ÷ floor or ÷ goal (below 1 is inside a goal given as a bound).", "",
              "Every run, in seconds: wall and the child's CPU; its phases (start: process start and store open; walk and "
              "write: from the sync's JSON report; check: the batch check between walk and write, timed from the walker's "
              "`Pulse walk` log line to the report less the write; exit: freeing the batch after the report); the fake's "
              "CPU during the run; load average 1/5/15 min before → after:", "",
              "| run | wall | user | sys | peak RSS MiB | start | walk | check | write | exit | rows written | fake CPU | load |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]

    def floor_row(name: str, f: dict) -> str:
        return (f"| {name} | {f['seconds']:.2f} | | | | | {f['resourcesSeconds']:.2f} (resource pages) | | | | "
                f"{f['pages']} pages, {f['bytes'] / 1e6:.0f} MB | {f['fakeCpu']:.2f} | {f['load']} |")

    def sync_row(name: str, s: dict) -> str:
        if "killedAtSeconds" in s:
            walked = "" if s.get("walkedAtSeconds") is None else f"walked by {s['walkedAtSeconds']} s"
            return (f"| {name} (unfinished: exit {s['exit']} at {s['killedAtSeconds']} s, {s['killedAtRssMiB']:,} MiB resident) | {s['wall']:.2f} | "
                    f"{s['user']:.2f} | {s['sys']:.2f} | {s['rssMiB']:.0f} | | {walked} | | | | | {s['fakeCpu']:.2f} | {s['load']} |")
        opt = lambda v: "" if v is None else f"{v:.2f}"  # noqa: E731
        return (f"| {name} | {s['wall']:.2f} | {s['user']:.2f} | {s['sys']:.2f} | {s['rssMiB']:.0f} | {opt(s['startSeconds'])} | "
                f"{s['walkSeconds']:.2f} | {opt(s['checkSeconds'])} | {s['writeSeconds']:.2f} | {s['exitSeconds']:.2f} | "
                f"{s['rowsWritten']:,} | {s['fakeCpu']:.2f} | {s['load']} |")

    for i, (f, s) in enumerate(zip(floors, first), 1):
        lines.append(floor_row(f"{n // 1000}k floor, round {i}", f))
        lines.append(sync_row(f"{n // 1000}k first sync, round {i}", s))
    for i, s in enumerate(unchanged, 1):
        lines.append(sync_row(f"{n // 1000}k unchanged re-sync {i}", s))
    for i, s in enumerate(churned, 1):
        lines.append(sync_row(f"{n // 1000}k 1% re-sync {i}", s))
    if big:
        lines.append(floor_row(f"{size(big['resources'])} floor", big["floor"]))
        lines.append(sync_row(f"{size(big['resources'])} first sync", big["sync"]))
    if r:
        lines += ["", f"`get_resource` over stdio, one call at a time with a {res['gapMs']} ms pause; the syncing server ran "
                  f"{r['seconds']} s, {r['syncs']} sync{'s' if r['syncs'] != 1 else ''} ({'median ' if r['syncs'] > 1 else ''}{r['syncSeconds']} s "
                  f"from start to `synced`, then the 1 s interval), "
                  f"`/_fake/churn 1%` {r['churns']} times, server CPU {r['serverCpu']} s"
                  f"{', the fake Pulse at nice ' + str(res['fakeNice']) if res.get('fakeNice') else ''}:", "",
                  "| calls | n | p50 ms | p99 ms | p99.9 ms | max ms | load |", "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
        for key, name in [("idle", "idle (`serve --store`, before + after)"), ("idleBefore", "idle before"), ("idleAfter", "idle after"),
                          ("duringSync", "while a sync ran"), ("duringWalk", "while a sync walked (before its write)"), ("duringWrite", "while a sync wrote (its write phase)"),
                          ("betweenSyncs", "in the 1 s between syncs"), ("duringSyncAll", "all calls on the syncing server")]:
            p = r.get(key) or {}
            if p:
                lines.append(f"| {name} | {p['calls']:,} | {p['p50']:.3f} | {p['p99']:.3f} | {p['p999']:.3f} | {p['max']:.2f} | {p.get('load', '')} |")
    return "\n".join(lines)


def run_fleet(args: argparse.Namespace, res: dict, work: Path, save) -> None:
    """Steps 1–4 on one prewarmed fake of `--resources`."""
    log(f"fake Pulse, {args.resources} resources, prewarming")
    fake = Fake(args.resources, cache_mb=max(256, args.resources * 4 // 1000), timeout=900, nice=args.fake_nice)
    res["fakeWarmSeconds"] = round(fake.warm_seconds, 1)
    try:
        res["floors"], res["first"], res["writeFloors"] = [], [], []
        for i in range(args.rounds):
            res["floors"].append(floor(fake))
            log(f"floor {i + 1}: {res['floors'][-1]['seconds']} s")
            store = work / f"first-{i}.db"
            res["first"].append(sync(args.bin, fake, store))
            log(f"first sync {i + 1}: {res['first'][-1]}")
            res.setdefault("writeFloors", []).append(write_floor(store, work))
            log(f"write floor {i + 1}: {res['writeFloors'][-1]}")
            save()
        res["unchanged"] = []
        for i in range(args.rounds):
            res["unchanged"].append(sync(args.bin, fake, store))
            log(f"unchanged re-sync {i + 1}: {res['unchanged'][-1]}")
            save()
        res["churn"] = []
        for i in range(args.rounds):
            fake.churn(1)
            res["churn"].append(sync(args.bin, fake, store))
            log(f"1% re-sync {i + 1}: {res['churn'][-1]}")
            save()
        if not args.no_reads:
            res["reads"] = reads(args.bin, fake, store, work, args.read_seconds, args.idle_calls, args.gap_ms / 1000)
            save()
    finally:
        fake.stop()
    for f in work.glob("*.db*"):
        f.unlink()


def run_million(args: argparse.Namespace, res: dict, work: Path, save) -> None:
    """Step 5: the floor and one watched first sync on a prewarmed fake of `--million`."""
    log(f"fake Pulse, {args.million} resources, prewarming (minutes)")
    big = Fake(args.million, cache_mb=max(256, args.million * 4 // 1000), timeout=1800)
    try:
        res["million"] = {"resources": big.resources, "warmSeconds": round(big.warm_seconds, 1), "floor": floor(big)}
        log(f"{args.million} floor: {res['million']['floor']}")
        save()
        res["million"]["sync"] = sync(args.bin, big, work / "million.db", rss_limit_mib=args.rss_limit_mib)
        log(f"{args.million} first sync: {res['million']['sync']}")
        save()
    finally:
        big.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=str(REPO / ".build/release/pulse-assistant"))
    ap.add_argument("--resources", type=int, default=100_000)
    ap.add_argument("--million", type=int, default=1_000_000, help="fleet of the big first sync; 0 skips it")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--read-seconds", type=float, default=90)
    ap.add_argument("--idle-calls", type=int, default=5000, help="get_resource calls per idle phase (two phases)")
    ap.add_argument("--gap-ms", type=float, default=1.0)
    ap.add_argument("--no-reads", action="store_true")
    ap.add_argument("--fake-nice", type=int, default=0,
                    help="run the fake Pulse at this nice value (19: as if it ran on another machine)")
    ap.add_argument("--rss-limit-mib", type=float, default=8192,
                    help="kill the big sync past this resident size, or when the machine has less than 3 GiB available "
                         "(it is shared); its figures are then partial")
    ap.add_argument("--keep", action="store_true", help="keep the temporary stores")
    ap.add_argument("--report-only", action="store_true", help="print the report of bench/out/sync_results.json, run nothing")
    ap.add_argument("--million-only", action="store_true",
                    help="run only the big sync, replacing it in bench/out/sync_results.json from an earlier run, and report both")
    args = ap.parse_args()

    out = BENCH / "out"
    out.mkdir(exist_ok=True)

    def save() -> None:  # after every step: a run cut short keeps what it measured
        (out / "sync_results.json").write_text(json.dumps(res, indent=1) + "\n")

    if args.report_only:
        print(report(json.loads((out / "sync_results.json").read_text())))
        return 0
    res: dict = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
                 "binary": args.bin, "resources": args.resources, "gapMs": args.gap_ms, "fakeNice": args.fake_nice, "loadStart": load()}
    if args.million_only:
        res = {**json.loads((out / "sync_results.json").read_text()), "millionDate": res["date"]}
    work = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    try:
        if not args.million_only:
            run_fleet(args, res, work, save)
        if args.million:
            run_million(args, res, work, save)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    res["loadEnd"] = load()
    save()
    text = report(res)
    (out / "sync_report.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
