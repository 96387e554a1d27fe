"""The store half of the benchmark: generated fleets, ingest, and the read tools on 100k and 1M resources.

For each size N in `--store-sizes` (bench.py):

1. the fleet: `pulse-assistant demo --resources N --out bench/out/fleet-N-<fingerprint>.jsonl`,
   cached; the fingerprint hashes the generator's one-site output, so a changed generator
   makes a new file (older ones of that size are deleted);
2. ingest, each under `/usr/bin/time -f %M` (peak RSS) with wall time around it:
   `pulse-assistant ingest FLEET --store bench/out/pulse-N.db` into a fresh file, and the
   peer's load (`fastmcp_store_peer.py --load-only`) of the same snapshot into its own file;
3. both servers on their stores, answers checked equal (20 `get_resource` ids and both
   searches, page 1 and 2), then in alternating rounds: sequential round trips of
   `get_resource` (random supported ids, fixed seed), the narrow search and the broad search
   (median, p99); the server's VmRSS after the searches; pipelined `get_resource`
   (a writer thread sends every request without waiting, the reader times until the last
   response); VmHWM at the end;
4. the cost of auditing: two pulse-assistant servers on the same store, `--audit all` and
   `--audit control`, in alternating rounds of 50 sequential `get_resource` round trips;
5. the SQLite floor of `get_resource`: `bench/sqlite_floor.c` (built with `cc` when there is
   one) runs the statements of one answer from C on one warm connection, for the timed ids.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NARROW = {"platforms": ["docker"], "limit": 50}
BROAD = {"types": ["vm"], "statuses": ["online"], "sort": "name", "limit": 50}
SEED = 20261129


@dataclass
class StoreTarget:
    name: str
    argv: list[str]
    pipe: Any = None
    samples: dict[str, list[float]] = field(default_factory=lambda: {"get": [], "narrow": [], "broad": []})
    pipelined_calls: int = 0
    pipelined_seconds: float = 0.0
    rss_after_searches_kib: int | None = None
    peak_rss_kib: int | None = None


def proc_status(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def sqlite_floor(out_dir: Path, db: Path, ids: list[str], print_: Any) -> float | None:
    """The median time SQLite alone takes for one `get_resource`'s statements (bench/sqlite_floor.c), or None
    without a C compiler."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        print_("  SQLite floor: skipped (no C compiler)")
        return None
    source = Path(__file__).resolve().parent / "sqlite_floor.c"
    binary = out_dir / "sqlite_floor"
    if not binary.exists() or binary.stat().st_mtime < source.stat().st_mtime:
        subprocess.run([compiler, "-O2", "-o", str(binary), str(source), "-lsqlite3"], check=True)
    ids_file = out_dir / "floor-ids.txt"
    ids_file.write_text("".join(f"{i}\n" for i in ids))
    done = subprocess.run([str(binary), str(db), str(ids_file)], check=True, capture_output=True, text=True)
    median = json.loads(done.stdout)["median_seconds"]
    print_(f"  SQLite floor: {median * 1e3:.3f} ms per get_resource's statements, median of {len(ids)}")
    return median


def timed(argv: list[str]) -> tuple[float, int, str]:
    """Run argv under /usr/bin/time -f %M: (wall seconds, peak RSS KiB, stderr)."""
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    peak = int(done.stderr.strip().splitlines()[-1])
    return elapsed, peak, done.stdout + done.stderr


def fingerprint(pulse_bin: Path) -> str:
    """A hash of the generator's one-site fleet: changes when the generator does."""
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "site.jsonl"
        subprocess.run([str(pulse_bin), "demo", "--scale", "1", "--out", str(out)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return hashlib.sha256(out.read_bytes()).hexdigest()[:12]


def ensure_fleet(pulse_bin: Path, out_dir: Path, size: int, print_: Any) -> tuple[Path, float | None]:
    """The cached snapshot of `size` resources (generated when missing): (path, seconds spent generating or None)."""
    tag = fingerprint(pulse_bin)
    path = out_dir / f"fleet-{size}-{tag}.jsonl"
    for stale in out_dir.glob(f"fleet-{size}-*.jsonl"):
        if stale != path:
            stale.unlink()
    if path.exists():
        print_(f"  fleet {size}: cached {path.name}")
        return path, None
    print_(f"  fleet {size}: generating {path.name} ...")
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    subprocess.run([str(pulse_bin), "demo", "--resources", str(size), "--out", str(partial)], check=True,
                   stdout=subprocess.DEVNULL)
    partial.replace(path)
    return path, time.perf_counter() - started


def readable_platforms(manifest: Path) -> set[str]:
    platforms = json.loads(manifest.read_text(encoding="utf-8"))["platforms"]
    return {p["id"] for p in platforms
            if p["governance"] == "supported" and (p.get("supportFloor") or {}).get("assistantRead") == "supported"}


def sample_ids(peer_db: Path, platforms: set[str], count: int) -> list[str]:
    """`count` random ids of readable resources (fixed seed), read from the peer's store."""
    connection = sqlite3.connect(f"file:{peer_db}?mode=ro", uri=True)
    marks = ",".join("?" * len(platforms))
    ids = [row[0] for row in connection.execute(f"SELECT id FROM resource WHERE platform IN ({marks}) ORDER BY id",
                                                sorted(platforms))]
    connection.close()
    return random.Random(SEED).choices(ids, k=count)


# MARK: - requests


def call_request(rid: int, tool: str, arguments: dict[str, Any]) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": rid, "method": "tools/call",
                       "params": {"name": tool, "arguments": arguments}}, separators=(",", ":")).encode() + b"\n"


def structured(line: bytes, rid: int) -> dict[str, Any]:
    response = json.loads(line)
    result = response.get("result") or {}
    if response.get("id") != rid or result.get("isError") or "structuredContent" not in result:
        raise RuntimeError(f"bad tools/call response to {rid}: {line[:400]!r}")
    return result["structuredContent"]


def sequential(pipe: Any, requests: list[tuple[int, bytes]], check: Any) -> list[float]:
    """Each request written after the previous response was read; every answer checked after the clock."""
    samples: list[float] = []
    lines: list[bytes] = []
    write, read_line, clock = pipe.write, pipe.read_line, time.perf_counter
    for _, data in requests:
        started = clock()
        write(data)
        lines.append(read_line())
        samples.append(clock() - started)
    for (rid, _), line in zip(requests, lines):
        check(structured(line, rid))
    return samples


def pipelined(pipe: Any, requests: list[tuple[int, bytes]]) -> float:
    """Seconds from the first byte written to the last response read, with every request sent without waiting."""
    payload = b"".join(data for _, data in requests)
    writer = threading.Thread(target=pipe.write, args=(payload,))
    started = time.perf_counter()
    writer.start()
    lines = [pipe.read_line() for _ in requests]
    elapsed = time.perf_counter() - started
    writer.join()
    answered = {json.loads(line)["id"]: line for line in lines}
    if set(answered) != {rid for rid, _ in requests}:
        raise RuntimeError("pipelined: not every request was answered exactly once")
    for rid, line in answered.items():
        structured(line, rid)
    return elapsed


def check_rows(arguments: dict[str, Any]) -> Any:
    def check(content: dict[str, Any]) -> None:
        rows = content.get("resources") or []
        if not rows or len(rows) > arguments["limit"]:
            raise RuntimeError(f"search {arguments}: {len(rows)} rows")
        if "platforms" in arguments and {r["platform"] for r in rows} != {"docker"}:
            raise RuntimeError(f"narrow search answered other platforms: {rows[:2]}")
        if "types" in arguments and {(r["type"], r["status"]) for r in rows} != {("vm", "online")}:
            raise RuntimeError(f"broad search answered other rows: {rows[:2]}")
    return check


def check_get(content: dict[str, Any]) -> None:
    if "resource" not in content or "parentChain" not in content:
        raise RuntimeError(f"bad get_resource answer: {str(content)[:300]}")


# MARK: - the run


def same_answers(targets: list[StoreTarget], ids: list[str], print_: Any) -> None:
    """Both servers answer the benchmark's calls identically (cursors aside), or the comparison means nothing."""
    calls = [("get_resource", {"id": rid}) for rid in ids[:20]] + [("search_resources", NARROW),
                                                                    ("search_resources", BROAD)]
    answers: dict[str, list[Any]] = {}
    for target in targets:
        got = []
        for i, (tool, arguments) in enumerate(calls):
            target.pipe.write(call_request(i + 1, tool, arguments))
            content = structured(target.pipe.read_line(), i + 1)
            if tool == "search_resources":  # and the second page, through each server's own cursor
                target.pipe.write(call_request(900 + i, tool, {**arguments, "cursor": content["nextCursor"]}))
                second = structured(target.pipe.read_line(), 900 + i)
                content = {"page1": content["resources"], "page2": second["resources"]}
            got.append(content)
        answers[target.name] = got
    ours, theirs = answers[targets[0].name], answers[targets[1].name]
    for (tool, arguments), a, b in zip(calls, ours, theirs):
        if a != b:
            print_(f"  {targets[0].name}: {json.dumps(a)[:1500]}")
            print_(f"  {targets[1].name}: {json.dumps(b)[:1500]}")
            raise RuntimeError(f"the servers answer {tool} {json.dumps(arguments)} differently")


def run_size(size: int, args: Any, pipe_class: Any, print_: Any) -> dict[str, Any]:
    out_dir: Path = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    pulse_bin: Path = args.pulse_bin
    peer = Path(__file__).resolve().parent / "fastmcp_store_peer.py"
    snapshot, generated = ensure_fleet(pulse_bin, out_dir, size, print_)
    resources = 0
    result: dict[str, Any] = {"size": size, "snapshot": snapshot.name, "snapshot_bytes": snapshot.stat().st_size,
                              "generate_seconds": generated}

    pulse_db, peer_db = out_dir / f"pulse-{size}.db", out_dir / f"peer-{size}.db"
    for stale in (pulse_db, Path(f"{pulse_db}-wal"), Path(f"{pulse_db}-shm"), peer_db):
        stale.unlink(missing_ok=True)
    print_(f"  ingest {size}: pulse-assistant ingest ...")
    seconds, peak, output = timed([str(pulse_bin), "ingest", str(snapshot), "--store", str(pulse_db)])
    for line in output.splitlines():  # "  resources 99924: agent 5131, vm 26395, ..."
        if line.strip().startswith("resources "):
            resources = int(line.split()[1].rstrip(":"))
    result["ingest"] = {"pulse-assistant": {"seconds": seconds, "peak_rss_kib": peak}}
    print_(f"    {seconds:.1f} s, peak {peak / 1024:.0f} MiB, {resources} resources")
    print_(f"  ingest {size}: FastMCP peer load ...")
    seconds, peak, _ = timed([sys.executable, str(peer), "--snapshot", str(snapshot), "--db", str(peer_db),
                              "--load-only"])
    result["ingest"]["FastMCP"] = {"seconds": seconds, "peak_rss_kib": peak}
    print_(f"    {seconds:.1f} s, peak {peak / 1024:.0f} MiB")
    result["resources"] = resources
    result["store_bytes"] = {"pulse-assistant": sum(p.stat().st_size for p in out_dir.glob(f"pulse-{size}.db*")),
                             "FastMCP": peer_db.stat().st_size}

    calls, warmup, piped = args.store_calls, args.store_warmup, args.pipelined
    ids = sample_ids(peer_db, readable_platforms(args.manifest), warmup + calls + piped)
    targets = [
        StoreTarget("pulse-assistant", [str(pulse_bin), "serve", "--store", str(pulse_db)]),
        StoreTarget("FastMCP", [sys.executable, str(peer), "--snapshot", str(snapshot), "--db", str(peer_db)]),
    ]
    for target in targets:
        target.pipe = pipe_class(target.argv)
        target.pipe.write(json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "pulse-bench", "version": "1"}}}).encode() + b"\n")
        if json.loads(target.pipe.read_line()).get("id") != 0:
            raise RuntimeError(f"{target.name}: bad initialize response")
        target.pipe.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    same_answers(targets, ids, print_)

    def alternate(r: int) -> list[StoreTarget]:
        return targets if r % 2 == 0 else targets[::-1]

    next_id = 10_000
    get_ids = iter(ids)
    metrics = [("get", lambda: ("get_resource", {"id": next(get_ids)}), check_get),
               ("narrow", lambda: ("search_resources", NARROW), check_rows(NARROW)),
               ("broad", lambda: ("search_resources", BROAD), check_rows(BROAD))]
    rounds = max(1, min(args.rounds, calls))
    per_round = [calls // rounds + (1 if i < calls % rounds else 0) for i in range(rounds)]
    for metric, make, check in metrics:
        print_(f"  {size}: {metric}: {warmup} warm-up + {calls} timed calls per server in {rounds} rounds ...")
        for target in targets:
            requests = []
            for _ in range(warmup):
                tool, arguments = make()
                requests.append((next_id, call_request(next_id, tool, arguments)))
                next_id += 1
            sequential(target.pipe, requests, check)
        for r, count in enumerate(per_round):
            for target in alternate(r):
                requests = []
                for _ in range(count):
                    tool, arguments = make()
                    requests.append((next_id, call_request(next_id, tool, arguments)))
                    next_id += 1
                target.samples[metric] += sequential(target.pipe, requests, check)
    for target in targets:
        target.rss_after_searches_kib = proc_status(target.pipe.process.pid, "VmRSS")

    print_(f"  {size}: pipelined get_resource: {piped} calls per server in {rounds} rounds ...")
    piped_ids = ids[warmup + calls:]
    per_round = [piped // rounds + (1 if i < piped % rounds else 0) for i in range(rounds)]
    position = 0
    for r, count in enumerate(per_round):
        for target in alternate(r):
            requests = [(next_id + i, call_request(next_id + i, "get_resource", {"id": rid}))
                        for i, rid in enumerate(piped_ids[position:position + count])]
            next_id += count
            target.pipelined_seconds += pipelined(target.pipe, requests)
            target.pipelined_calls += count
        position += count

    result["audit"] = audit_overhead(pulse_bin, pulse_db, ids[:warmup + calls], args, pipe_class, print_)
    result["sqlite_floor_seconds"] = sqlite_floor(out_dir, pulse_db, ids[warmup:warmup + calls], print_)

    for target in targets:
        target.peak_rss_kib = proc_status(target.pipe.process.pid, "VmHWM")
        code = target.pipe.close()
        if code != 0:
            raise RuntimeError(f"{target.name} exited {code} at end of stdin")
        data = target.samples
        result[target.name] = {
            **{f"{m}_median": statistics.median(data[m]) for m in data},
            **{f"{m}_p99": percentile(data[m], 0.99) for m in data},
            "pipelined_per_second": target.pipelined_calls / target.pipelined_seconds,
            "rss_after_searches_kib": target.rss_after_searches_kib,
            "peak_rss_kib": target.peak_rss_kib,
            "samples": {m: len(v) for m, v in data.items()},
        }
    return result


def audit_overhead(pulse_bin: Path, db: Path, ids: list[str], args: Any, pipe_class: Any, print_: Any) -> dict[str, Any]:
    """`get_resource` round trips with every call audited against only control calls audited, alternating."""
    scopes = ["all", "control"]
    pipes = {}
    for scope in scopes:
        pipe = pipe_class([str(pulse_bin), "serve", "--store", str(db), "--audit", scope])
        pipe.write(json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "pulse-bench", "version": "1"}}}).encode() + b"\n")
        if json.loads(pipe.read_line()).get("id") != 0:
            raise RuntimeError(f"--audit {scope}: bad initialize response")
        pipe.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        pipes[scope] = pipe
    warmup, calls = args.store_warmup, args.store_calls
    # Short rounds: the two servers differ by tens of microseconds, and a noisy neighbour's burst of a few
    # seconds would land on one side of a long round; alternating every 50 calls spreads it over both.
    rounds = max(1, min(max(args.rounds, calls // 50), calls))
    print_(f"  audit: get_resource, {warmup} warm-up + {calls} timed calls per scope in {rounds} rounds ...")
    samples: dict[str, list[float]] = {scope: [] for scope in scopes}
    next_id = 900_000
    for scope in scopes:
        sequential(pipes[scope], [(next_id + i, call_request(next_id + i, "get_resource", {"id": rid}))
                                  for i, rid in enumerate(ids[:warmup])], check_get)
        next_id += warmup
    timed_ids = ids[warmup:warmup + calls] or ids
    per_round = [len(timed_ids) // rounds + (1 if i < len(timed_ids) % rounds else 0) for i in range(rounds)]
    position = 0
    round_ratios: list[float] = []
    for r, count in enumerate(per_round):
        round_medians = {}
        for scope in (scopes if r % 2 == 0 else scopes[::-1]):
            requests = [(next_id + i, call_request(next_id + i, "get_resource", {"id": rid}))
                        for i, rid in enumerate(timed_ids[position:position + count])]
            next_id += count
            timed = sequential(pipes[scope], requests, check_get)
            samples[scope] += timed
            round_medians[scope] = statistics.median(timed)
        round_ratios.append(round_medians["all"] / round_medians["control"])
        position += count
    for scope, pipe in pipes.items():
        if pipe.close() != 0:
            raise RuntimeError(f"--audit {scope} exited non-zero at end of stdin")
    medians = {scope: statistics.median(values) for scope, values in samples.items()}
    return {
        "all_median": medians["all"], "control_median": medians["control"],
        "all_p99": percentile(samples["all"], 0.99), "control_p99": percentile(samples["control"], 0.99),
        "overhead": medians["all"] / medians["control"] - 1, "samples": len(samples["all"]),
        # Each round's two medians are taken within a few tens of milliseconds of each other, so a slow
        # stretch of the machine weighs on both: the median of the rounds' ratios is the steadier figure.
        "paired_overhead": statistics.median(round_ratios) - 1, "rounds": rounds,
    }


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def cleanup(out_dir: Path, sizes: list[int]) -> None:
    """Stores are rebuilt every run; drop them afterwards (the fleets stay cached)."""
    for size in sizes:
        for path in [*out_dir.glob(f"pulse-{size}.db*"), out_dir / f"peer-{size}.db"]:
            path.unlink(missing_ok=True)


def environment_note() -> str:
    load = os.getloadavg()
    return f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"


# MARK: - report


def _ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.3f} ms" if value < 10 else f"{value:.1f} ms"


def _size(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def _mib(kib: int | None) -> str:
    return "—" if not kib else f"{kib / 1024:.0f} MiB" if kib >= 100 * 1024 else f"{kib / 1024:.1f} MiB"


def render(store: list[dict[str, Any]]) -> list[str]:
    """The store table: one row per metric, one column group per fleet size."""
    if not store:
        return []
    us, them = "pulse-assistant", "FastMCP"
    header = "| metric |" + "".join(f" {_size(r['size'])}: pulse-assistant | {_size(r['size'])}: FastMCP | ratio |"
                                     for r in store)
    rule = "| --- |" + " ---: | ---: | ---: |" * len(store)

    def time_row(label: str, key: str) -> str:
        cells = "".join(f" {_ms(r[us][key])} | {_ms(r[them][key])} | {r[them][key] / r[us][key]:.0f}× |" for r in store)
        return f"| {label} |{cells}"

    rows = [header, rule]
    rows.append("| resources in the snapshot (`demo --resources N`) |" + "".join(
        f" {r['resources']:,} | the same snapshot | |" for r in store))
    rows.append("| ingest wall time (`pulse-assistant ingest` / peer load) |" + "".join(
        f" {r['ingest'][us]['seconds']:.1f} s | {r['ingest'][them]['seconds']:.1f} s "
        f"| {r['ingest'][them]['seconds'] / r['ingest'][us]['seconds']:.1f}× |" for r in store))
    rows.append("| ingest peak RSS (`/usr/bin/time -f %M`) |" + "".join(
        f" {_mib(r['ingest'][us]['peak_rss_kib'])} | {_mib(r['ingest'][them]['peak_rss_kib'])} "
        f"| {r['ingest'][them]['peak_rss_kib'] / r['ingest'][us]['peak_rss_kib']:.1f}× |" for r in store))
    rows.append("| store file size |" + "".join(
        f" {r['store_bytes'][us] / 2**20:.0f} MiB | {r['store_bytes'][them] / 2**20:.0f} MiB | |" for r in store))
    for label, metric in [("`get_resource` (random id)", "get"), (f"narrow search `{json.dumps(NARROW)}`", "narrow"),
                          (f"broad search `{json.dumps(BROAD)}`", "broad")]:
        rows.append(time_row(f"{label}, median", f"{metric}_median"))
        rows.append(time_row(f"{label}, p99", f"{metric}_p99"))
    rows.append("| SQLite alone: one `get_resource`'s statements from C, median (`bench/sqlite_floor.c`) |" + "".join(
        f" {_ms(r['sqlite_floor_seconds']) if r.get('sqlite_floor_seconds') else 'not measured'} | | |" for r in store))
    rows.append("| pipelined `get_resource` throughput |" + "".join(
        f" {r[us]['pipelined_per_second']:,.0f} calls/s | {r[them]['pipelined_per_second']:,.0f} calls/s "
        f"| {r[us]['pipelined_per_second'] / r[them]['pipelined_per_second']:.0f}× |" for r in store))
    rows.append("| server RSS after the searches (VmRSS) |" + "".join(
        f" {_mib(r[us]['rss_after_searches_kib'])} | {_mib(r[them]['rss_after_searches_kib'])} "
        f"| {(r[them]['rss_after_searches_kib'] or 0) / (r[us]['rss_after_searches_kib'] or 1):.1f}× |" for r in store))
    rows.append("| server peak RSS at the end (VmHWM) |" + "".join(
        f" {_mib(r[us]['peak_rss_kib'])} | {_mib(r[them]['peak_rss_kib'])} "
        f"| {(r[them]['peak_rss_kib'] or 0) / (r[us]['peak_rss_kib'] or 1):.1f}× |" for r in store))
    rows += ["", "The cost of the audit chain (both columns pulse-assistant, same store, alternating rounds of 50 calls):", "",
             "| metric |" + "".join(f" {_size(r['size'])}: `--audit all` | {_size(r['size'])}: `--audit control` | overhead |"
                                    for r in store),
             "| --- |" + " ---: | ---: | ---: |" * len(store)]
    for label, key in [("median", "median"), ("p99", "p99")]:
        rows.append(f"| `get_resource` round trip, {label} |" + "".join(
            f" {_ms(r['audit'][f'all_{key}'])} | {_ms(r['audit'][f'control_{key}'])} "
            f"| {(r['audit'][f'all_{key}'] / r['audit'][f'control_{key}'] - 1) * 100:+.0f}% |" for r in store))
    rows.append("| paired: median over the rounds of each round's median ratio |" + "".join(
        f" | | {r['audit']['paired_overhead'] * 100:+.0f}% ({r['audit']['rounds']} rounds) |" for r in store))
    return rows


def goals(store: list[dict[str, Any]]) -> list[tuple[str, bool | None, str]]:
    """Issue 3's goals: (goal, met or None when not measured, the measured value)."""
    us = "pulse-assistant"
    million = next((r for r in store if r["size"] == 1_000_000), None)
    out: list[tuple[str, bool | None, str]] = []

    def worst(key: str) -> tuple[float, str]:
        value, size = max((r[us][key], _size(r["size"])) for r in store)
        return value, size

    if million:
        seconds, peak = million["ingest"][us]["seconds"], million["ingest"][us]["peak_rss_kib"]
        out.append(("ingest of 1M under 20 s", seconds < 20, f"{seconds:.1f} s"))
        out.append(("ingest of 1M in under 1 GiB", peak < 1024 * 1024, _mib(peak)))
    else:
        out += [("ingest of 1M under 20 s", None, ""), ("ingest of 1M in under 1 GiB", None, "")]
    if store:
        value, size = worst("get_median")
        floors = [f"{_ms(r['sqlite_floor_seconds'])} at {_size(r['size'])}" for r in store if r.get("sqlite_floor_seconds")]
        floor = f"; SQLite alone takes {', '.join(floors)} of it" if floors else ""
        out.append(("`get_resource` under 0.1 ms median (every size)", value < 0.0001, f"worst {_ms(value)} at {size}{floor}"))
        value, size = worst("narrow_median")
        out.append(("narrow search under 0.5 ms median (every size)", value < 0.0005, f"worst {_ms(value)} at {size}"))
    if million:
        p50, p99 = million[us]["broad_median"], million[us]["broad_p99"]
        out.append(("broad search on 1M under 3 ms p50", p50 < 0.003, _ms(p50)))
        out.append(("broad search on 1M under 15 ms p99", p99 < 0.015, _ms(p99)))
    else:
        out += [("broad search on 1M under 3 ms p50", None, ""), ("broad search on 1M under 15 ms p99", None, "")]
    if store:
        rate, size = min((r[us]["pipelined_per_second"], _size(r["size"])) for r in store)
        out.append(("at least 30 000 pipelined calls/s (every size)", rate >= 30_000, f"lowest {rate:,.0f}/s at {size}"))
    if million:
        rss = million[us]["rss_after_searches_kib"] or 0
        out.append(("server RSS under 40 MiB on the 1M store", rss < 40 * 1024, f"VmRSS {_mib(rss)} after the searches"))
    else:
        out.append(("server RSS under 40 MiB on the 1M store", None, ""))
    return out


def audit_goals(store: list[dict[str, Any]]) -> list[tuple[str, bool | None, str]]:
    """Issue 5's goal: auditing every call costs under 25% of a `get_resource` round trip at the median."""
    if not store:
        return [("audit overhead under 25% at the median", None, "")]
    worst, size = max((r["audit"]["paired_overhead"], _size(r["size"])) for r in store)
    pooled = max(r["audit"]["overhead"] for r in store)
    return [("`get_resource` with `--audit all` under 25% slower than `--audit control` at the median (paired rounds)",
             worst < 0.25, f"worst {worst * 100:+.0f}% at {size}; from the pooled medians, worst {pooled * 100:+.0f}%")]
