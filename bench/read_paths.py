#!/usr/bin/env python3
"""Times get_resource and the narrow search against one or more pulse-assistant binaries, alternating.

usage: bench/read_paths.py STORE BIN[=STORE] [BIN[=STORE] ...] [--calls N] [--rounds R] [--warmup W]
                           [--pipelined N]

Every server gets the same requests (same ids, same request ids); answers are compared byte for byte.
A binary given as BIN=STORE serves a store of its own (one ingested from the same snapshot by that
binary, for builds whose schemas differ); the others serve STORE. With --pipelined N, each round also
sends N get_resource calls without waiting (alternating the order) and reports calls per second.
"""
import argparse, json, os, random, sqlite3, statistics, subprocess, sys, time
from pathlib import Path

from bench import Pipe  # the benchmark's own server pipe
from store_bench import call_request as request, pipelined

SEED = 20261129
NARROW = {"platforms": ["docker"], "limit": 50}
MANIFEST = Path(__file__).resolve().parent.parent / "Sources/Policy/Resources/platform-support.json"


def sequential(pipe, requests):
    samples, lines = [], []
    write, read_line, clock = pipe.write, pipe.read_line, time.perf_counter
    for data in requests:
        started = clock()
        write(data)
        lines.append(read_line())
        samples.append(clock() - started)
    return samples, lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("bins", nargs="+")
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--audit", default="control")
    parser.add_argument("--metrics", default="get,narrow")
    parser.add_argument("--pipelined", type=int, default=0)
    args = parser.parse_args()

    platforms = sorted(p["id"] for p in json.loads(MANIFEST.read_text())["platforms"]
                       if p["governance"] == "supported" and (p.get("supportFloor") or {}).get("assistantRead") == "supported")
    db = sqlite3.connect(f"file:{args.store}?mode=ro", uri=True)
    ids = [r[0] for r in db.execute(f"SELECT id FROM resource WHERE platform IN ({','.join('?' * len(platforms))}) ORDER BY id", platforms)]
    db.close()
    ids = random.Random(SEED).choices(ids, k=args.warmup + args.calls)

    pipes = []
    stores = [b.split("=", 1)[1] if "=" in b else args.store for b in args.bins]
    args.bins = [b.split("=", 1)[0] for b in args.bins]
    for binary, store in zip(args.bins, stores):
        pipe = Pipe([binary, "serve", "--store", store, "--audit", args.audit])
        pipe.write(json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "drive", "version": "1"}}}).encode() + b"\n")
        pipe.read_line()
        pipe.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        pipes.append(pipe)

    metrics = {"get": lambda i: ("get_resource", {"id": ids[i]}), "narrow": lambda i: ("search_resources", NARROW)}
    metrics = {m: metrics[m] for m in args.metrics.split(",")}
    samples = {b: {m: [] for m in metrics} for b in range(len(pipes))}
    mismatches = 0
    rid = 1000
    for metric, make in metrics.items():
        # warm-up
        reqs = [request(rid + i, *make(i)) for i in range(args.warmup)]
        rid += args.warmup
        for pipe in pipes:
            sequential(pipe, reqs)
        per = args.calls // args.rounds
        for r in range(args.rounds):
            reqs = [request(rid + i, *make(args.warmup + r * per + i)) for i in range(per)]
            rid += per
            order = list(range(len(pipes)))
            if r % 2:
                order.reverse()
            answers = {}
            for b in order:
                s, lines = sequential(pipes[b], reqs)
                samples[b][metric] += s
                answers[b] = lines
            for b in range(1, len(pipes)):
                for x, y in zip(answers[0], answers[b]):
                    if x != y:
                        mismatches += 1
                        if mismatches < 3:
                            print("MISMATCH", x[:300], y[:300], sep="\n  ")
            for line in answers[0]:
                if b'"isError":true' in line or b'"error"' in line[:40]:
                    raise SystemExit(f"error answer: {line[:300]!r}")
    throughput = {b: [] for b in range(len(pipes))}
    for r in range(args.rounds if args.pipelined else 0):
        reqs = [(rid + i, request(rid + i, "get_resource", {"id": ids[i % len(ids)]})) for i in range(args.pipelined)]
        rid += args.pipelined
        order = list(range(len(pipes)))
        if r % 2:
            order.reverse()
        for b in order:
            throughput[b].append(args.pipelined / pipelined(pipes[b], reqs))
    for pipe in pipes:
        pipe.process.stdin.close()
        pipe.process.wait()
    base = None
    for b, binary in enumerate(args.bins):
        line = []
        for metric in metrics:
            data = sorted(samples[b][metric])
            med = statistics.median(data)
            p99 = data[int(0.99 * (len(data) - 1))]
            line.append(f"{metric} median {med * 1e3:.4f} ms p99 {p99 * 1e3:.4f} ms")
            if b == 0:
                base = base or {}
                base[metric] = med
            else:
                line[-1] += f" (x{base[metric] / med:.2f} vs first)"
        if throughput[b]:
            rate = statistics.median(throughput[b])
            line.append(f"pipelined get_resource median {rate:.0f} calls/s"
                        + ("" if b == 0 else f" (x{rate / statistics.median(throughput[0]):.2f} vs first)"))
        print(f"{binary}: " + "; ".join(line))
    print(f"byte mismatches: {mismatches}")


main()
