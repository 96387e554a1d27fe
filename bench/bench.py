"""Benchmark pulse-assistant against a minimal FastMCP server, over pipes, in one run.

    bench/run [--quick] [--spawns N] [--calls N] [--warmup N] [--rounds N]
              [--store-sizes N,N] [--store-calls N] [--store-warmup N] [--pipelined N]

Both servers are spawned the way an MCP host spawns them and driven by a raw
JSON-RPC driver (os.write / os.read on the pipes with a line buffer; no SDK
client, so client overhead does not swamp the measurement). Measured, with the
two servers alternating round by round so machine noise hits both alike:

- cold start: spawn → `initialize` written → its response read (median of N spawns);
- sequential round trip of `ping` and of
  `tools/call get_platform_support {"platform":"pve"}` (median, p99) over N calls
  after a warm-up; only write → complete response line is timed, every response
  is checked after the clock stops;
- peak resident memory of each long-lived server (VmHWM) after the run;
- the store half (`store_bench.py`), for each of `--store-sizes` (default 100000 and
  1000000; `--quick` 20000): fleet generation (cached in bench/out/), ingest wall time
  and peak RSS, `get_resource` / narrow search / broad search round trips, pipelined
  `get_resource` throughput and server RSS, against `fastmcp_store_peer.py` on the same
  snapshot.

Writes a Markdown report to bench/REPORT.md (and raw samples' summary to
bench/out/results.json) and prints it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import store_bench

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
TOOL = "get_platform_support"
PROTOCOL_VERSION = "2025-11-25"

INITIALIZE = {
    "jsonrpc": "2.0", "id": 0, "method": "initialize",
    "params": {"protocolVersion": PROTOCOL_VERSION, "capabilities": {},
               "clientInfo": {"name": "pulse-bench", "version": "1"}},
}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


class Pipe:
    """One server process and a blocking line reader over its stdout."""

    def __init__(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, bufsize=0)
        assert self.process.stdin and self.process.stdout
        self.stdin = self.process.stdin.fileno()
        self.stdout = self.process.stdout.fileno()
        self.buffer = b""

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
                raise RuntimeError(f"server exited ({self.process.poll()}) mid-benchmark")
            self.buffer += chunk

    def peak_rss_kib(self) -> int | None:
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return None

    def close(self) -> int:
        assert self.process.stdin
        self.process.stdin.close()
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
        finally:
            if self.process.stdout:
                self.process.stdout.close()


@dataclass
class Target:
    name: str
    argv: list[str]
    pipe: Pipe | None = None

    def start_session(self) -> Pipe:
        pipe = Pipe(self.argv)
        pipe.write(encode(INITIALIZE))
        response = json.loads(pipe.read_line())
        if response.get("id") != 0 or "result" not in response:
            raise RuntimeError(f"{self.name}: bad initialize response {response}")
        pipe.write(encode(INITIALIZED))
        self.pipe = pipe
        return pipe


# MARK: - measurements


def cold_start(target: Target) -> float:
    """Seconds from spawn to the initialize response."""
    started = time.perf_counter()
    pipe = Pipe(target.argv)
    pipe.write(encode(INITIALIZE))
    line = pipe.read_line()
    elapsed = time.perf_counter() - started
    response = json.loads(line)
    if response.get("id") != 0 or "result" not in response:
        raise RuntimeError(f"{target.name}: bad initialize response {line[:200]!r}")
    if pipe.close() != 0:
        raise RuntimeError(f"{target.name}: exited non-zero after a cold start")
    return elapsed


def round_trips(pipe: Pipe, request: dict[str, Any], count: int, first_id: int,
                check: Any) -> list[float]:
    """Send `count` requests one after another; return each round trip in seconds."""
    samples: list[float] = []
    write, read_line, clock = pipe.write, pipe.read_line, time.perf_counter
    lines: list[bytes] = []
    for i in range(count):
        data = encode({**request, "id": first_id + i})
        started = clock()
        write(data)
        line = read_line()
        samples.append(clock() - started)
        lines.append(line)
    for i, line in enumerate(lines):  # after the clock: every answer must be right
        response = json.loads(line)
        if response.get("id") != first_id + i:
            raise RuntimeError(f"out-of-sequence response {line[:200]!r}")
        check(response)
    return samples


def check_ping(response: dict[str, Any]) -> None:
    if response.get("result") != {}:
        raise RuntimeError(f"bad ping response {response}")


def check_call(response: dict[str, Any]) -> None:
    result = response.get("result") or {}
    rows = (result.get("structuredContent") or {}).get("platforms") or []
    if result.get("isError") or [row.get("id") for row in rows] != ["proxmox-pve"]:
        raise RuntimeError(f"bad tools/call response {str(response)[:300]}")


def process_start(argv: list[str]) -> float:
    """Seconds to spawn `argv` and see it exit: the floor under any cold start."""
    started = time.perf_counter()
    subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def echo_floor(count: int) -> list[float]:
    """Round trips through `cat`: what the driver and two pipes cost with no server work at all."""
    pipe = Pipe(["cat"])
    request = encode({"jsonrpc": "2.0", "id": 1, "method": "ping"})
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        pipe.write(request)
        pipe.read_line()
        samples.append(time.perf_counter() - started)
    pipe.close()
    return samples


PING = {"jsonrpc": "2.0", "method": "ping"}
CALL = {"jsonrpc": "2.0", "method": "tools/call", "params": {"name": TOOL, "arguments": {"platform": "pve"}}}


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# MARK: - report


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    uname = os.uname()
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    memory = "?"
    try:
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 2**20:.0f} GiB"
    except (OSError, IndexError, ValueError):
        pass
    return {
        "memory": memory,
        "uname": f"{uname.sysname} {uname.release} {uname.machine}",
        "cpu": model,
        "cores": f"{cores}" + (f" ({usable} usable)" if usable != cores else ""),
    }


def command_version(argv: list[str]) -> str:
    try:
        output = subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip()
        return output.splitlines()[0] if output else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.3f} ms" if value < 10 else f"{value:.1f} ms"


def ratio(ours: float, theirs: float) -> str:
    return f"{theirs / ours:.0f}×" if ours > 0 else "—"


def render(results: dict[str, Any], args: argparse.Namespace, info: dict[str, str], versions: dict[str, str]) -> str:
    us, them = results["pulse-assistant"], results["FastMCP"]
    rows = [
        ("cold start → `initialize` response, median", "cold_start_median"),
        ("`ping` round trip, median", "ping_median"),
        ("`ping` round trip, p99", "ping_p99"),
        ('`tools/call get_platform_support {"platform":"pve"}`, median', "call_median"),
        ('`tools/call get_platform_support {"platform":"pve"}`, p99', "call_p99"),
    ]
    store = results.get("store") or []
    lines = [
        "# pulse-assistant vs FastMCP: stdio benchmark",
        "",
        f"- date: {results['date']}",
        f"- machine: `{info['uname']}`, {info['cpu']}, {info['cores']} cores, {info.get('memory', '?')} RAM; "
        f"load average (1/5/15 min) {results['load_at_start']} at the start, {results.get('load_at_end', '?')} "
        "at the end (the machine is shared: other people's builds run on it)",
        f"- pulse-assistant: {versions['pulse-assistant']} (release build, `--static-swift-stdlib`), "
        f"Swift: {versions['swift']}; SQLite: system libsqlite3 {versions.get('libsqlite3', '?')} (pulse-assistant, "
        f"through GRDB), {versions.get('sqlite', '?')} (Python's `sqlite3`)",
        f"- FastMCP: official Python MCP SDK `mcp` {versions['mcp']} (`MCPServer`), "
        f"Python {versions['python']}, `bench/fastmcp_peer.py` and `bench/fastmcp_store_peer.py`",
        f"- method: raw JSON-RPC over pipes (`bench/bench.py`, no SDK client), protocol {PROTOCOL_VERSION}; "
        f"{args.spawns} cold starts per server; {args.calls} sequential calls per metric per server "
        f"after {args.warmup} warm-up calls; servers alternate over {args.rounds} rounds",
    ]
    if store:
        lines.append(
            f"- store method (`bench/store_bench.py`): fleets from `pulse-assistant demo --resources N` (JSON Lines, "
            "cached in bench/out/); each server ingests the same snapshot into its own fresh SQLite file (wall time, "
            "peak RSS by `/usr/bin/time -f %M`); both servers then run on their stores, their answers to 20 "
            "`get_resource` ids and to both searches (pages 1 and 2) are checked equal, and they alternate over "
            f"{args.rounds} rounds: {args.store_calls} sequential calls per metric per server after "
            f"{args.store_warmup} warm-up calls (`get_resource` on random readable ids, seed {store_bench.SEED}), "
            f"VmRSS read after the searches, then {args.pipelined} pipelined `get_resource` calls per server (a "
            "writer thread sends them all without waiting; timed from the first write to the last response)")
    lines += [
        f"- command: `{results['command']}` ({results.get('duration_seconds', 0) / 60:.1f} min)",
        "",
        "## Protocol and the support matrix (embedded demo fleet)",
        "",
        "| metric | pulse-assistant | FastMCP | ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, key in rows:
        lines.append(f"| {label} | {ms(us[key])} | {ms(them[key])} | {ratio(us[key], them[key])} |")
    if us.get("peak_rss_kib") and them.get("peak_rss_kib"):
        lines.append(f"| peak resident memory (VmHWM) after the run | {us['peak_rss_kib'] / 1024:.1f} MiB "
                     f"| {them['peak_rss_kib'] / 1024:.1f} MiB | {them['peak_rss_kib'] / us['peak_rss_kib']:.1f}× |")
    goals = [
        ("`ping` median well under 0.1 ms", us["ping_median"] < 0.0001),
        ("cold start under 20 ms", us["cold_start_median"] < 0.020),
        ("≥ 20× FastMCP on `ping` median", them["ping_median"] / us["ping_median"] >= 20),
        ("≥ 20× FastMCP on cold start", them["cold_start_median"] / us["cold_start_median"] >= 20),
    ]
    lines += [
        "",
        "Ratio: FastMCP time ÷ pulse-assistant time (higher is better for pulse-assistant).",
        "",
        "Floors, for reading the numbers: starting `pulse-assistant --version` and seeing it exit takes "
        f"{ms(results['floor_process_start'])} (median; loading the binary and its shared libraries), and a round "
        f"trip through `cat` (the same driver and pipes, no server work) takes {ms(results['floor_echo_round_trip'])}.",
    ]
    if store:
        lines += [
            "",
            "## The store: generated fleets, ingest and the read tools",
            "",
            *store_bench.render(store),
            "",
            "Ratios: FastMCP ÷ pulse-assistant for times and memory, pulse-assistant ÷ FastMCP for throughput "
            "(higher is better for pulse-assistant).",
        ]
    lines += ["", "## Goals", "", "Issue 2 (protocol):", ""]
    lines += [f"- {'✓' if met else '✗'} {goal}" for goal, met in goals]
    if store:
        lines += ["", "Issue 3 (store and read tools):", ""]
        for goal, met, value in store_bench.goals(store):
            mark = "–" if met is None else "✓" if met else "✗"
            lines.append(f"- {mark} {goal}" + (f": {value}" if value else ": not measured (1M not in --store-sizes)"))
        lines += ["", "Issue 5 (audit):", ""]
        for goal, met, value in store_bench.audit_goals(store):
            lines.append(f"- {'–' if met is None else '✓' if met else '✗'} {goal}: {value}")
    return "\n".join(lines) + "\n"


# MARK: - main


def command_line() -> str:
    """The bench/run command as typed (bench/run adds --pulse-bin)."""
    argv, shown, skip = sys.argv[1:], [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--pulse-bin":
            skip = True
        elif not arg.startswith("--pulse-bin="):
            shown.append(arg)
    return " ".join(["bench/run", *shown])


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="pulse-assistant vs FastMCP over stdio pipes.")
    parser.add_argument("--pulse-bin", type=Path, default=REPO_ROOT / ".build/release/pulse-assistant")
    parser.add_argument("--spawns", type=int, default=30, help="cold starts per server (default 30)")
    parser.add_argument("--calls", type=int, default=5000, help="timed calls per metric per server (default 5000)")
    parser.add_argument("--warmup", type=int, default=500, help="untimed calls first (default 500)")
    parser.add_argument("--rounds", type=int, default=5, help="alternation rounds (default 5)")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: 6 spawns, 500 calls, 2 rounds")
    parser.add_argument("--store-sizes", default=None,
                        help="fleet sizes for the store benchmark, comma-separated, or 'none' "
                             "(default 100000,1000000; --quick: 20000)")
    parser.add_argument("--store-calls", type=int, default=None,
                        help="timed sequential calls per store metric per server (default 2000; --quick 300)")
    parser.add_argument("--store-warmup", type=int, default=None, help="untimed calls first (default 200; --quick 50)")
    parser.add_argument("--pipelined", type=int, default=None,
                        help="pipelined get_resource calls per server (default 20000; --quick 2000)")
    parser.add_argument("--manifest", type=Path, default=REPO_ROOT / "Sources/Policy/Resources/platform-support.json")
    parser.add_argument("--out-dir", type=Path, default=BENCH_DIR / "out", help="fleets (cached) and stores")
    parser.add_argument("--report", type=Path, default=BENCH_DIR / "REPORT.md")
    parser.add_argument("--json", type=Path, default=BENCH_DIR / "out" / "results.json")
    args = parser.parse_args()
    if args.quick:
        args.spawns, args.calls, args.warmup, args.rounds = 6, 500, 100, 2
    quick = args.quick
    if args.store_sizes is None:
        args.store_sizes = "20000" if quick else "100000,1000000"
    args.store_sizes = [] if args.store_sizes == "none" else [int(n) for n in args.store_sizes.split(",") if n]
    args.store_calls = args.store_calls if args.store_calls is not None else (300 if quick else 2000)
    args.store_warmup = args.store_warmup if args.store_warmup is not None else (50 if quick else 200)
    args.pipelined = args.pipelined if args.pipelined is not None else (2000 if quick else 20000)
    args.rounds = max(1, min(args.rounds, args.calls, args.spawns))
    return args


def main() -> int:
    args = parse_args()
    if not args.pulse_bin.is_file():
        print(f"bench.py: no server binary at {args.pulse_bin}", file=sys.stderr)
        return 1
    load_at_start = store_bench.environment_note()
    started = time.monotonic()
    targets = [
        Target("pulse-assistant", [str(args.pulse_bin), "serve"]),
        Target("FastMCP", [sys.executable, str(BENCH_DIR / "fastmcp_peer.py")]),
    ]
    samples: dict[str, dict[str, list[float]]] = {t.name: {"cold": [], "ping": [], "call": []} for t in targets}

    def alternate(round_index: int) -> list[Target]:
        return targets if round_index % 2 == 0 else targets[::-1]

    # Same answer from both, or the comparison means nothing.
    rows = {}
    for target in targets:
        pipe = target.start_session()
        pipe.write(encode({**CALL, "id": 1}))
        rows[target.name] = json.loads(pipe.read_line())["result"]["structuredContent"]
    if rows["pulse-assistant"] != rows["FastMCP"]:
        print("bench.py: the two servers answer {\"platform\":\"pve\"} differently", file=sys.stderr)
        return 1

    print(f"cold start: {args.spawns} spawns per server ...", file=sys.stderr)
    for r in range(args.spawns):
        for target in alternate(r):
            samples[target.name]["cold"].append(cold_start(target))

    print("floors: process start and pipe echo ...", file=sys.stderr)
    floor_start = statistics.median(process_start([str(args.pulse_bin), "--version"]) for _ in range(args.spawns))
    floor_echo = statistics.median(echo_floor(args.calls))

    next_id = 10
    for metric, request, check in [("ping", PING, check_ping), ("call", CALL, check_call)]:
        print(f"{metric}: {args.warmup} warm-up + {args.calls} timed calls per server "
              f"in {args.rounds} rounds ...", file=sys.stderr)
        for target in targets:
            assert target.pipe
            round_trips(target.pipe, request, args.warmup, next_id, check)
            next_id += args.warmup
        per_round = [args.calls // args.rounds + (1 if i < args.calls % args.rounds else 0)
                     for i in range(args.rounds)]
        for r, count in enumerate(per_round):
            for target in alternate(r):
                assert target.pipe
                samples[target.name][metric] += round_trips(target.pipe, request, count, next_id, check)
                next_id += count

    results: dict[str, Any] = {
        "floor_process_start": floor_start,
        "floor_echo_round_trip": floor_echo,
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command_line(),
        "load_at_start": load_at_start,
    }
    for target in targets:
        assert target.pipe
        data = samples[target.name]
        results[target.name] = {
            "cold_start_median": statistics.median(data["cold"]),
            "ping_median": statistics.median(data["ping"]),
            "ping_p99": percentile(data["ping"], 0.99),
            "call_median": statistics.median(data["call"]),
            "call_p99": percentile(data["call"], 0.99),
            "peak_rss_kib": target.pipe.peak_rss_kib(),
            "samples": {k: len(v) for k, v in data.items()},
        }
        exit_code = target.pipe.close()
        if exit_code != 0:
            print(f"bench.py: {target.name} exited {exit_code} at end of stdin", file=sys.stderr)
            return 1

    results["store"] = []
    for size in args.store_sizes:
        print(f"store benchmark, {size} resources:", file=sys.stderr)
        try:
            results["store"].append(store_bench.run_size(size, args, Pipe, lambda text: print(text, file=sys.stderr)))
        except RuntimeError as error:
            print(f"bench.py: store benchmark at {size}: {error}", file=sys.stderr)
            return 1
        finally:
            store_bench.cleanup(args.out_dir, [size])
    results["load_at_end"] = store_bench.environment_note()
    results["duration_seconds"] = time.monotonic() - started

    versions = {
        "pulse-assistant": command_version([str(args.pulse_bin), "--version"]),
        "swift": command_version(["swift", "--version"]),
        "mcp": importlib.metadata.version("mcp"),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "libsqlite3": command_version(["dpkg-query", "-W", "-f", "${Version}", "libsqlite3-0"]),
    }
    info = machine()
    report = render(results, args, info, versions)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report, encoding="utf-8")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": info, "versions": versions, **results}, indent=2) + "\n")
    print(report)
    print(f"written to {args.report.relative_to(REPO_ROOT) if args.report.is_relative_to(REPO_ROOT) else args.report}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
