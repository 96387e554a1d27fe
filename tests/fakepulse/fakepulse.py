#!/usr/bin/env python3
"""A fake Pulse server for tests, demos and benchmarks (standard library only).

    python3 tests/fakepulse/fakepulse.py [--host 127.0.0.1] [--port 0] [--resources N] [--seed S]
        [--token T] [--read-only-token R] [--tls] [--fixtures] [--org ORG] [--fault JSON ...]

When ready it prints one JSON line to stdout, {"url": ..., "pid": ..., "caFile": ...}, and
serves until SIGTERM/SIGINT (or, with --exit-with-stdin, until stdin ends). See README.md beside this file for routes, faults and limits.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import signal
import ssl
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from actions import Lifecycle  # noqa: E402
from common import DEFAULT_EPOCH, Clock, parse_rfc3339, rfc3339  # noqa: E402
from faults import FaultError, Faults  # noqa: E402
from server import App, make_server  # noqa: E402
from tlsgen import OpenSSLMissing, make_certificates  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="fakepulse", description="A fake Pulse server (see tests/fakepulse/README.md).")
    p.add_argument("--host", default="127.0.0.1", help="loopback address to bind (127.0.0.1 only by default)")
    p.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    p.add_argument("--resources", type=int, default=100, help="generated fleet size, 10 … 1000000")
    p.add_argument("--seed", type=int, default=1, help="fleet seed (same seed → same bytes)")
    p.add_argument("--token", help="require this API token (X-API-Token or Authorization: Bearer) on /api routes")
    p.add_argument("--read-only-token", help="a second token with only monitoring:read")
    p.add_argument("--org", help="require X-Pulse-Org-ID: ORG on /api routes")
    p.add_argument("--tls", action="store_true", help="serve https with a fresh self-signed CA (needs openssl)")
    p.add_argument("--fixtures", action="store_true", help="serve the shared fixtures instead of a generated fleet")
    p.add_argument("--fault", action="append", default=[], metavar="JSON", help="a fault document, as POST /_fake/faults")
    p.add_argument("--epoch", default=rfc3339(DEFAULT_EPOCH),
                   help="data time stamps are relative to this RFC3339 instant, or 'now' (default: the fixtures' 2026-08-22T14:30:00Z)")
    p.add_argument("--clock-offset", type=float, default=0.0, help="seconds added to the real clock for action plans")
    p.add_argument("--frozen-clock", metavar="RFC3339",
                   help="action plans, events and expiries use this instant instead of the real clock (replays)")
    p.add_argument("--row-cache-mb", type=int, default=256, help="budget for encoded rows kept between walks")
    p.add_argument("--prewarm", action="store_true",
                   help="encode rows into the row cache in the background from the start (see /_fake/stats 'warm')")
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    p.add_argument("--exit-with-stdin", action="store_true",
                   help="stop when stdin ends: a parent that holds the other end of a pipe (and is killed) takes the fake with it")
    args = p.parse_args(argv)
    if args.host not in LOOPBACK:
        p.error("--host must be a loopback address (127.0.0.1, localhost or ::1)")
    if not args.fixtures and not 10 <= args.resources <= 1_000_000:
        p.error("--resources must be between 10 and 1000000")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from datetime import datetime, timezone
    epoch = datetime.now(timezone.utc).replace(microsecond=0) if args.epoch == "now" else parse_rfc3339(args.epoch)
    clock = Clock(epoch)
    faults = Faults()
    for doc in args.fault:
        try:
            faults.update(json.loads(doc))
        except (ValueError, FaultError) as err:
            print(f"fakepulse: bad --fault {doc!r}: {err}", file=sys.stderr)
            return 2
    if args.fixtures:
        from source_fix import FixtureSource
        source = FixtureSource(clock)
    else:
        from source_gen import GeneratedSource
        source = GeneratedSource(args.resources, args.seed, clock, cache_mb=args.row_cache_mb)
    for doc in args.fault:
        malformed = json.loads(doc).get("malformedRow")
        if isinstance(malformed, dict) and malformed.get("id"):
            source.set_malformed(str(malformed["id"]), str(malformed.get("mode", "name")))
    frozen = parse_rfc3339(args.frozen_clock) if args.frozen_clock else None
    lifecycle = Lifecycle(source, faults, args.org or "default", args.clock_offset, frozen)
    app = App(source, lifecycle, faults, args.token, args.read_only_token, args.org, verbose=args.verbose)

    context, ca_file, tmp = None, None, None
    if args.tls:
        tmp = tempfile.mkdtemp(prefix="fakepulse-tls-")
        atexit.register(shutil.rmtree, tmp, True)
        try:
            ca, cert, key = make_certificates(Path(tmp))
        except OpenSSLMissing as err:
            print(f"fakepulse: {err}", file=sys.stderr)
            return 2
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert), str(key))
        ca_file = str(ca)

    server = make_server(app, args.host, args.port, context)
    port = server.server_address[1]
    scheme = "https" if context else "http"
    host = "[::1]" if args.host == "::1" else "127.0.0.1" if args.host == "localhost" else args.host

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.exit_with_stdin:
        def watch_stdin():
            while sys.stdin.buffer.read(4096):
                pass
            server.shutdown()
        threading.Thread(target=watch_stdin, daemon=True).start()
    if args.prewarm:
        threading.Thread(target=source.prewarm, daemon=True).start()
    print(json.dumps({"url": f"{scheme}://{host}:{port}", "pid": os.getpid(), "caFile": ca_file}), flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
