#!/usr/bin/env python3
"""Two builds of `pulse-assistant sync` against one fake Pulse, in one run: the first sync, an
unchanged re-sync and a 1% re-sync of each, next to the fetch floor walked in the same run.

    python3 bench/sync_compare.py BEFORE_BIN AFTER_BIN [--resources 100000] [--rounds 2]
                                  [--million 0] [--rss-limit-mib 8192]

Each round: the floor (`bench/pulse_fetch_floor.py`'s walk); a first sync of each binary into a
new store of its own; an unchanged re-sync of each; `POST /_fake/churn {"percent": 1}` once, then a
re-sync of each (both see the same churn). The binaries take turns going first. With `--million N`,
one watched first sync of each on a prewarmed fake of N resources, after its floor. Figures come
from `sync_bench.sync` (wall, the child's user+sys CPU and peak RSS from `os.wait4`, its JSON
report). Prints a Markdown table and writes the raw figures to bench/out/sync_compare.json.
Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from sync_bench import Fake, floor, load, log, machine, sync  # noqa: E402


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3) if values else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--resources", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--million", type=int, default=0, help="fleet of one watched first sync of each binary; 0 skips it")
    ap.add_argument("--rss-limit-mib", type=float, default=8192)
    args = ap.parse_args()
    bins = {"before": args.before, "after": args.after}
    res: dict = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
                 "binaries": bins, "resources": args.resources, "loadStart": load(), "runs": []}
    out = BENCH / "out"
    out.mkdir(exist_ok=True)

    def save() -> None:
        (out / "sync_compare.json").write_text(json.dumps(res, indent=1) + "\n")

    work = Path(tempfile.mkdtemp(prefix="sync-compare-"))
    try:
        log(f"fake Pulse, {args.resources} resources, prewarming")
        fake = Fake(args.resources, cache_mb=max(256, args.resources * 4 // 1000), timeout=900)
        try:
            for round_ in range(1, args.rounds + 1):
                order = list(bins) if round_ % 2 else list(reversed(bins))
                res["runs"].append({"round": round_, "step": "floor", "build": "", **floor(fake)})
                stores = {name: work / f"{name}-{round_}.db" for name in bins}
                for step in ("first", "unchanged", "churn"):
                    if step == "churn":
                        fake.churn(1)
                    for name in order:
                        run = sync(bins[name], fake, stores[name])
                        res["runs"].append({"round": round_, "step": step, "build": name, **run})
                        log(f"round {round_} {step} {name}: wall {run['wall']} cpu {run['cpu']} rss {run['rssMiB']} "
                            f"written {run['rowsWritten']}")
                        save()
        finally:
            fake.stop()
        if args.million:
            log(f"fake Pulse, {args.million} resources, prewarming (minutes)")
            big = Fake(args.million, cache_mb=max(256, args.million * 4 // 1000), timeout=1800)
            try:
                res["runs"].append({"round": 1, "step": "million floor", "build": "", **floor(big)})
                for name in bins:
                    run = sync(bins[name], big, work / f"{name}-million.db", rss_limit_mib=args.rss_limit_mib)
                    res["runs"].append({"round": 1, "step": "million first", "build": name, **run})
                    log(f"million {name}: {run}")
                    save()
            finally:
                big.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    res["loadEnd"] = load()
    save()
    print(report(res))
    return 0


def report(res: dict) -> str:
    floors = [r["seconds"] for r in res["runs"] if r["step"] == "floor"]
    lines = [f"{res['date']}, {res['resources']} resources, load {res['loadStart']} → {res['loadEnd']}; "
             f"floor median {median(floors)} s ({', '.join(str(round(f, 3)) for f in floors)})", "",
             "| step | build | wall (median) | CPU (median) | peak RSS MiB | rows written | wall ÷ floor |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for step in ("first", "unchanged", "churn", "million first"):
        for build in ("before", "after"):
            runs = [r for r in res["runs"] if r["step"] == step and r["build"] == build]
            if not runs:
                continue
            walls, cpus = [r["wall"] for r in runs], [r["cpu"] for r in runs]
            ref = [r["seconds"] for r in res["runs"] if r["step"] == ("million floor" if step == "million first" else "floor")]
            written = ", ".join(str(r.get("rowsWritten", "unfinished")) for r in runs)
            lines.append(f"| {step} | {build} | {median(walls)} s ({', '.join(str(w) for w in walls)}) | "
                         f"{median(cpus)} s ({', '.join(str(c) for c in cpus)}) | {max(r['rssMiB'] for r in runs)} | "
                         f"{written} | {median(walls) / median(ref):.2f}× |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
