"""Approvals under `controlled` in MCP 2026-07-28: multi-round-trip requests, never a server request.

Through the official SDK (its elicitation callback answers the `InputRequiredResult` and the SDK
retries with the echoed `requestState`), and on the raw wire, where every line is validated against
the 2026-07-28 schema and the sealed state is altered and replayed: each refused -32602, nothing sent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.shared.exceptions import MCPError
from mcp_types import Implementation

from control_fleet import ControlFleet, Endpoint, server_env
from schemas import MODERN_VERSION, MCPSchema
from sdk import MODERN_VERSION as MODE
from test_control import PVE_VM, Human, Serve, endpoints, everywhere, output_schemas, serve, serve_argv  # noqa: F401
from wire import RawServer

pytestmark = pytest.mark.anyio

INVALID_PARAMS = -32602
MISSING_CAPABILITY = -32021


def meta(capabilities: dict[str, Any] | None = None, client: str = "pulse-interop-tests") -> dict[str, Any]:
    return {
        "io.modelcontextprotocol/protocolVersion": MODERN_VERSION,
        "io.modelcontextprotocol/clientCapabilities": capabilities if capabilities is not None else {"elicitation": {"form": {}}},
        "io.modelcontextprotocol/clientInfo": {"name": client, "version": "1.0"},
    }


@pytest.mark.parametrize("answer", ["decline", "cancel"])
async def test_sdk_decline_is_refused(serve: Serve, everywhere: Endpoint, answer: str) -> None:
    """The SDK's callback declines: refused approval_declined, nothing sent."""
    human = Human(answer, None)
    async with serve("controlled", elicitation=human, mode=MODE) as pa:
        action = await pa.refused(PVE_VM, "stop", reason="not approved")
    assert len(human.seen) == 1 and human.seen[0].mode == "form"
    assert action["code"] == "approval_declined" and action["approval"] == "declined"
    assert everywhere.executions() == []


async def test_sdk_without_elicitation_is_missing_capability(fleet: ControlFleet, store: Path, everywhere: Endpoint) -> None:
    """A 2026-07-28 client with no elicitation callback declares none: -32021, nothing recorded or sent."""
    argv = serve_argv(fleet, store, "controlled")
    params = StdioServerParameters(command=argv[0], args=argv[1:], env=server_env(fleet.token))
    client = Client(params, mode=MODE, read_timeout_seconds=20, client_info=Implementation(name="pulse-interop-tests", version="1.0"))
    async with client:
        with pytest.raises(MCPError) as raised:
            await client.call_tool("control_resource", {"resourceId": PVE_VM, "action": "stop", "reason": "x"})
        status = await client.call_tool("get_action_status", {"resourceId": PVE_VM})
    assert raised.value.code == MISSING_CAPABILITY
    assert "elicitation" in (raised.value.data or {}).get("requiredCapabilities", {})
    assert status.structured_content is None or not status.structured_content.get("actions")
    assert everywhere.executions() == []


def answers(schema: MCPSchema, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The results among `lines`, once every line is checked: a JSON-RPC message of the modern
    schema, never a request or notification from the server, errors valid as error responses."""
    results = []
    for message in lines:
        assert "method" not in message, f"the server wrote a request or notification in the modern era: {message}"
        schema.validate("JSONRPCMessage", message)
        if "error" in message:
            schema.validate("JSONRPCErrorResponse", message)
        else:
            results.append(message)
    return results


def test_wire_mrtr_states_validate_and_refuse_tampering(
        fleet: ControlFleet, store: Path, endpoints: Callable[..., Endpoint], mcp_schema: Callable[[str], MCPSchema]) -> None:
    """input_required → altered/other-resource/other-client states -32602 → accept once → the same state again -32602."""
    agent = endpoints([fleet.agent("pve-a")], "pve-a.json")
    arguments = {"resourceId": PVE_VM, "action": "stop", "reason": "wire"}
    accept = {"approval": {"action": "accept", "content": {"approve": True}}}
    with RawServer(serve_argv(fleet, store, "controlled"), env=server_env(fleet.token)) as server:
        def call(args: dict[str, Any], **more: Any) -> dict[str, Any]:
            params = {"name": "control_resource", "arguments": args, "_meta": meta(client=more.pop("client", "pulse-interop-tests"))}
            return server.request("tools/call", {**params, **more})

        first = call(arguments)["result"]
        state = first["requestState"]
        altered = state[:-3] + ("AAA" if not state.endswith("AAA") else "BBB")
        refusals = [
            call(arguments, requestState=altered, inputResponses=accept),
            call({**arguments, "resourceId": "vm/pve-a/102"}, requestState=state, inputResponses=accept),
            call(arguments, requestState=state, inputResponses=accept, client="another-client"),
        ]
        executed_before = len(agent.executions())
        done = call(arguments, requestState=state, inputResponses=accept)["result"]
        replayed = call(arguments, requestState=state, inputResponses=accept)
        server.close_stdin()
        server.read_to_eof()
        lines = server.messages()
    schema = mcp_schema(MODERN_VERSION)
    for message in answers(schema, lines):
        kind = {"input_required": "InputRequiredResult"}.get(message["result"]["resultType"], "CallToolResult")
        schema.validate(kind, message["result"])
    assert first["resultType"] == "input_required" and "ttlMs" not in first
    form = first["inputRequests"]["approval"]
    assert form["method"] == "elicitation/create" and form["params"]["mode"] == "form"
    assert PVE_VM in form["params"]["message"]
    for refused in refusals + [replayed]:
        assert refused["error"]["code"] == INVALID_PARAMS, refused
        assert refused["error"]["message"] == "Invalid or expired requestState"
    assert executed_before == 0
    assert done["resultType"] == "complete" and done["structuredContent"]["approval"] == "granted"
    assert len(agent.executions()) == 1


TASKS = "io.modelcontextprotocol/tasks"
TASK_STATUSES = {"working", "input_required", "completed", "failed", "cancelled"}


def check_task(schema: MCPSchema, task: dict[str, Any], result_type: str) -> None:
    """A Task of the tasks extension (its own schema, `schema/draft/schema.ts`), inside a 2026-07-28 Result."""
    schema.validate("Result", task)
    assert task["resultType"] == result_type
    assert isinstance(task["taskId"], str) and task["taskId"].startswith("task-")
    assert task["status"] in TASK_STATUSES
    assert isinstance(task["createdAt"], str) and isinstance(task["lastUpdatedAt"], str)
    assert isinstance(task["ttlMs"], int) and isinstance(task["pollIntervalMs"], int)
    assert isinstance(task.get("statusMessage", ""), str)
    if task["status"] == "input_required" and result_type == "complete":
        schema.validate("InputRequests", task["inputRequests"])
    if task["status"] == "completed":
        schema.validate("CallToolResult", task["result"])


def test_wire_task_approved_and_cancelled(
        fleet: ControlFleet, store: Path, endpoints: Callable[..., Endpoint], mcp_schema: Callable[[str], MCPSchema]) -> None:
    """A controlled call declaring the tasks extension: a task handle once the row is durable, the approval
    as input_required answered by tasks/update, polled to completion (one execution); a second task
    cancelled while its approval is pending (nothing sent); another client's tasks/get -32602."""
    agent = endpoints([fleet.agent("pve-a")], "pve-a.json")
    capabilities = {"elicitation": {"form": {}}, "extensions": {TASKS: {}}}
    methods: dict[int, str] = {}
    with RawServer(serve_argv(fleet, store, "controlled"), env=server_env(fleet.token)) as server:
        def send(method: str, params: dict[str, Any], client: str = "pulse-interop-tests") -> dict[str, Any]:
            rid = server.new_id()
            methods[rid] = method
            return server.request(method, {**params, "_meta": {**meta(capabilities, client=client)}}, id=rid)

        def call(reason: str) -> dict[str, Any]:
            return send("tools/call", {"name": "control_resource", "arguments": {"resourceId": PVE_VM, "action": "stop", "reason": reason}})

        created = call("wire task")["result"]
        task_id = created["taskId"]
        asking = send("tasks/get", {"taskId": task_id})["result"]
        foreign = send("tasks/get", {"taskId": task_id}, client="another-client")
        executed_before = len(agent.executions())
        ack = send("tasks/update", {"taskId": task_id, "inputResponses": {"approval": {"action": "accept", "content": {"approve": True}}}})
        done = asking
        for _ in range(500):
            done = send("tasks/get", {"taskId": task_id})["result"]
            if done["status"] in {"completed", "failed", "cancelled"}:
                break
            time.sleep(done.get("pollIntervalMs", 1000) / 1000 / 50)
        second = call("wire task, cancelled")["result"]
        cancel = send("tasks/cancel", {"taskId": second["taskId"]})
        cancelled = send("tasks/get", {"taskId": second["taskId"]})["result"]
        server.close_stdin()
        server.read_to_eof()
        lines = server.messages()
    schema = mcp_schema(MODERN_VERSION)
    for message in answers(schema, lines):
        schema.validate("JSONRPCResultResponse", message)
        result, method = message["result"], methods[message["id"]]
        if method == "tools/call":
            check_task(schema, result, "task")
        elif method == "tasks/get":
            check_task(schema, result, "complete")
        else:
            schema.validate("Result", result)
            assert result["resultType"] == "complete" and set(result) <= {"resultType", "_meta"}
    assert created["resultType"] == "task" and created["status"] == "input_required"
    assert "inputRequests" not in created
    form = asking["inputRequests"]["approval"]
    assert form["method"] == "elicitation/create" and form["params"]["mode"] == "form" and PVE_VM in form["params"]["message"]
    assert foreign["error"]["code"] == INVALID_PARAMS
    assert executed_before == 0
    assert ack["result"]["resultType"] == "complete"
    assert done["status"] == "completed", done
    assert done["result"]["structuredContent"]["approval"] == "granted"
    assert done["result"]["structuredContent"]["state"] == "completed"
    assert cancel["result"]["resultType"] == "complete"
    assert second["taskId"] != task_id and cancelled["status"] == "cancelled"
    assert len(agent.executions()) == 1


def test_wire_task_status_through_listen(
        fleet: ControlFleet, store: Path, endpoints: Callable[..., Endpoint], mcp_schema: Callable[[str], MCPSchema]) -> None:
    """subscriptions/listen {tasksStatus}: acknowledged with the client's own task only; each change of
    it arrives as notifications/tasks/status (working, then completed), tagged with the subscription id;
    after notifications/cancelled the listen gets no response."""
    agent = endpoints([fleet.agent("pve-a")], "pve-a.json")
    capabilities = {"elicitation": {"form": {}}, "extensions": {TASKS: {}}}
    with RawServer(serve_argv(fleet, store, "controlled"), env=server_env(fleet.token)) as server:
        arguments = {"resourceId": PVE_VM, "action": "stop", "reason": "wire listen"}
        created = server.request("tools/call", {"name": "control_resource", "arguments": arguments, "_meta": meta(capabilities)})["result"]
        task_id = created["taskId"]
        listen_id = server.new_id()
        server.send({"jsonrpc": "2.0", "id": listen_id, "method": "subscriptions/listen", "params": {
            "notifications": {"tasksStatus": [task_id, "task-unknown"]}, "_meta": meta(capabilities)}})
        ack = json.loads(server.read_line())
        server.request("tasks/update", {"taskId": task_id, "inputResponses": {"approval": {"action": "accept", "content": {"approve": True}}},
                                        "_meta": meta(capabilities)})
        def statuses() -> list[dict[str, Any]]:
            return [m["params"] for m in server.messages() if m.get("method") == "notifications/tasks/status"]

        deadline = time.monotonic() + 10
        while not any(s["status"] == "completed" for s in statuses()) and time.monotonic() < deadline:
            server.read_line(timeout=max(0.1, deadline - time.monotonic()))
        seen = statuses()
        server.notify("notifications/cancelled", {"requestId": listen_id})
        server.request("tasks/get", {"taskId": task_id, "_meta": meta(capabilities)})  # a round trip after the cancel
        server.close_stdin()
        server.read_to_eof()
        lines = server.messages()
    schema = mcp_schema(MODERN_VERSION)
    for message in lines:
        schema.validate("JSONRPCMessage", message)
        if message.get("method") == "notifications/tasks/status":
            schema.validate("JSONRPCNotification", message)
            assert message["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == listen_id
            assert message["params"]["taskId"] == task_id and message["params"]["status"] in TASK_STATUSES
    assert ack["method"] == "notifications/subscriptions/acknowledged"
    assert ack["params"]["notifications"] == {"tasksStatus": [task_id]}
    assert [s["status"] for s in seen] == ["working", "completed"]
    schema.validate("CallToolResult", seen[-1]["result"])
    assert seen[-1]["result"]["structuredContent"]["approval"] == "granted"
    assert not any(m.get("id") == listen_id for m in lines), "a cancelled listen gets no response"
    assert len(agent.executions()) == 1
