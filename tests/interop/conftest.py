"""Fixtures for the interop suite: the server binary, raw spawns, the MCP schemas.

The binary is `$PULSE_ASSISTANT_BIN` when set, else `.build/debug/pulse-assistant`
under the repository root; build it first (`swift build`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from control_fleet import ControlFleet
from schemas import MCPSchema
from wire import RawServer

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    # The SDK is written against anyio; asyncio is the backend hosts use.
    return "asyncio"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def server_bin() -> Path:
    """The built server executable; fails (never skips) when it is missing."""
    configured = os.environ.get("PULSE_ASSISTANT_BIN")
    path = Path(configured).resolve() if configured else REPO_ROOT / ".build" / "debug" / "pulse-assistant"
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"server binary not found at {path}: run `swift build` or set PULSE_ASSISTANT_BIN", pytrace=False)
    return path


@pytest.fixture(scope="session")
def server_command(server_bin: Path) -> list[str]:
    """The command an MCP host runs: `pulse-assistant serve`, with the clock fixed at the demo
    fleet's default present so that the embedded fleet (generated as of the server's clock) is the
    same on every run."""
    return [str(server_bin), "serve", "--clock", "2026-11-28T10:00:00Z"]


@pytest.fixture
def spawn(server_command: list[str]) -> Iterator[Callable[..., RawServer]]:
    """Spawn the server under the raw driver: `spawn()` or `spawn("--log-level", "trace")`.

    Every process spawned is killed (if still running) when the test ends.
    """
    spawned: list[RawServer] = []

    def start(*extra_args: str, argv: list[str] | None = None) -> RawServer:
        server = RawServer(argv if argv is not None else [*server_command, *extra_args])
        spawned.append(server)
        return server

    yield start
    for server in spawned:
        server.close()


@pytest.fixture(scope="session")
def mcp_schema() -> Callable[[str], MCPSchema]:
    """Load a vendored official MCP schema by version: `mcp_schema("2025-11-25")`."""
    return MCPSchema.load


@pytest.fixture(scope="session")
def fleet(server_bin: Path) -> Iterator[ControlFleet]:
    """The demo fleet with private endpoint addresses, ingested once for the whole run."""
    built = ControlFleet.build(server_bin)
    yield built
    built.remove()


@pytest.fixture
def store(fleet: ControlFleet, tmp_path: Path) -> Path:
    """This test's own copy of the store: the actions and audit records it writes stay with it."""
    return fleet.copy_store(tmp_path)
