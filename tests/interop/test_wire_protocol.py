"""The protocol on the wire, without an SDK: one scripted session per protocol version.

Each session sends, in order: before initialize — `ping`, `tools/list`,
`tools/call`, `server/discover`; then `initialize` with the version under test;
then, pipelined — `notifications/initialized`, `ping`, `tools/list`,
`tools/call` (ok, a bad argument type, an unknown tool), an unknown method, a
line that is not JSON, a batch array, an unknown notification, a string-id
`ping`; then closes stdin.

Every line the server writes is validated against the official MCP schema of
the negotiated version (`schemas.py`): the `JSONRPCMessage` union, the exact
response envelope, and the method's result definition.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from schemas import LATEST_VERSION, MCPSchema, schema_version_for
from wire import RawServer, initialize_params

TOOL = "get_platform_support"

#: (requested protocolVersion, expected answer): supported ones are echoed, others get the latest.
NEGOTIATION = [
    ("2025-11-25", "2025-11-25"),
    ("2025-06-18", "2025-06-18"),
    ("2025-03-26", "2025-03-26"),
    ("2024-11-05", "2024-11-05"),
    ("2099-01-01", LATEST_VERSION),
]

#: Structured tool output (`outputSchema`, `structuredContent`) arrived in 2025-06-18;
#: older sessions get the same JSON in the text block only.
STRUCTURED_OUTPUT_VERSIONS = {"2025-06-18", "2025-11-25"}


@dataclass
class Session:
    """What a scripted session sent and what came back."""

    server: RawServer
    negotiated: str
    #: request id → method, for every request sent with a determinable id.
    methods: dict[int | str, str] = field(default_factory=dict)
    exit_code: int | None = None

    def request(self, rid: int | str, method: str, params: dict[str, Any] | None = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            message["params"] = params
        self.methods[rid] = method
        self.server.send(message)

    def response(self, rid: int | str) -> dict[str, Any]:
        return self.server.response_to(rid)

    def responses(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.server.lines]


def run_session(spawn: Callable[..., RawServer], requested: str) -> Session:
    server = spawn()
    session = Session(server=server, negotiated="")

    # Before initialize: only ping (and initialize) are served; the probe gets -32601.
    for rid, method, params in [
        ("pre-ping", "ping", None),
        ("pre-list", "tools/list", None),
        ("pre-call", "tools/call", {"name": TOOL, "arguments": {}}),
        ("discover", "server/discover", {}),
    ]:
        session.request(rid, method, params)
        session.response(rid)

    session.request(1, "initialize", initialize_params(requested))
    initialized = session.response(1)
    session.negotiated = initialized["result"]["protocolVersion"]

    server.notify("notifications/initialized")
    session.request(2, "ping")
    session.request(3, "tools/list")
    session.request(4, "tools/call", {"name": TOOL, "arguments": {"platform": "pve"}})
    session.request(5, "tools/call", {"name": TOOL, "arguments": {"platform": 5}})
    session.request(6, "tools/call", {"name": "no_such_tool", "arguments": {}})
    session.request(7, "no/such/method")
    server.send('{"jsonrpc": "2.0", "id": 99, "method": "ping"')  # truncated: not JSON
    server.send([{"jsonrpc": "2.0", "id": 8, "method": "ping"}])  # a batch: never executed
    server.notify("notifications/no_such_notification", {})
    session.request("last", "ping")
    server.close_stdin()

    server.read_to_eof()
    session.exit_code = server.wait()
    return session


@pytest.fixture(scope="module", params=NEGOTIATION, ids=[requested for requested, _ in NEGOTIATION])
def session(request: pytest.FixtureRequest, server_command: list[str]) -> Any:
    """One scripted session per requested version, shared by the assertions below."""
    servers: list[RawServer] = []

    def spawn() -> RawServer:
        servers.append(RawServer(server_command))
        return servers[-1]

    requested, expected = request.param
    try:
        result = run_session(spawn, requested)
        yield requested, expected, result
    finally:
        for server in servers:
            server.close()


def test_negotiates_the_protocol_version(session: tuple[str, str, Session]) -> None:
    _, expected, result = session
    assert result.negotiated == expected


def test_every_line_validates_against_the_negotiated_schema(session: tuple[str, str, Session],
                                                            mcp_schema: Callable[[str], MCPSchema]) -> None:
    _, _, result = session
    schema = mcp_schema(schema_version_for(result.negotiated))
    assert result.server.lines, "the server wrote nothing"
    for raw in result.server.lines:
        message = json.loads(raw)
        assert isinstance(message, dict), raw
        schema.validate_server_message(message, result.methods.get(message.get("id")))


def test_every_request_gets_exactly_one_response_and_notifications_none(session: tuple[str, str, Session]) -> None:
    _, _, result = session
    responses = result.responses()
    counts = Counter(json.dumps(r.get("id")) for r in responses)
    for rid in result.methods:
        assert counts[json.dumps(rid)] == 1, f"id {rid!r}: {counts[json.dumps(rid)]} responses"
    # Plus exactly two responses whose id could not be determined: the parse error and the batch.
    assert counts["null"] == 2
    assert len(responses) == len(result.methods) + 2, "notifications got a response, or something extra was written"
    assert counts[json.dumps(8)] == 0, "a request inside a batch array was executed"
    assert counts[json.dumps(99)] == 0, "an unparseable line was answered with a guessed id"


def test_exits_zero_at_end_of_stdin(session: tuple[str, str, Session]) -> None:
    _, _, result = session
    assert result.exit_code == 0, result.server.stderr


def test_before_initialize_only_ping_is_served(session: tuple[str, str, Session]) -> None:
    _, _, result = session
    assert result.response("pre-ping")["result"] == {}
    for rid in ("pre-list", "pre-call"):
        response = result.response(rid)
        assert "result" not in response, f"{rid} was served before initialize"
        assert isinstance(response["error"]["code"], int)
        assert "initialize" in response["error"]["message"]


def test_server_discover_is_method_not_found(session: tuple[str, str, Session]) -> None:
    _, _, result = session
    assert result.response("discover")["error"]["code"] == -32601


def test_initialize_result(session: tuple[str, str, Session]) -> None:
    _, _, result = session
    init = result.response(1)["result"]
    assert init["serverInfo"]["name"] == "pulse-assistant"
    assert "tools" in init["capabilities"]
    assert TOOL in init["instructions"]


def test_ping_and_tools_list(session: tuple[str, str, Session]) -> None:
    _, _, result = session
    assert result.response(2)["result"] == {}
    assert result.response("last")["result"] == {}
    tools = result.response(3)["result"]["tools"]
    assert TOOL in [tool["name"] for tool in tools]


def test_tools_call_result_carries_the_row_and_conforms_to_output_schema(session: tuple[str, str, Session]) -> None:
    _, _, result = session
    [tool] = [tool for tool in result.response(3)["result"]["tools"] if tool["name"] == TOOL]
    call = result.response(4)["result"]
    assert call.get("isError") is not True
    [text] = [block["text"] for block in call["content"] if block["type"] == "text"]
    content = json.loads(text)
    assert [row["id"] for row in content["platforms"]] == ["proxmox-pve"]
    if result.negotiated in STRUCTURED_OUTPUT_VERSIONS:
        assert call["structuredContent"] == content, "structuredContent and the text block carry the same JSON"
        Draft202012Validator(tool["outputSchema"]).validate(call["structuredContent"])


def test_bad_argument_type_is_an_error_result_naming_the_argument(session: tuple[str, str, Session]) -> None:
    _, _, result = session
    call = result.response(5)["result"]
    assert call["isError"] is True
    assert "structuredContent" not in call
    text = " ".join(block["text"] for block in call["content"])
    assert "platform" in text and "string" in text, text


def test_unknown_tool_is_invalid_params(session: tuple[str, str, Session]) -> None:
    _, _, result = session
    assert result.response(6)["error"]["code"] == -32602


def test_unknown_method_is_method_not_found(session: tuple[str, str, Session]) -> None:
    _, _, result = session
    assert result.response(7)["error"]["code"] == -32601


def test_parse_error_and_batch_are_answered_without_an_id(session: tuple[str, str, Session]) -> None:
    _, _, result = session
    undetermined = [r for r in result.responses() if r.get("id") is None]
    codes = sorted(r["error"]["code"] for r in undetermined)
    assert codes == [-32700, -32600]
    for response in undetermined:
        # DESIGN §2 and JSON-RPC 2.0 §5: `"id": null` when the id cannot be determined.
        assert "id" in response and response["id"] is None


def test_undeterminable_id_error_conflicts_with_the_schema_only_at_id(mcp_schema: Callable[[str], MCPSchema],
                                                                       spawn: Callable[..., RawServer]) -> None:
    """Pins the one known gap between JSON-RPC 2.0 and the MCP schemas (see schemas.UNDETERMINABLE_ID_CODES).

    The server answers an unparseable line with `"id": null`, as DESIGN §2 and the
    Python SDK (which rejects an error response without an `id` member) expect. The
    official schemas reject exactly that member: 2025-11-25 wants it omitted,
    2025-06-18 has no valid form. Everything else about the message is valid.
    """
    server = spawn()
    server.send("not json")
    server.close_stdin()
    [line] = server.read_to_eof()
    message = json.loads(line)
    assert message["id"] is None and message["error"]["code"] == -32700
    for version in ("2025-11-25", "2025-06-18"):
        schema = mcp_schema(version)
        problems = list(schema.validator(schema.error_response_def).iter_errors(message))
        assert problems, f"{version} now accepts a null id: drop the allowance in schemas.py"
        assert all(list(p.absolute_path) == ["id"] for p in problems), [p.message for p in problems]
        schema.validate(schema.error_response_def, {**message, "id": 0})
