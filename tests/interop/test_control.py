"""Control end to end: the built server, real reference endpoint processes, real sockets.

Every test runs on a hermetic copy of the demo fleet (control_fleet.py): agents answer on
Unix sockets under a private /tmp/pa-XXXX directory, platform connections on free TCP
ports on 127.0.0.1, each test on its own copy of the ingested store, and every endpoint is
a `pulse-assistant endpoint` process with its own state file, stopped when the test ends.
What the tests assert is what really happened: the action the server reports and the
executions the endpoint wrote to its state file (or did not).

The server is driven by the official Python MCP SDK client (mcp 2.3.0): it validates the
`structuredContent` of every successful result against the tool's `outputSchema`; the
`Assistant` wrapper below validates refused/failed/unknown results (`isError: true`, which
the SDK skips) against the same schema. Two raw-wire tests validate every line the server
writes, the `elicitation/create` request included, against the official MCP schema.

Control levels: `autonomous` for the execution, routing, refusal and fault tests;
`controlled` (approval through elicitation) and the default `read-only` in their own tests.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import pytest
from jsonschema import Draft202012Validator
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp_types import ElicitResult, Implementation

from control_fleet import DEMO_CLOCK, TOKEN_ENV, ControlFleet, Endpoint, executions, server_env, wire_key
from schemas import LATEST_VERSION, MCPSchema
from sdk import MODES, error_text
from wire import RawServer, initialize_params

pytestmark = pytest.mark.anyio

DOCKER_NGINX = "container/docker-01/nginx"
PVE_VM = "vm/pve-a/101"
PVE_VM_NO_AGENT = "vm/pve-d/144"
PBS_DATASTORE = "storage/pbs-01/main"
PMG = "pmg/pmg-01"
VSPHERE_VM = "vm/vc-01/vm-1001"
K8S_DEPLOYMENT = "deployment/k8s-prod/shop/web"
TRUENAS_APP = "app/nas-01/nextcloud"
TRUENAS = "truenas/nas-01"
PVE_API = "proxmox-pve/lab"  # the decoy: Proxmox VE is augmentation-only, its API path is never used

#: The server's action deadline in the fault tests (config `actionDeadlineMs`). The server waits
#: for an answer until the deadline plus a 500 ms grace (ControlProtocol.answerGrace), in which a
#: slow endpoint may still answer "failed: deadline passed"; the slow endpoint's delay is set well
#: past both, so the server gives up first and the action ends unknown.
DEADLINE_MS = 500
ANSWER_GRACE_MS = 500
SLOW_MS = 1800


# MARK: - fixtures


@pytest.fixture
def endpoints(fleet: ControlFleet, tmp_path: Path) -> Iterator[Callable[..., Endpoint]]:
    """Start reference endpoints: `endpoints([addresses], "state.json", *flags)`; all stopped at teardown."""
    started: list[Endpoint] = []

    def start(addresses: list[str], state: str, *flags: str, token_file: Path | None = None) -> Endpoint:
        endpoint = fleet.endpoint(addresses, tmp_path / state, *flags, token_file=token_file)
        started.append(endpoint)
        return endpoint

    yield start
    for endpoint in started:
        endpoint.stop()


@pytest.fixture
def everywhere(fleet: ControlFleet, endpoints: Callable[..., Endpoint]) -> Endpoint:
    """One endpoint on every agent and connection address: proof that nothing was sent anywhere."""
    return endpoints(sorted(fleet.addresses.values()), "everywhere.json")


def serve_argv(fleet: ControlFleet, store: Path, level: str | None, config: Path | None = None) -> list[str]:
    argv = [str(fleet.server_bin), "serve", "--store", str(store), "--clock", DEMO_CLOCK]
    if level:
        argv += ["--control-level", level]
    if config:
        argv += ["--config", str(config)]
    return argv


@pytest.fixture(scope="module")
def output_schemas(fleet: ControlFleet) -> dict[str, dict[str, Any]]:
    """Every tool's outputSchema, from tools/list at `autonomous` (read-only does not list control_resource)."""
    with RawServer(serve_argv(fleet, fleet.store, "autonomous"), env=server_env(fleet.token)) as server:
        server.request("initialize", initialize_params(LATEST_VERSION))
        server.notify("notifications/initialized")
        tools = server.request("tools/list")["result"]["tools"]
    schemas = {tool["name"]: tool["outputSchema"] for tool in tools}
    assert {"control_resource", "explain_control", "get_action_status"} <= set(schemas)
    return schemas


@dataclass
class Answer:
    is_error: bool
    content: dict[str, Any] | None
    text: str


@dataclass
class Assistant:
    """An SDK client session plus the checks every control call gets."""

    client: Client
    output_schemas: dict[str, dict[str, Any]]

    async def call(self, tool: str, arguments: dict[str, Any]) -> Answer:
        result = await self.client.call_tool(tool, arguments)
        text = error_text(result)
        content = result.structured_content
        if content is not None:
            # The SDK validated successful results already; isError results carry the action too.
            assert json.loads(text) == content, "the text block carries the same JSON"
            problems = [e.message for e in Draft202012Validator(self.output_schemas[tool]).iter_errors(content)]
            assert not problems, f"{tool} structuredContent violates its outputSchema: {problems}\n{content}"
        return Answer(result.is_error is True, content, text)

    async def ok(self, tool: str, **arguments: Any) -> dict[str, Any]:
        """A call that must succeed: its structured content."""
        answer = await self.call(tool, arguments)
        assert not answer.is_error, answer.text
        assert answer.content is not None
        return answer.content

    async def failed(self, tool: str, **arguments: Any) -> dict[str, Any]:
        """A call that must end refused, failed or unknown: isError, still carrying the action."""
        answer = await self.call(tool, arguments)
        assert answer.is_error, f"{tool} {arguments} succeeded: {answer.content}"
        assert answer.content is not None, f"an isError action without structuredContent: {answer.text}"
        return answer.content

    async def rejected(self, tool: str, **arguments: Any) -> str:
        """A call rejected before any decision: isError, no structured content; its text."""
        answer = await self.call(tool, arguments)
        assert answer.is_error, f"{tool} {arguments} succeeded: {answer.content}"
        assert answer.content is None, f"a rejected call carries an action: {answer.content}"
        return answer.text

    async def control(self, resource_id: str, action: str, reason: str = "interop test", **more: Any) -> dict[str, Any]:
        return await self.ok("control_resource", resourceId=resource_id, action=action, reason=reason, **more)

    async def refused(self, resource_id: str, action: str, reason: str = "interop test", **more: Any) -> dict[str, Any]:
        return await self.failed("control_resource", resourceId=resource_id, action=action, reason=reason, **more)


Serve = Callable[..., Any]


@pytest.fixture
def serve(fleet: ControlFleet, store: Path, output_schemas: dict[str, dict[str, Any]]) -> Serve:
    """`async with serve("autonomous", config=..., elicitation=..., mode=...) as assistant:`."""

    @asynccontextmanager
    async def start(level: str | None, *, config: Path | None = None, elicitation: Any = None,
                    mode: str = "legacy") -> AsyncIterator[Assistant]:
        argv = serve_argv(fleet, store, level, config)
        params = StdioServerParameters(command=argv[0], args=argv[1:], env={TOKEN_ENV: fleet.token})
        client = Client(params, mode=mode, read_timeout_seconds=20, elicitation_callback=elicitation,
                        client_info=Implementation(name="pulse-interop-tests", version="1.0"))
        async with client:
            yield Assistant(client, output_schemas)

    return start


def assert_executed_once(action: dict[str, Any], endpoint: Endpoint, resource_id: str, verb: str) -> dict[str, Any]:
    """The endpoint's state file holds exactly this one execution; returns the resource's state there."""
    [execution] = endpoint.executions()
    assert execution["actionId"] == action["actionId"]
    assert execution["resourceId"] == resource_id and execution["action"] == verb
    assert execution["idempotencyKey"] == wire_key(action)
    return endpoint.state()["resources"][resource_id]


# MARK: - autonomous: execute, route, refuse


async def test_restart_docker_container_executes_over_a_unix_socket(
        serve: Serve, fleet: ControlFleet, endpoints: Callable[..., Endpoint]) -> None:
    """A supported platform's own path: the Docker host's agent restarts the container, once per key."""
    agent = endpoints([fleet.agent("docker-01")], "docker-01.json")
    async with serve("autonomous") as pa:
        action = await pa.control(DOCKER_NGINX, "restart", idempotencyKey="restart-nginx-1")
        by_id = await pa.ok("get_action_status", actionId=action["actionId"])
        by_key = await pa.ok("get_action_status", idempotencyKey="restart-nginx-1")
        again = await pa.control(DOCKER_NGINX, "restart", idempotencyKey="restart-nginx-1")

    decision = action["decision"]
    assert action["state"] == "completed" and action["replayed"] is False and action["dryRun"] is False
    assert decision["outcome"] == "execute" and decision["controlClass"] == "supported"
    assert decision["controlLevel"] == "autonomous" and decision["needsApproval"] is False
    assert decision["route"] == {"kind": "agent", "id": "pulse-agent/docker-01", "endpoint": fleet.agent("docker-01")}
    assert action["approval"] == "not-needed" and "code" not in action
    assert action["observed"] == {"powerState": "running", "restarts": 1}
    assert assert_executed_once(action, agent, DOCKER_NGINX, "restart") == {"powerState": "running", "restarts": 1}
    assert by_id == by_key == action
    # The same key again: the first action, nothing sent.
    assert again["replayed"] is True and again["actionId"] == action["actionId"] and again["state"] == "completed"
    assert "nothing was sent again" in again["message"]
    assert len(agent.executions()) == 1


async def test_stop_pve_vm_routes_to_the_node_agent_never_the_api(
        serve: Serve, fleet: ControlFleet, endpoints: Callable[..., Endpoint]) -> None:
    """Proxmox VE is augmentation-only: the VM stop goes to pve-a's agent; the PVE API connection gets nothing."""
    agent = endpoints([fleet.agent("pve-a")], "pve-a.json")
    decoy = endpoints([fleet.addresses[PVE_API]], "pve-api.json")
    async with serve("autonomous") as pa:
        explained = await pa.ok("explain_control", resourceId=PVE_VM, action="stop")
        action = await pa.control(PVE_VM, "stop")

    [would] = explained["decisions"]
    route = {"kind": "agent", "id": "pulse-agent/pve-a", "endpoint": fleet.agent("pve-a")}
    assert would["outcome"] == "route" and would["route"] == route
    decision = action["decision"]
    assert action["state"] == "completed"
    assert decision["outcome"] == "route" and decision["controlClass"] == "augmentation-only"
    assert decision["route"] == route
    assert assert_executed_once(action, agent, PVE_VM, "stop") == {"powerState": "stopped"}
    assert decoy.executions() == [] and decoy.state()["resources"] == {}


async def test_stop_pve_vm_on_a_node_without_an_agent_is_refused(serve: Serve, everywhere: Endpoint) -> None:
    """No agent on pve-d: refused no_augmenting_agent, naming the node; the API path is not a fallback."""
    async with serve("autonomous") as pa:
        action = await pa.refused(PVE_VM_NO_AGENT, "stop")
    decision = action["decision"]
    assert action["state"] == "refused" and action["code"] == "no_augmenting_agent"
    assert decision["outcome"] == "refuse" and decision["code"] == "no_augmenting_agent"
    assert decision["controlClass"] == "augmentation-only" and "route" not in decision
    assert "pve-d" in decision["hint"], decision["hint"]
    assert "pve-d" in action["message"]
    assert everywhere.executions() == []


@pytest.mark.parametrize(("resource_id", "platform"), [(PBS_DATASTORE, "proxmox-pbs"), (PMG, "proxmox-pmg")])
async def test_read_only_platforms_take_no_action(serve: Serve, everywhere: Endpoint, resource_id: str,
                                                  platform: str) -> None:
    """PBS datastores and PMG take no actions: refused, the message names the read-only class; nothing sent."""
    async with serve("autonomous") as pa:
        action = await pa.refused(resource_id, "start")
    decision = action["decision"]
    assert action["state"] == "refused" and action["code"] == "action_not_applicable"
    assert decision["outcome"] == "refuse" and decision["controlClass"] == "read-only"
    assert f"{platform}, assistant control: read-only" in decision["message"], decision["message"]
    assert everywhere.executions() == []


async def test_vsphere_vm_is_refused_as_not_supported(serve: Serve, everywhere: Endpoint) -> None:
    """vSphere is admitted, not supported: no control class, refused platform_not_supported."""
    async with serve("autonomous") as pa:
        action = await pa.refused(VSPHERE_VM, "stop")
    assert action["state"] == "refused" and action["code"] == "platform_not_supported"
    assert action["decision"]["controlClass"] is None
    assert "vmware-vsphere" in action["message"]
    assert everywhere.executions() == []


async def test_scale_kubernetes_deployment(serve: Serve, fleet: ControlFleet,
                                           endpoints: Callable[..., Endpoint]) -> None:
    """The cluster's agent scales the deployment; replicas travel to the endpoint."""
    agent = endpoints([fleet.agent("k8s-prod")], "k8s-prod.json")
    async with serve("autonomous") as pa:
        action = await pa.control(K8S_DEPLOYMENT, "scale", replicas=4)
    assert action["state"] == "completed" and action["replicas"] == 4
    assert action["decision"]["outcome"] == "execute"
    assert action["decision"]["route"]["id"] == "pulse-agent/k8s-prod"
    assert assert_executed_once(action, agent, K8S_DEPLOYMENT, "scale") == {"replicas": 4}
    assert agent.executions()[0]["params"] == {"replicas": 4}


async def test_truenas_app_stop_over_tcp(serve: Serve, fleet: ControlFleet,
                                         endpoints: Callable[..., Endpoint]) -> None:
    """TrueNAS is api-backed: the stop goes to the TrueNAS connection over TCP on 127.0.0.1."""
    connection = endpoints([fleet.addresses[TRUENAS]], "truenas.json")
    async with serve("autonomous") as pa:
        action = await pa.control(TRUENAS_APP, "stop")
    decision = action["decision"]
    assert fleet.addresses[TRUENAS].startswith("tcp:127.0.0.1:")
    assert action["state"] == "completed" and decision["outcome"] == "execute"
    assert decision["route"] == {"kind": "platform-connection", "id": TRUENAS, "endpoint": fleet.addresses[TRUENAS]}
    assert assert_executed_once(action, connection, TRUENAS_APP, "stop") == {"powerState": "stopped"}


async def test_dry_run_changes_nothing(serve: Serve, fleet: ControlFleet,
                                       endpoints: Callable[..., Endpoint]) -> None:
    """dryRun decides and says where it would go, but records and sends nothing: the key stays unused."""
    agent = endpoints([fleet.agent("docker-01")], "docker-01.json")
    before = agent.state_file.read_bytes() if agent.state_file.exists() else None
    async with serve("autonomous") as pa:
        dry = await pa.control(DOCKER_NGINX, "stop", dryRun=True, idempotencyKey="dry-1")
        unknown = await pa.rejected("get_action_status", idempotencyKey="dry-1")
        after = agent.state_file.read_bytes() if agent.state_file.exists() else None
        real = await pa.control(DOCKER_NGINX, "stop", idempotencyKey="dry-1")

    assert dry["state"] == "dry-run" and dry["dryRun"] is True and dry["replayed"] is False
    assert "actionId" not in dry
    assert dry["decision"]["outcome"] == "execute" and dry["decision"]["route"]["id"] == "pulse-agent/docker-01"
    assert "nothing was recorded or sent" in dry["message"]
    assert '"dry-1"' in unknown
    assert after == before, "a dry run touched the endpoint's state file"
    # The key was never recorded: the real call with it is a first call.
    assert real["state"] == "completed" and real["replayed"] is False
    assert_executed_once(real, agent, DOCKER_NGINX, "stop")


# MARK: - faults


@dataclass(frozen=True)
class Fault:
    flags: tuple[str, ...] | None  # None: nothing listens
    state: str
    code: str
    applied: bool  # whether the faulty endpoint applies the action before misbehaving
    wrong_token: bool = False


FAULTS = {
    "down": Fault(None, "failed", "endpoint_unreachable", applied=False),
    "slow": Fault(("--delay-ms", str(SLOW_MS)), "unknown", "endpoint_no_answer", applied=False),
    "garbage": Fault(("--garbage",), "unknown", "endpoint_no_answer", applied=True),
    "drop": Fault(("--drop-connection",), "unknown", "endpoint_no_answer", applied=True),
    "token": Fault((), "failed", "endpoint_token_rejected", applied=False, wrong_token=True),
    "fail": Fault(("--fail-action", "restart", "--fail-action", "stop"), "failed", "endpoint_failed", applied=False),
}

#: (resource, action, the endpoint it goes to) over each transport.
TRANSPORTS = {
    "unix": (DOCKER_NGINX, "restart", "pulse-agent/docker-01"),
    "tcp": (TRUENAS_APP, "stop", TRUENAS),
}


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("fault", FAULTS)
async def test_fault_then_retry_with_the_same_key_replays(
        serve: Serve, fleet: ControlFleet, endpoints: Callable[..., Endpoint], tmp_path: Path,
        fault: str, transport: str) -> None:
    """A fault ends the action failed or unknown; after a healthy endpoint is back on the same address
    and state file, the same idempotencyKey replays the first action and never executes twice."""
    spec = FAULTS[fault]
    resource_id, verb, route_id = TRANSPORTS[transport]
    address = fleet.addresses[route_id]
    key = f"fault-{fault}-{transport}"
    config = None
    if fault == "slow":  # the default deadline (30 s) is too long to wait out
        config = tmp_path / "config.json"
        config.write_text(json.dumps({"actionDeadlineMs": DEADLINE_MS, "endpointToken": {"env": TOKEN_ENV}}))
    wrong_token = None
    if spec.wrong_token:
        wrong_token = tmp_path / "wrong-token"
        wrong_token.write_text("not-the-token\n")
        wrong_token.chmod(0o600)

    async with serve("autonomous", config=config) as pa:
        faulty = None if spec.flags is None else endpoints([address], "state.json", *spec.flags, token_file=wrong_token)
        first = await pa.failed("control_resource", resourceId=resource_id, action=verb, reason="fault", idempotencyKey=key)
        if fault == "slow":
            # Let the slow endpoint reach the end of its delay: past the deadline it must not apply.
            await anyio.sleep((SLOW_MS - DEADLINE_MS - ANSWER_GRACE_MS) / 1000 + 0.3)
        if faulty:
            faulty.stop()
        applied = executions(tmp_path / "state.json", key)
        healthy = endpoints([address], "state.json")
        retry = await pa.failed("control_resource", resourceId=resource_id, action=verb, reason="fault", idempotencyKey=key)
        status = await pa.ok("get_action_status", idempotencyKey=key)
        fresh = await pa.control(resource_id, verb, reason="fault", idempotencyKey=key + "-fresh")

    assert first["state"] == spec.state and first["code"] == spec.code, (first["code"], first["message"])
    assert first["replayed"] is False and first["decision"]["route"]["id"] == route_id
    if spec.state == "unknown":
        assert "dispatchedAt" in first, "an unknown action was sent"
        assert "may" in first["message"], "an unknown action says it may have run"
        if fault == "slow":
            assert f"{DEADLINE_MS} ms" in first["message"], first["message"]
    else:
        assert "nothing was" in first["message"], first["message"]
    assert len(applied) == (1 if spec.applied else 0), applied
    assert retry["replayed"] is True and retry["actionId"] == first["actionId"]
    assert retry["state"] == first["state"] and retry["code"] == first["code"]
    assert "nothing was sent again" in retry["message"]
    assert status["actionId"] == first["actionId"] and status["state"] == first["state"]
    assert healthy.executions(key) == applied, "the retry executed the action again"
    # The healthy endpoint does execute a new key: the replay was the key's doing.
    assert fresh["state"] == "completed" and len(healthy.executions(key + "-fresh")) == 1


# MARK: - controlled: approval through elicitation


@dataclass
class Human:
    """An elicitation callback that answers every approval form the same way and keeps what it saw."""

    action: str = "accept"
    content: dict[str, Any] | None = field(default_factory=lambda: {"approve": True})
    seen: list[Any] = field(default_factory=list)

    async def __call__(self, context: Any, params: Any) -> ElicitResult:
        self.seen.append(params)
        return ElicitResult(action=self.action, content=self.content)


def assert_approval_form(params: Any, fleet: ControlFleet, reason: str) -> None:
    """The form names what would happen: resource, action, route and the assistant's reason."""
    assert params.mode == "form"
    for needle in (PVE_VM, "stop", "pulse-agent/pve-a", fleet.agent("pve-a"), reason):
        assert needle in params.message, f"{needle!r} missing from the approval message: {params.message}"
    schema = params.requested_schema
    assert schema["type"] == "object" and schema["properties"]["approve"]["type"] == "boolean"
    assert schema.get("required") == ["approve"]


@pytest.mark.parametrize("mode", MODES)
async def test_controlled_accept_executes(serve: Serve, fleet: ControlFleet, endpoints: Callable[..., Endpoint],
                                          mode: str) -> None:
    """Under `controlled` the human is asked first; approve: true sends the action."""
    agent = endpoints([fleet.agent("pve-a")], "pve-a.json")
    human = Human()
    reason = "patch window CHG-4711"
    async with serve("controlled", elicitation=human, mode=mode) as pa:
        action = await pa.control(PVE_VM, "stop", reason=reason)
    [form] = human.seen
    assert_approval_form(form, fleet, reason)
    assert action["state"] == "completed" and action["approval"] == "granted"
    assert action["decision"]["controlLevel"] == "controlled" and action["decision"]["needsApproval"] is True
    assert assert_executed_once(action, agent, PVE_VM, "stop") == {"powerState": "stopped"}


@pytest.mark.parametrize(("answer", "content"), [("decline", None), ("cancel", None), ("accept", {"approve": False})])
async def test_controlled_without_approval_is_refused(serve: Serve, fleet: ControlFleet, everywhere: Endpoint,
                                                      answer: str, content: dict[str, Any] | None) -> None:
    """Decline, cancel or an unticked approve: refused approval_declined, nothing sent."""
    human = Human(answer, content)
    async with serve("controlled", elicitation=human) as pa:
        action = await pa.refused(PVE_VM, "stop", reason="not approved", idempotencyKey="nope")
        status = await pa.ok("get_action_status", idempotencyKey="nope")
    assert len(human.seen) == 1
    assert action["state"] == "refused" and action["code"] == "approval_declined"
    assert action["approval"] == "declined" and "dispatchedAt" not in action
    assert status["actionId"] == action["actionId"] and status["state"] == "refused"
    assert everywhere.executions() == []


async def test_controlled_without_elicitation_is_refused(serve: Serve, everywhere: Endpoint) -> None:
    """A client that did not declare elicitation cannot approve: refused approval_unavailable."""
    async with serve("controlled") as pa:
        action = await pa.refused(PVE_VM, "stop")
    assert action["state"] == "refused" and action["code"] == "approval_unavailable"
    assert action["approval"] == "unavailable"
    assert "elicitation" in action["message"]
    assert everywhere.executions() == []


# MARK: - read-only, adversarial


async def test_read_only_default_hides_and_refuses_control(serve: Serve, everywhere: Endpoint) -> None:
    """No level given: read-only. control_resource is not listed, and a call is refused control_disabled."""
    async with serve(None) as pa:
        listed = [tool.name for tool in (await pa.client.list_tools()).tools]
        action = await pa.refused(DOCKER_NGINX, "restart")
        explained = await pa.ok("explain_control", resourceId=DOCKER_NGINX, action="restart")
    assert "control_resource" not in listed
    assert {"explain_control", "get_action_status"} <= set(listed)
    assert action["state"] == "refused" and action["code"] == "control_disabled"
    assert action["decision"]["controlLevel"] == "read-only"
    assert explained["controlLevel"] == "read-only" and explained["decisions"][0]["code"] == "control_disabled"
    assert everywhere.executions() == []


async def test_adversarial_arguments_execute_nothing(serve: Serve, everywhere: Endpoint) -> None:
    """The caller cannot pick the route, endpoint, level or approval; ids are exact; actions are a closed set."""
    async with serve("autonomous") as pa:
        smuggled = await pa.rejected(
            "control_resource", resourceId=DOCKER_NGINX, action="stop", reason="x",
            endpoint=everywhere.addresses[0], route={"kind": "agent", "id": "pulse-agent/pve-a"},
            controlLevel="autonomous", approved=True)
        case_variant = await pa.refused("VM/pve-a/101", "stop")
        bad_action = await pa.rejected("control_resource", resourceId=PVE_VM, action="explode", reason="x")
        no_reason = await pa.rejected("control_resource", resourceId=PVE_VM, action="stop")
        not_for_type = await pa.refused(DOCKER_NGINX, "scale", replicas=3)
    for name in ("endpoint", "route", "controlLevel", "approved"):
        assert f"`{name}`" in smuggled, smuggled
    assert case_variant["code"] == "resource_not_found" and case_variant["state"] == "refused"
    assert '"explode"' in bad_action
    assert "reason" in no_reason
    assert not_for_type["code"] == "action_not_applicable"
    assert everywhere.executions() == []


async def test_an_idempotency_key_names_one_request(serve: Serve, fleet: ControlFleet,
                                                    endpoints: Callable[..., Endpoint]) -> None:
    """Reusing a key for a different request is rejected, not replayed and not executed."""
    agent = endpoints([fleet.agent("docker-01")], "docker-01.json")
    async with serve("autonomous") as pa:
        first = await pa.control(DOCKER_NGINX, "restart", idempotencyKey="one-request")
        other = await pa.rejected("control_resource", resourceId=DOCKER_NGINX, action="stop", reason="x",
                                  idempotencyKey="one-request")
    assert first["state"] == "completed"
    assert "one-request" in other and first["actionId"] in other, other
    assert_executed_once(first, agent, DOCKER_NGINX, "restart")


async def test_a_key_equal_to_an_earlier_action_id_is_executed_not_replayed(serve: Serve, fleet: ControlFleet,
                                                                           endpoints: Callable[..., Endpoint]) -> None:
    """Caller keys and keyless action ids are apart on the wire: the endpoint runs the second stop."""
    agent = endpoints([fleet.agent("docker-01")], "docker-01.json")
    async with serve("autonomous") as pa:
        first = await pa.control(DOCKER_NGINX, "restart")
        second = await pa.control(DOCKER_NGINX, "restart", idempotencyKey=first["actionId"])
    assert first["state"] == second["state"] == "completed" and second["replayed"] is False
    assert [e["idempotencyKey"] for e in agent.executions()] == [wire_key(first), wire_key(second)]
    assert agent.state()["resources"][DOCKER_NGINX]["restarts"] == 2


# MARK: - the wire, against the official MCP schema


def finish_and_validate(server: RawServer, schema: MCPSchema, methods: dict[Any, str]) -> list[dict[str, Any]]:
    """Ends the session (stdin closed, stdout read to its end) and validates every line the server wrote."""
    server.close_stdin()
    server.read_to_eof()
    messages = server.messages()
    for message in messages:
        validate_line(schema, message, methods)
    return messages


def validate_line(schema: MCPSchema, message: dict[str, Any], methods: dict[Any, str]) -> None:
    """A server line: a response to one of our requests, a notification, or a server request."""
    if "method" not in message:
        schema.validate_server_message(message, methods.get(message.get("id")))
        return
    schema.validate("JSONRPCMessage", message)
    kind = "Request" if "id" in message else "Notification"
    schema.validate(f"JSONRPC{kind}", message)
    schema.validate(f"Server{kind}", message)
    specific = {"elicitation/create": "ElicitRequest", "notifications/progress": "ProgressNotification"}
    if message["method"] in specific:
        schema.validate(specific[message["method"]], message)


def call_tool(server: RawServer, methods: dict[Any, str], name: str, arguments: dict[str, Any],
              meta: dict[str, Any] | None = None) -> int:
    rid = server.new_id()
    methods[rid] = "tools/call"
    params: dict[str, Any] = {"name": name, "arguments": arguments}
    if meta:
        params["_meta"] = meta
    server.send({"jsonrpc": "2.0", "id": rid, "method": "tools/call", "params": params})
    return rid


def test_wire_control_calls_validate_against_the_mcp_schema(
        fleet: ControlFleet, store: Path, endpoints: Callable[..., Endpoint], mcp_schema: Callable[[str], MCPSchema]) -> None:
    """Executed, routed, refused, rejected, dry-run and status answers, and progress notifications: every line valid."""
    endpoints([fleet.agent("docker-01"), fleet.agent("pve-a")], "state.json")
    methods: dict[Any, str] = {}
    with RawServer(serve_argv(fleet, store, "autonomous"), env=server_env(fleet.token)) as server:
        methods[1] = "initialize"
        assert server.request("initialize", initialize_params(LATEST_VERSION), id=1)["result"]
        server.notify("notifications/initialized")
        calls = [
            ("control_resource", {"resourceId": DOCKER_NGINX, "action": "restart", "reason": "wire", "idempotencyKey": "w1"},
             {"progressToken": "p-1"}),
            ("control_resource", {"resourceId": PVE_VM, "action": "stop", "reason": "wire"}, None),
            ("control_resource", {"resourceId": VSPHERE_VM, "action": "stop", "reason": "wire"}, None),
            ("control_resource", {"resourceId": PVE_VM, "action": "explode", "reason": "wire"}, None),
            ("control_resource", {"resourceId": DOCKER_NGINX, "action": "stop", "reason": "wire", "dryRun": True}, None),
            ("get_action_status", {"idempotencyKey": "w1"}, None),
            ("explain_control", {"resourceId": PVE_VM}, None),
        ]
        responses = [server.response_to(call_tool(server, methods, name, arguments, meta))
                     for name, arguments, meta in calls]
        messages = finish_and_validate(server, mcp_schema(LATEST_VERSION), methods)
    assert [r["result"].get("isError", False) for r in responses] == [False, False, True, True, False, False, False]
    assert [r["result"].get("structuredContent", {}).get("state") for r in responses[:5]] == \
        ["completed", "completed", "refused", None, "dry-run"]
    progress = [m for m in messages if m.get("method") == "notifications/progress"]
    assert progress and {m["params"]["progressToken"] for m in progress} == {"p-1"}


@pytest.mark.parametrize("version", ["2025-11-25", "2025-06-18"])
def test_wire_elicitation_request_validates_against_the_mcp_schema(
        fleet: ControlFleet, store: Path, endpoints: Callable[..., Endpoint],
        mcp_schema: Callable[[str], MCPSchema], version: str) -> None:
    """Under `controlled`, the elicitation/create the server sends is a valid request of the negotiated version."""
    agent = endpoints([fleet.agent("pve-a")], "pve-a.json")
    methods: dict[Any, str] = {1: "initialize"}
    with RawServer(serve_argv(fleet, store, "controlled"), env=server_env(fleet.token)) as server:
        hello = {**initialize_params(version), "capabilities": {"elicitation": {}}}
        assert server.request("initialize", hello, id=1)["result"]["protocolVersion"] == version
        server.notify("notifications/initialized")
        rid = call_tool(server, methods, "control_resource", {"resourceId": PVE_VM, "action": "stop", "reason": "wire"})
        while True:
            line = server.read_line()
            assert line is not None, "the server closed stdout before asking"
            request = json.loads(line)
            if request.get("method") == "elicitation/create":
                break
        server.send({"jsonrpc": "2.0", "id": request["id"], "result": {"action": "accept", "content": {"approve": True}}})
        response = server.response_to(rid)
        finish_and_validate(server, mcp_schema(version), methods)
    assert ("mode" in request["params"]) == (version == "2025-11-25")
    assert response["result"]["structuredContent"]["state"] == "completed"
    assert response["result"]["structuredContent"]["approval"] == "granted"
    assert len(agent.executions()) == 1


def test_wire_controlled_on_a_protocol_without_elicitation_is_refused(
        fleet: ControlFleet, store: Path, everywhere: Endpoint) -> None:
    """2025-03-26 has no elicitation: even a client claiming it cannot approve; refused approval_unavailable."""
    with RawServer(serve_argv(fleet, store, "controlled"), env=server_env(fleet.token)) as server:
        hello = {**initialize_params("2025-03-26"), "capabilities": {"elicitation": {}}}
        assert server.request("initialize", hello)["result"]["protocolVersion"] == "2025-03-26"
        server.notify("notifications/initialized")
        result = server.request("tools/call", {"name": "control_resource",
                                               "arguments": {"resourceId": PVE_VM, "action": "stop", "reason": "wire"}})["result"]
    assert result["isError"] is True
    action = json.loads(result["content"][0]["text"])
    assert action["code"] == "approval_unavailable" and "2025-03-26" in action["message"]
    assert everywhere.executions() == []
