"""The cost of MCP 2026-07-28 against the legacy era, on one binary, in one run (issue 15).

    python3 bench/modern_bench.py [--bin PATH] [--calls N] [--rounds N] [--spawns N]

- Round trips of `tools/call get_resource {"id": "vm/pve-a/101"}` and `get_platform_support
  {"platform": "pve"}` on ONE server process that serves both eras at once: a legacy session
  (after `initialize`) and stateless 2026-07-28 requests (each with its `_meta`), alternating round
  by round, so machine noise hits both alike. Only write → complete response line is timed.
- Cold start: spawn → `server/discover` answered, against spawn → `initialize` answered,
  alternating spawn by spawn (median).

Standard library only; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import statistics
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
META = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": {"name": "bench", "version": "1"},
}
INIT = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}
CALLS = {
    "get_resource": {"id": "vm/pve-a/101"},
    "get_platform_support": {"platform": "pve"},
}


class Server:
    def __init__(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        self.out = self.process.stdout.fileno()
        self.buffer = b""
        self.next = 0

    def line(self) -> bytes:
        while b"\n" not in self.buffer:
            select.select([self.out], [], [], 30)
            chunk = os.read(self.out, 1 << 16)
            if not chunk:
                raise EOFError("server closed stdout")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line

    def request(self, method: str, params: dict) -> tuple[float, dict]:
        self.next += 1
        data = json.dumps({"jsonrpc": "2.0", "id": self.next, "method": method, "params": params}, separators=(",", ":")).encode() + b"\n"
        started = time.perf_counter()
        os.write(self.process.stdin.fileno(), data)
        while True:
            raw = self.line()
            if b'"id":%d,' % self.next in raw or raw.endswith(b'"id":%d}' % self.next):
                elapsed = time.perf_counter() - started
                message = json.loads(raw)
                if message.get("id") == self.next:
                    return elapsed, message

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def call_params(tool: str, modern: bool) -> dict:
    params = {"name": tool, "arguments": CALLS[tool]}
    return {**params, "_meta": META} if modern else params


def round_trips(argv: list[str], calls: int, rounds: int) -> dict[str, dict[str, list[float]]]:
    server = Server(argv)
    server.request("initialize", INIT)
    os.write(server.process.stdin.fileno(), b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    samples = {tool: {"legacy": [], "2026-07-28": []} for tool in CALLS}
    for tool in CALLS:  # warm-up (the demo fleet is built on first use)
        for modern in (False, True):
            for _ in range(50):
                server.request("tools/call", call_params(tool, modern))
    per_round = max(1, calls // rounds)
    for index in range(rounds):
        order = [False, True] if index % 2 == 0 else [True, False]
        for tool in CALLS:
            for modern in order:
                for _ in range(per_round):
                    elapsed, message = server.request("tools/call", call_params(tool, modern))
                    result = message["result"]
                    assert not result.get("isError"), result
                    assert ("resultType" in result) == modern, result
                    samples[tool]["2026-07-28" if modern else "legacy"].append(elapsed)
    server.close()
    return samples


def cold_starts(argv: list[str], spawns: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"initialize": [], "server/discover": []}
    for index in range(spawns * 2):
        method = "initialize" if index % 2 == 0 else "server/discover"
        started = time.perf_counter()
        server = Server(argv)
        _, message = server.request(method, INIT if method == "initialize" else {"_meta": META})
        times[method].append(time.perf_counter() - started)
        assert "result" in message, message
        server.close()
    return times


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.3f}"


def p99(values: list[float]) -> str:
    return f"{sorted(values)[int(len(values) * 0.99) - 1] * 1000:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.environ.get("PULSE_ASSISTANT_BIN", str(REPO / ".build" / "release" / "pulse-assistant")))
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--spawns", type=int, default=15)
    args = parser.parse_args()
    argv = [args.bin, "serve", "--clock", "2026-11-28T10:00:00Z"]
    samples = round_trips(argv, args.calls, args.rounds)
    print(f"binary: {args.bin}; {args.calls} calls per tool and era, {args.rounds} alternating rounds\n")
    print("| call | legacy median (p99) ms | 2026-07-28 median (p99) ms | modern / legacy |")
    print("| --- | --- | --- | --- |")
    for tool, eras in samples.items():
        ratio = statistics.median(eras["2026-07-28"]) / statistics.median(eras["legacy"])
        print(f"| {tool} | {ms(eras['legacy'])} ({p99(eras['legacy'])}) | {ms(eras['2026-07-28'])} ({p99(eras['2026-07-28'])}) | {ratio:.3f} |")
    starts = cold_starts(argv, args.spawns)
    print(f"\ncold start (median of {args.spawns} each, alternating): initialize {ms(starts['initialize'])} ms, "
          f"server/discover {ms(starts['server/discover'])} ms")


if __name__ == "__main__":
    main()
