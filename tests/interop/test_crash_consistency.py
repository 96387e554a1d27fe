"""Crash consistency of control actions and the audit, through the built binary: a server SIGKILLed
one second into a dispatch, or while the human is being asked, leaves an action that the next server
settles as the state machine says once its deadlines have passed, and an audit that holds the
dispatch. Every process and file belongs to the test and is removed with it.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

from control_fleet import DEMO_CLOCK, ControlFleet, server_env
from test_audit import call, cli, exported, start
from wire import RawServer

LATER = "2026-11-28T11:00:00Z"  # an hour past DEMO_CLOCK: past every deadline
STOP = {"resourceId": "vm/pve-a/101", "action": "stop", "reason": "crash test", "idempotencyKey": "crash-1"}


def kill(server: RawServer) -> None:
    server.process.send_signal(signal.SIGKILL)
    server.wait()
    server.close()


def action_state(store: Path, key: str) -> tuple[str, str | None]:
    with sqlite3.connect(store) as db:
        return db.execute("SELECT state, approval FROM action WHERE idempotencyKey = ?", (key,)).fetchone()


def status_later(fleet: ControlFleet, store: Path) -> dict[str, Any]:
    """get_action_status from a fresh server whose clock is an hour on."""
    server = RawServer([str(fleet.server_bin), "serve", "--store", str(store), "--clock", LATER,
                        "--control-level", "autonomous"], env=server_env(fleet.token))
    try:
        assert "result" in server.request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                                         "clientInfo": {"name": "crash", "version": "1"}})
        server.notify("notifications/initialized")
        status = call(server, "get_action_status", {"idempotencyKey": "crash-1"})["structuredContent"]
        retry = call(server, "control_resource", STOP)["structuredContent"]
        server.close_stdin()
        assert server.wait() == 0
        return {"status": status, "retry": retry}
    finally:
        server.close()


def test_sigkill_one_second_into_a_dispatch(fleet: ControlFleet, store: Path, tmp_path: Path) -> None:
    """The audit holds the dispatch; the action, dispatched for ever before, becomes unknown."""
    endpoint = fleet.endpoint([fleet.agent("pve-a")], tmp_path / "state.json", "--delay-ms", "10000")
    try:
        server = start(fleet, store, "--control-level", "autonomous")
        server.send({"jsonrpc": "2.0", "id": 99, "method": "tools/call",
                     "params": {"name": "control_resource", "arguments": STOP}})
        time.sleep(1.0)
        kill(server)
    finally:
        endpoint.stop()

    assert action_state(store, "crash-1") == ("dispatched", "not-needed")
    records = exported(fleet, store)
    assert [(r["tool"], r["outcome"]) for r in records] == [("control_resource", "dispatched")]
    assert records[0]["route"] == "pulse-agent/pve-a" and records[0]["actionId"]
    assert cli(fleet, "audit", "verify", "--store", str(store)).returncode == 0

    later = status_later(fleet, store)
    assert later["status"]["state"] == "unknown" and later["status"]["code"] == "endpoint_no_answer"
    assert later["retry"]["replayed"] is True and later["retry"]["state"] == "unknown"
    assert action_state(store, "crash-1") == ("unknown", "not-needed")


def test_sigkill_while_the_human_is_asked(fleet: ControlFleet, store: Path, tmp_path: Path) -> None:
    """The action, planned with approval pending for ever before, becomes refused; nothing was sent."""
    endpoint = fleet.endpoint([fleet.agent("pve-a")], tmp_path / "state.json")
    try:
        server = RawServer([str(fleet.server_bin), "serve", "--store", str(store), "--clock", DEMO_CLOCK,
                            "--control-level", "controlled"], env=server_env(fleet.token))
        response = server.request("initialize", {"protocolVersion": "2025-11-25",
                                                 "capabilities": {"elicitation": {"form": {}}},
                                                 "clientInfo": {"name": "crash", "version": "1"}})
        assert "result" in response, response
        server.notify("notifications/initialized")
        server.send({"jsonrpc": "2.0", "id": 99, "method": "tools/call",
                     "params": {"name": "control_resource", "arguments": STOP}})
        asked = json.loads(server.read_line() or b"null")
        assert asked["method"] == "elicitation/create", asked
        kill(server)
    finally:
        endpoint.stop()

    assert action_state(store, "crash-1") == ("planned", "pending")
    later = status_later(fleet, store)
    assert later["status"]["state"] == "refused" and later["status"]["approval"] == "declined"
    assert later["retry"]["replayed"] is True
    assert endpoint.executions() == []


def test_a_fifo_token_file_fails_the_action_and_serve_still_exits(fleet: ControlFleet, store: Path, tmp_path: Path) -> None:
    """A token file that is a FIFO is refused at once (it hung control, and serve's exit, before)."""
    fifo = tmp_path / "token.fifo"
    os.mkfifo(fifo, 0o600)
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"endpointToken": {"file": str(fifo)}}), encoding="utf-8")
    server = start(fleet, store, "--control-level", "autonomous", "--config", str(config))
    try:
        started = time.monotonic()
        result = call(server, "control_resource", {"resourceId": "vm/pve-a/101", "action": "stop", "reason": "fifo"})
        assert result["isError"] is True
        assert result["structuredContent"]["code"] == "endpoint_token_missing"
        assert "is not a regular file" in result["structuredContent"]["message"]
        server.close_stdin()
        assert server.wait(timeout=10) == 0
        assert time.monotonic() - started < 10
    finally:
        server.close()
