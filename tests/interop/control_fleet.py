"""A hermetic control fleet for the interop suite: the demo snapshot re-pointed at private
addresses, ingested into a temporary store, and reference endpoint processes to answer there.

`ControlFleet.build(server_bin)` writes the demo fleet (`pulse-assistant demo`), rewrites
every agent's endpoint to a Unix socket under a short private directory in /tmp
(`unix:/tmp/pa-XXXX/<host>.sock`, well under the ~100-byte sun_path limit) and every
platform connection's to a free TCP port on 127.0.0.1, ingests it (`pulse-assistant
ingest`) and writes a random endpoint token to a mode-0600 file. Nothing touches
/tmp/pulse-demo or the demo's fixed ports 7701-7704.

`Endpoint` runs `pulse-assistant endpoint` on some of those addresses with its own state
file and fault switches, waits for its "listening on ADDRESS" lines, and stops it with
SIGTERM (SIGKILL if it lingers).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The demo fleet's fixed present; agent staleness is judged against it (`serve --clock`).
DEMO_CLOCK = "2026-11-28T10:00:00Z"
TOKEN_ENV = "PULSE_ASSISTANT_ENDPOINT_TOKEN"


def server_env(token: str) -> dict[str, str]:
    """The process environment for a spawned server: no inherited PULSE_ASSISTANT_* settings, the token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE_ASSISTANT_")}
    env[TOKEN_ENV] = token
    return env


def free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(argv: list[str], timeout: float = 120) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(argv[:2])} failed ({done.returncode}): {done.stderr[-2000:]}"
    return done.stderr


@dataclass
class ControlFleet:
    """The demo fleet, ingested, with every endpoint moved to a private address."""

    server_bin: Path
    directory: Path  # short: holds the Unix sockets
    snapshot: Path
    store: Path
    token: str
    token_file: Path
    #: agent or connection id → its endpoint address in the store (`unix:...` / `tcp:...`).
    addresses: dict[str, str]

    @classmethod
    def build(cls, server_bin: Path) -> ControlFleet:
        directory = Path(tempfile.mkdtemp(prefix="pa-", dir="/tmp"))
        original, snapshot, store = directory / "demo.jsonl", directory / "fleet.jsonl", directory / "store.db"
        run([str(server_bin), "demo", "--out", str(original)])
        addresses: dict[str, str] = {}
        with original.open(encoding="utf-8") as source, snapshot.open("w", encoding="utf-8") as target:
            # The end record counts and digests the lines before it: edited lines need a new one.
            digest, count = hashlib.sha256(), 0
            for line in source:
                record = json.loads(line)
                if "end" in record:
                    line = json.dumps({"end": {"lines": count, "sha256": digest.hexdigest()}}) + "\n"
                    target.write(line)
                    continue
                if "agent" in record:
                    agent = record["agent"]
                    host = agent["id"].split("/", 1)[1]
                    agent["endpoint"] = addresses[agent["id"]] = f"unix:{directory}/{host}.sock"
                    line = json.dumps(record) + "\n"
                elif "connection" in record:
                    connection = record["connection"]
                    connection["endpoint"] = addresses[connection["id"]] = f"tcp:127.0.0.1:{free_tcp_port()}"
                    line = json.dumps(record) + "\n"
                digest.update(line.encode())
                count += 1
                target.write(line)
        original.unlink()
        for address in addresses.values():
            assert len(address.encode()) < 100, f"socket path too long: {address}"
        run([str(server_bin), "ingest", str(snapshot), "--store", str(store)])
        token = secrets.token_hex(16)
        token_file = directory / "token"
        token_file.write_text(token + "\n", encoding="utf-8")
        token_file.chmod(0o600)
        return cls(server_bin, directory, snapshot, store, token, token_file, addresses)

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def copy_store(self, directory: Path) -> Path:
        """A private copy of the ingested store (actions recorded in it stay with one test)."""
        copy = directory / "store.db"
        shutil.copyfile(self.store, copy)
        return copy

    def agent(self, host: str) -> str:
        return self.addresses[f"pulse-agent/{host}"]

    def endpoint(self, addresses: list[str], state: Path, *flags: str, token_file: Path | None = None) -> Endpoint:
        return Endpoint(self.server_bin, addresses, state, token_file or self.token_file, list(flags))


class Endpoint:
    """One `pulse-assistant endpoint` process, listening once this returns."""

    def __init__(self, server_bin: Path, addresses: list[str], state: Path, token_file: Path, flags: list[str],
                 timeout: float = 10.0) -> None:
        self.addresses = list(addresses)
        self.state_file = state
        argv = [str(server_bin), "endpoint", *(arg for a in addresses for arg in ("--listen", a)),
                "--state", str(state), "--token-file", str(token_file), *flags]
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, bufsize=0)
        self._stderr = b""
        waiting = {f"listening on {a}" for a in addresses}
        fd = self.process.stderr.fileno()  # type: ignore[union-attr]
        deadline = time.monotonic() + timeout
        try:
            while waiting:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.process.poll() is not None:
                    raise AssertionError(f"endpoint on {addresses} did not start: {self._stderr.decode(errors='replace')}")
                ready, _, _ = select.select([fd], [], [], remaining)
                if ready:
                    chunk = os.read(fd, 65536)
                    self._stderr += chunk
                    lines = set(self._stderr.decode(errors="replace").splitlines())
                    waiting -= lines
        except BaseException:
            self.stop()
            raise
        self._drain = threading.Thread(target=self._drain_stderr, daemon=True)
        self._drain.start()

    def _drain_stderr(self) -> None:
        fd = self.process.stderr.fileno()  # type: ignore[union-attr]
        while chunk := os.read(fd, 65536):
            self._stderr += chunk

    @property
    def stderr(self) -> str:
        return self._stderr.decode(errors="replace")

    def state(self) -> dict[str, Any]:
        """The state file as the endpoint last wrote it (empty sections when it is absent)."""
        return read_state(self.state_file)

    def executions(self, idempotency_key: str | None = None) -> list[dict[str, Any]]:
        return executions(self.state_file, idempotency_key)

    def stop(self) -> None:
        """SIGTERM (it removes its socket files), SIGKILL if it is still running after 5 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process.stderr and not self.process.stderr.closed:
            if hasattr(self, "_drain"):
                self._drain.join(timeout=5)
            self.process.stderr.close()


def read_state(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"resources": {}, "executions": [], "results": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def wire_key(action: dict[str, Any]) -> str:
    """The idempotency key the endpoint got for `action`: `key:` + the caller's key, else `action:` + its id."""
    return "key:" + action["idempotencyKey"] if "idempotencyKey" in action else "action:" + action["actionId"]


def executions(path: Path, idempotency_key: str | None = None) -> list[dict[str, Any]]:
    """The endpoint's executions, or those asked with the caller's `idempotency_key`."""
    found = read_state(path).get("executions", [])
    return [e for e in found if idempotency_key is None or e["idempotencyKey"] == "key:" + idempotency_key]
