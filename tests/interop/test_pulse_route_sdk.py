"""The official Python MCP SDK client drives a control call through the pulse route: `serve --pulse-url`
at `controlled` against the fake Pulse, the human approving (or declining) through the SDK's
elicitation callback, in every protocol mode. The fake's call log shows what reached Pulse."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp_types import ElicitResult, Implementation

from pulse_sync import TOKEN, fake_get, start_fake, stop_fake
from sdk import MODES, structured

pytestmark = pytest.mark.anyio

# Guests of the fake's seed-1 fleet of 300 whose node agent is connected and that offer shutdown now:
# one per mode, since a shutdown changes what the fake offers next.
RUNNING_VMS = {"legacy": "vm-a90911358e9ac079", "2026-07-28": "vm-eae63145369c0ec9", "auto": "vm-2c1366668b9dd372"}
GRAFANA = "app-container-fdc0d00b47ba47cd"


@dataclass
class Human:
    """An elicitation callback that answers every approval the same way and keeps what it was shown."""

    action: str = "accept"
    seen: list[Any] = field(default_factory=list)

    async def __call__(self, context: Any, params: Any) -> ElicitResult:
        self.seen.append(params)
        return ElicitResult(action=self.action, content={"approve": True} if self.action == "accept" else None)


@pytest.fixture(scope="module")
def fake():
    proc, url, _ = start_fake("--resources", "300", "--seed", "1", "--token", TOKEN)
    yield url
    stop_fake(proc)


def action_calls(url: str, resource: str) -> list[str]:
    """The lifecycle calls the fake received for `resource`'s actions, as `METHOD /api/actions/…`."""
    ids = {a["id"] for a in fake_get(url, "/_fake/actions") if a.get("request", {}).get("resourceId") == resource}
    return [f"{e['method']} {e['path']}" for e in fake_get(url, "/_fake/log")
            if e["path"].startswith("/api/actions/") and any(i in e["path"] for i in ids)]


async def control(server_bin, url: str, mode: str, human: Human, arguments: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    command = [str(server_bin), "serve", "--pulse-url", url, "--control-level", "controlled"]
    params = StdioServerParameters(command=command[0], args=command[1:], env={"PULSE_API_TOKEN": TOKEN})
    client = Client(params, mode=mode, read_timeout_seconds=60, elicitation_callback=human,
                    client_info=Implementation(name="pulse-interop-tests", version="1.0"))
    async with client:
        result = await client.call_tool("control_resource", arguments)
        # A refusal is an error result with the action as structuredContent: read it either way.
        return (structured(result) if not result.is_error else result.structured_content), bool(result.is_error)


@pytest.mark.parametrize("mode", MODES)
async def test_an_approved_shutdown_runs_once_through_pulse(server_bin, fake, mode):
    vm, human = RUNNING_VMS[mode], Human()
    action, failed = await control(server_bin, fake, mode, human, {
        "resourceId": vm, "action": "shutdown", "reason": "interop: approved through the SDK", "idempotencyKey": f"sdk-{mode}"})
    assert not failed and action["state"] == "completed", action
    assert action["decision"]["route"]["kind"] == "pulse"
    [form] = human.seen
    assert vm in form.message and "interop: approved through the SDK" in form.message
    assert TOKEN not in form.message and TOKEN not in str(action)
    calls = action_calls(fake, vm)
    assert [c for c in calls if c.endswith("/decision")] and len([c for c in calls if c.endswith("/execute")]) == 1, calls


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_a_declined_approval_sends_no_decision_and_no_execute(server_bin, fake, mode):
    human = Human(action="decline")
    action, _ = await control(server_bin, fake, mode, human, {
        "resourceId": GRAFANA, "action": "restart", "reason": f"interop: declined ({mode})"})
    assert action["state"] == "refused" and action["code"] == "approval_declined", action
    assert len(human.seen) == 1
    calls = action_calls(fake, GRAFANA)
    assert not [c for c in calls if c.endswith("/decision") or c.endswith("/execute")], calls
