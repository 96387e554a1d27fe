"""completion/complete on a 1M-resource store: p50 and p99 of one round trip, against ping on the
same process (the protocol's floor), for prefixes of ids and names of several lengths.

    python3 bench/completion_bench.py [--resources 1000000] [--count 2000]

Builds (or reuses, cached in bench/out/) the generated fleet and its store with the release binary,
serves it, and times `completion/complete` requests one at a time: the `pulse://resource/{id}`
template and the `investigate_resource` prompt's `resourceId`, with prefixes of 1 to 12 characters
taken from real ids and names. Goal (issue 14): p50 under 2 ms at 1M resources.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import Pipe, machine, percentile  # noqa: E402
from store_bench import ensure_fleet  # noqa: E402


def request(rid: int, method: str, params: dict) -> bytes:
    return (json.dumps({"jsonrpc": "2.0", "id": rid, "method": method, "params": params}) + "\n").encode()


def timed(pipe: Pipe, lines: list[bytes]) -> list[float]:
    samples = []
    for line in lines:
        started = time.perf_counter()
        pipe.write(line)
        answer = json.loads(pipe.read_line())
        samples.append(time.perf_counter() - started)
        assert "result" in answer, answer
    return samples


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resources", type=int, default=1_000_000)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--bin", default=str(HERE.parent / ".build" / "release" / "pulse-assistant"))
    args = parser.parse_args()
    pulse_bin = Path(args.bin)
    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)
    snapshot, _ = ensure_fleet(pulse_bin, out_dir, args.resources, print)
    store = out_dir / f"completion-{args.resources}.db"
    if not store.exists():
        print(f"ingesting {snapshot.name} ...", flush=True)
        subprocess.run([str(pulse_bin), "ingest", str(snapshot), "--store", str(store)], check=True, stdout=subprocess.DEVNULL)
    connection = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    rows = connection.execute("SELECT id, name FROM resource ORDER BY random() LIMIT 500").fetchall()
    connection.close()
    rng = random.Random(7)
    prefixes = []
    for _ in range(args.count):
        word = rng.choice(rows)[rng.randrange(2)]
        prefixes.append(word[: rng.randint(1, min(12, len(word)))])
    pipe = Pipe([str(pulse_bin), "serve", "--store", str(store)])
    pipe.write(request(1, "initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                         "clientInfo": {"name": "bench", "version": "1"}}))
    pipe.read_line()
    pipe.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    warm = [request(10 + i, "completion/complete", {"ref": {"type": "ref/resource", "uri": "pulse://resource/{id}"},
                                                    "argument": {"name": "id", "value": p}}) for i, p in enumerate(prefixes[:200])]
    timed(pipe, warm)
    template = [request(10_000 + i, "completion/complete", {"ref": {"type": "ref/resource", "uri": "pulse://resource/{id}"},
                                                            "argument": {"name": "id", "value": p}}) for i, p in enumerate(prefixes)]
    prompt = [request(20_000 + i, "completion/complete", {"ref": {"type": "ref/prompt", "name": "investigate_resource"},
                                                          "argument": {"name": "resourceId", "value": p}}) for i, p in enumerate(prefixes)]
    pings = [request(30_000 + i, "ping", {}) for i in range(args.count)]
    results = {"template": timed(pipe, template), "prompt": timed(pipe, prompt), "ping": timed(pipe, pings)}
    rss = pipe.peak_rss_kib()
    pipe.close()
    info = machine()
    print(f"\n{time.strftime('%Y-%m-%d')}, {info.get('cpu', '?')}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          f"{args.resources} resources, {args.count} requests each, release build, peak RSS {rss and rss // 1024} MiB\n")
    print("| request | p50 | p99 | p50 − ping p50 | goal |")
    print("| --- | --: | --: | --: | --- |")
    ping50 = percentile(results["ping"], 0.5)
    for name, samples in results.items():
        p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
        goal = "" if name == "ping" else ("p50 < 2 ms ✓" if p50 < 0.002 else "p50 < 2 ms ✗")
        print(f"| {name} | {p50 * 1000:.2f} ms | {p99 * 1000:.2f} ms | {(p50 - ping50) * 1000:.2f} ms | {goal} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
