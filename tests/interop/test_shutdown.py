"""End of stdin and SIGTERM: stop reading, answer what was read, flush, exit 0 (DESIGN §2).

The official Swift and Python SDKs both lose a response when stdin closes right
after the request; these tests pin that ours does not.
"""

from __future__ import annotations

import fcntl
import json
import time
from collections.abc import Callable

import pytest

from wire import RawServer, initialize_params

TOOL = "get_platform_support"
F_GETPIPE_SZ = 1032  # Linux fcntl


def line(message: dict) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


INITIALIZE = line({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": initialize_params("2025-11-25")})
INITIALIZED = line({"jsonrpc": "2.0", "method": "notifications/initialized"})


def call(rid: int, arguments: dict) -> bytes:
    return line({"jsonrpc": "2.0", "id": rid, "method": "tools/call", "params": {"name": TOOL, "arguments": arguments}})


@pytest.mark.parametrize("attempt", range(10))
def test_ping_written_and_stdin_closed_at_once_is_answered(spawn: Callable[..., RawServer], attempt: int) -> None:
    server = spawn()
    server.write_raw(line({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
    server.close_stdin()
    lines = server.read_to_eof()
    assert [json.loads(raw) for raw in lines] == [{"jsonrpc": "2.0", "id": 1, "result": {}}]
    assert server.wait() == 0, server.stderr


@pytest.mark.parametrize("attempt", range(10))
def test_session_written_in_one_write_and_stdin_closed_at_once_is_answered(spawn: Callable[..., RawServer],
                                                                          attempt: int) -> None:
    server = spawn()
    server.write_raw(INITIALIZE + INITIALIZED + call(1, {"platform": "pve"}) + call(2, {}))
    server.close_stdin()
    responses = {json.loads(raw)["id"]: json.loads(raw) for raw in server.read_to_eof()}
    assert sorted(responses) == [0, 1, 2]
    assert responses[1]["result"]["structuredContent"]["platforms"][0]["id"] == "proxmox-pve"
    assert len(responses[2]["result"]["structuredContent"]["platforms"]) == 14
    assert server.wait() == 0, server.stderr


@pytest.mark.parametrize("attempt", range(25))
def test_sigterm_when_idle_exits_zero(spawn: Callable[..., RawServer], attempt: int) -> None:
    """At once after the initialize response: a signal sent in the first milliseconds of a
    server's life once slipped through while the handler was still being set up."""
    server = spawn()
    assert "result" in server.request("initialize", initialize_params("2025-11-25"))
    server.terminate()
    assert server.read_to_eof() == server.lines[:1], "nothing more is written, and stdout closes"
    assert server.wait() == 0, server.stderr


def test_sigterm_with_requests_in_flight_answers_them_and_exits_zero(spawn: Callable[..., RawServer]) -> None:
    """Responses pile up unread until the stdout pipe is full, so the server is
    blocked mid-write with requests in flight when SIGTERM arrives; stdin stays open."""
    server = spawn()
    server.write_raw(INITIALIZE + INITIALIZED)
    assert "result" in server.response_to(0)
    count = 200  # every answer is the whole matrix (~20 KiB): far more than the pipe holds
    server.write_raw(b"".join(call(rid, {}) for rid in range(1, count + 1)))
    time.sleep(0.3)
    pipe_size = fcntl.fcntl(server.process.stdout.fileno(), F_GETPIPE_SZ)
    server.terminate()
    started = time.monotonic()
    lines = server.read_to_eof(timeout=30)[1:]
    assert server.wait(timeout=30) == 0, server.stderr
    answered = sorted(json.loads(raw)["id"] for raw in lines)
    written = sum(len(raw) + 1 for raw in lines)
    assert written > pipe_size, "the server was not blocked with requests in flight when the signal arrived"
    # Everything read is answered, exactly once: the answered ids are a prefix of those sent.
    assert answered == list(range(1, len(answered) + 1))
    assert time.monotonic() - started < 30
