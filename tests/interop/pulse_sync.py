"""Helpers for the tests that read a fake Pulse: run `sync`, talk to the fake's control routes,
read the store with Python's sqlite3 (read-only), and grep for a token."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

FAKE_DIR = Path(__file__).resolve().parents[1] / "fakepulse"
sys.path.insert(0, str(FAKE_DIR))

from launch import start_fake, stop_fake  # noqa: E402,F401

TOKEN = "pa-test-token-7f3a9c1e5b"
STORE_TABLES = ["resource", "agent", "alert", "recoveryPoint", "resourceAlias", "syncedRow", "snapshotInfo"]


def sync(server_bin: Path, url: str, store: Path, *extra: str, token: str | None = TOKEN,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "PULSE_API_TOKEN"}
    if token is not None:
        environment["PULSE_API_TOKEN"] = token
    environment.update(env or {})
    return subprocess.run(
        [str(server_bin), "sync", "--pulse-url", url, "--store", str(store), *extra],
        capture_output=True, text=True, env=environment, timeout=300,
    )


def sync_json(server_bin: Path, url: str, store: Path, *extra: str) -> dict[str, Any]:
    done = sync(server_bin, url, store, "--format", "json", *extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def fake_post(url: str, route: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(url + route, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read()
        return json.loads(text) if text else None


def fake_get(url: str, route: str) -> Any:
    with urllib.request.urlopen(url + route, timeout=30) as answer:
        return json.loads(answer.read())


def store_digest(store: Path) -> str:
    """A digest of every synced table's rows, in order: equal digests mean an unchanged store."""
    connection = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    digest = hashlib.sha256()
    for table in STORE_TABLES:
        for row in connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):  # noqa: S608 (fixed names)
            digest.update(repr(row).encode())
    connection.close()
    return digest.hexdigest()


def scalar(store: Path, sql: str, *args: Any) -> Any:
    connection = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return connection.execute(sql, args).fetchone()[0]
    finally:
        connection.close()


def files_containing(directory: Path, needle: str) -> list[str]:
    """Every file under `directory` whose bytes hold `needle`."""
    found = []
    for path in directory.rglob("*"):
        if path.is_file() and needle.encode() in path.read_bytes():
            found.append(str(path))
    return found
