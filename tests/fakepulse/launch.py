"""Start the fake Pulse from a test: `proc, url, ca_file = start_fake("--resources", "10000")`.

The fake prints one JSON line when it is listening; this waits for it (with a timeout) and
returns the running process, its base URL and its CA file (None without --tls). Stop it
with `stop_fake(proc)` (SIGTERM, then SIGKILL after a grace period).
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

FAKEPULSE = Path(__file__).resolve().parent / "fakepulse.py"


class FakeStartError(RuntimeError):
    pass


def start_fake(*args: str, timeout: float = 60.0, python: str | None = None, stderr=None,
               env: dict | None = None) -> tuple[subprocess.Popen, str, str | None]:
    """Spawn the fake with `args` (strings) and wait for its ready line. `stderr` defaults to a
    pipe (read it after stopping); pass `subprocess.DEVNULL` or a file for long runs."""
    cmd = [python or sys.executable, str(FAKEPULSE), *map(str, args)]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=stderr if stderr is not None else subprocess.PIPE,
                            env=dict(os.environ) if env is None else env)
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    line = b""
    try:
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FakeStartError(f"fake Pulse gave no ready line within {timeout:.0f}s: {' '.join(cmd)}")
            if not selector.select(remaining):
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr and stderr is None else ""
                proc.wait(timeout=5)
                raise FakeStartError(f"fake Pulse exited ({proc.returncode}) before it was ready: {err.strip()}")
            line += chunk
    except BaseException:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        raise
    finally:
        selector.close()
    ready = json.loads(line.decode().strip().splitlines()[0])
    return proc, ready["url"], ready.get("caFile")


def stop_fake(proc: subprocess.Popen, grace: float = 5.0) -> int:
    """SIGTERM the fake (it removes its TLS files on the way out) and reap it."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()
    return proc.returncode
