"""stdout carries protocol messages only, one JSON-RPC object per line; logs go to stderr."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from wire import RawServer, initialize_params

TOOL = "get_platform_support"


def drive_a_busy_session(server: RawServer) -> None:
    server.send({"jsonrpc": "2.0", "id": 0, "method": "tools/list"})  # refused: not initialized
    server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": initialize_params("2025-11-25")})
    server.response_to(1)
    server.notify("notifications/initialized")
    for rid, arguments in enumerate([{}, {"platform": "pve"}, {"platform": "nope"}, {"platform": "pvé"},
                                     {"platform": 5}, {"other": True}], start=2):
        server.send({"jsonrpc": "2.0", "id": rid, "method": "tools/call",
                     "params": {"name": TOOL, "arguments": arguments}})
    for garbage in ["", "   ", "{", "[]", "null", '"text"', '{"jsonrpc":"2.0","id":{},"method":"ping"}',
                    '{"id":50,"method":"ping"}']:
        server.send(garbage)
    server.write_raw(b'{"jsonrpc":"2.0","id":51,"method":"\xff\xfe"}\n')  # invalid UTF-8
    server.notify("notifications/cancelled", {"requestId": 999})
    server.send({"jsonrpc": "2.0", "id": 52, "method": "ping"})
    server.close_stdin()
    server.read_to_eof()


def assert_every_line_is_json_rpc(lines: list[bytes]) -> None:
    assert lines, "nothing on stdout"
    for raw in lines:
        text = raw.decode("utf-8")  # raises on invalid UTF-8
        message = json.loads(text)
        assert isinstance(message, dict), text
        assert message.get("jsonrpc") == "2.0", text
        if "method" in message:
            assert isinstance(message["method"], str), text
        else:
            assert "id" in message, text
            assert ("result" in message) != ("error" in message), text


def test_stdout_is_only_json_rpc_even_at_trace_log_level(spawn: Callable[..., RawServer]) -> None:
    server = spawn("--log-level", "trace")
    drive_a_busy_session(server)
    assert server.wait() == 0
    assert_every_line_is_json_rpc(server.lines)
    assert server.stderr.strip(), "trace logging wrote nothing on stderr"


def test_default_log_level_keeps_stdout_clean(spawn: Callable[..., RawServer]) -> None:
    server = spawn()
    drive_a_busy_session(server)
    assert server.wait() == 0
    assert_every_line_is_json_rpc(server.lines)
    ids = [json.loads(raw).get("id") for raw in server.lines]
    assert 52 in ids


def test_bare_binary_serves_mcp_by_default(spawn: Callable[..., RawServer], server_bin: Path) -> None:
    server = spawn(argv=[str(server_bin)])
    response = server.request("initialize", initialize_params("2025-11-25"))
    assert response["result"]["serverInfo"]["name"] == "pulse-assistant"
    server.close_stdin()
    server.read_to_eof()
    assert server.wait() == 0
    assert_every_line_is_json_rpc(server.lines)
