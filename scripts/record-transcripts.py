#!/usr/bin/env python3
"""Record the golden transcripts in transcripts/ from live sessions.

    python3 scripts/record-transcripts.py [NAME ...]      (default: every scenario)

Each scenario starts `pulse-assistant serve --record transcripts/NAME.jsonl` on the embedded
demo fleet (clock fixed at 2026-11-28T10:00:00Z, endpoint sockets in a private directory), with
reference endpoints (`pulse-assistant endpoint --demo`, faults as the scenario says) when control
is open, plays its session over stdio, and then writes the private socket directory back as
/tmp/pulse-demo and the endpoints it started (with their faults) into the header, so that
`pulse-assistant replay` can rebuild the same world. The `sdk-session` scenario is played by the
official Python MCP SDK client (run it with the interop suite's .venv python).

Binary: $PULSE_ASSISTANT_BIN, else .build/debug/pulse-assistant. Standard library only, except
the SDK scenario.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "transcripts"
CLOCK = "2026-11-28T10:00:00Z"
TOKEN = "transcript-endpoint-token"
BIN = Path(os.environ.get("PULSE_ASSISTANT_BIN", REPO / ".build" / "debug" / "pulse-assistant"))
CLIENT = {"name": "record-transcripts", "version": "1"}


class Session:
    """A recorded server, one JSON-RPC line at a time; server requests go to `answer`."""

    def __init__(self, name: str, sockets: str, level: str = "read-only", extra: list[str] | None = None,
                 answer: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> None:
        self.path = OUT / f"{name}.jsonl"
        argv = [str(BIN), "serve", "--record", str(self.path), "--clock", CLOCK, "--demo-endpoints", sockets,
                "--control-level", level, *(extra or [])]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE_ASSISTANT_")}
        env["PULSE_ASSISTANT_ENDPOINT_TOKEN"] = TOKEN
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, env=env)
        self.buffer = b""
        self.next_id = 0
        self.answer = answer

    def send(self, message: Any) -> None:
        text = message if isinstance(message, str) else json.dumps(message, separators=(",", ":"))
        self.process.stdin.write(text.encode() + b"\n")

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return self.response(self.next_id)

    def response(self, rid: Any) -> dict[str, Any]:
        while True:
            message = json.loads(self.line())
            if "method" in message and "id" in message:
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": self.answer(message)})
            elif message.get("id") == rid and "method" not in message:
                return message

    def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def call(self, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
        return self.request("tools/call", {"name": tool, "arguments": arguments})["result"]

    def initialize(self, version: str = "2025-11-25", capabilities: dict[str, Any] | None = None) -> None:
        self.request("initialize", {"protocolVersion": version, "capabilities": capabilities or {}, "clientInfo": CLIENT})
        self.notify("notifications/initialized")

    def line(self, timeout: float = 30) -> bytes:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError("no answer from the server")
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                raise EOFError("the server closed stdout")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line

    def close(self) -> None:
        self.process.stdin.close()
        self.process.stdout.read()
        assert self.process.wait(timeout=60) == 0, f"{self.path.name}: the server exited non-zero"


class Endpoints:
    """`pulse-assistant endpoint --demo` on the private socket directory, with faults."""

    def __init__(self, sockets: str, faults: dict[str, Any]) -> None:
        token = Path(sockets) / "token"
        token.write_text(TOKEN + "\n")
        token.chmod(0o600)
        argv = [str(BIN), "endpoint", "--demo", "--demo-endpoints", sockets, "--state", f"{sockets}/state.json",
                "--token-file", str(token)]
        if faults.get("delayMs"):
            argv += ["--delay-ms", str(faults["delayMs"])]
        for action in faults.get("failActions", []):
            argv += ["--fail-action", action]
        if faults.get("dropConnection"):
            argv.append("--drop-connection")
        if faults.get("garbage"):
            argv.append("--garbage")
        self.process = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True)
        for _ in range(16):  # one line per agent and connection of the demo
            line = self.process.stderr.readline()
            assert line.startswith("listening on"), line

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def finalize(path: Path, sockets: str, endpoints: list[dict[str, Any]] | None) -> None:
    """The private socket directory written back as /tmp/pulse-demo; the endpoints as started."""
    text = path.read_text().replace(sockets, "/tmp/pulse-demo")
    lines = text.splitlines()
    header = json.loads(lines[0])
    if endpoints is not None:
        header["transcript"]["endpoints"] = endpoints
    lines[0] = json.dumps(header, separators=(",", ":"), ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n")


def scenario(name: str, play: Callable[[Session], None], level: str = "read-only", extra: list[str] | None = None,
             faults: dict[str, Any] | None = None, answer: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
             endpoints: bool | None = None) -> None:
    sockets = tempfile.mkdtemp(prefix="pa-rec-", dir="/tmp")
    running = endpoints if endpoints is not None else level != "read-only"
    started = Endpoints(sockets, faults or {}) if running else None
    session = Session(name, sockets, level, extra, answer)
    try:
        play(session)
    finally:
        session.close()
        if started:
            started.stop()
    spec = [{"for": ["*"], **(faults or {})}] if running else []
    finalize(session.path, sockets, spec)
    shutil.rmtree(sockets, ignore_errors=True)
    print(f"recorded {session.path.relative_to(REPO)}")


# MARK: - scenarios


def handshake(version: str) -> Callable[[Session], None]:
    def play(s: Session) -> None:
        s.request("server/discover")
        s.initialize(version)
        s.request("ping")
        s.request("tools/list")
        s.request("resources/templates/list")
    return play


def read_tools(s: Session) -> None:
    s.initialize()
    cursor = None
    while True:  # a pagination walk of every supported resource, 100 at a time
        page = s.call("search_resources", {"limit": 100, **({"cursor": cursor} if cursor else {})})
        cursor = page["structuredContent"].get("nextCursor")
        if not cursor:
            break
    s.call("search_resources", {"types": ["vm"], "statuses": ["online"], "sort": "cpu", "limit": 5, "detail": True})
    s.call("search_resources", {"platforms": ["vmware"], "includeUnsupported": True, "limit": 3})
    s.call("search_resources", {"text": "web", "limit": 5})
    s.call("get_resource", {"id": "vm/pve-a/101"})
    s.call("get_resource", {"name": "web-01"})
    s.call("get_resource", {"id": "vm/pve-a/10"})
    s.call("get_resource", {"id": "vm/vc-01/vm-1001"})
    s.call("get_topology", {"rootId": "agent/pve-a", "depth": 1, "maxNodes": 20})
    cursor = None
    while True:
        page = s.call("list_alerts", {"limit": 10, **({"cursor": cursor} if cursor else {})})
        cursor = page["structuredContent"].get("nextCursor")
        if not cursor:
            break
    s.call("get_storage_summary", {"minUsage": 0.5, "limit": 5})
    s.call("list_recovery_points", {"resourceId": "vm/pve-a/101", "limit": 3})
    s.call("list_recovery_points", {"resourceId": "container/docker-01/nginx"})
    s.call("get_metrics", {"resourceId": "agent/pve-a", "metric": "cpu", "maxPoints": 6})
    s.call("get_platform_support", {"platform": "vmware"})
    s.call("explain_control", {"resourceId": "vm/pve-a/101"})
    s.call("get_action_status", {"actionId": "act-000404"})
    s.request("resources/list", {})
    s.request("resources/read", {"uri": "pulse://resource/vm%2Fpve-a%2F101"})
    s.request("resources/read", {"uri": "pulse://platform/pve"})


CONTROL_CALLS = [
    ("container/docker-01/nginx", "restart", {}),      # docker, supported: executed by the host's agent
    ("app/nas-01/nextcloud", "stop", {}),               # truenas, supported: executed through its connection
    ("deployment/k8s-prod/shop/web", "scale", {"replicas": 4}),  # kubernetes, supported
    ("vm/pve-a/101", "stop", {}),                       # proxmox-pve, augmentation-only: routed to pve-a's agent
    ("vm/pve-d/144", "stop", {}),                       # augmentation-only without an agent: refused
    ("vm/pve-b/117", "stop", {}),                       # the agent has commands disabled: refused
    ("storage/pbs-01/main", "start", {}),               # proxmox-pbs, read-only
    ("pmg/pmg-01", "start", {}),                        # proxmox-pmg, read-only
    ("vm/vc-01/vm-1001", "stop", {}),                   # vmware-vsphere, admitted: not supported
]


def control_calls(level: str) -> Callable[[Session], None]:
    def play(s: Session) -> None:
        s.initialize(capabilities={"elicitation": {"form": {}}} if level == "controlled" else {})
        s.request("tools/list")
        for index, (resource, action, extra) in enumerate(CONTROL_CALLS):
            s.call("explain_control", {"resourceId": resource, "action": action, **extra})
            s.call("control_resource", {"resourceId": resource, "action": action, "reason": f"transcript {level}",
                                        "idempotencyKey": f"{level}-{index}", **extra})
        s.call("control_resource", {"resourceId": "container/docker-01/nginx", "action": "restart",
                                    "reason": "the same key again", "idempotencyKey": f"{level}-0"})
        s.call("get_action_status", {"idempotencyKey": f"{level}-3"})
        s.call("control_resource", {"resourceId": "vm/pve-a/102", "action": "stop", "reason": "dry run", "dryRun": True})
        s.call("get_resource", {"id": "vm/pve-a/101"})
    return play


def approvals() -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The human: approves every other request, starting with yes."""
    answers = iter([True, False] * 20)

    def answer(request: dict[str, Any]) -> dict[str, Any]:
        return {"action": "accept", "content": {"approve": True}} if next(answers) else {"action": "decline"}
    return answer


def no_elicitation(s: Session) -> None:
    s.initialize(capabilities={})
    s.call("control_resource", {"resourceId": "vm/pve-a/101", "action": "stop", "reason": "no approval possible"})


# MARK: - 2026-07-28 (stateless: every request carries its _meta; no initialize)

MODERN = "2026-07-28"


def modern_meta(capabilities: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    return {"io.modelcontextprotocol/protocolVersion": MODERN,
            "io.modelcontextprotocol/clientCapabilities": capabilities or {},
            "io.modelcontextprotocol/clientInfo": CLIENT, **more}


def modern(s: Session, method: str, params: dict[str, Any] | None = None, meta: dict[str, Any] | None = None,
           ) -> dict[str, Any]:
    return s.request(method, {**(params or {}), "_meta": meta if meta is not None else modern_meta()})


def modern_session(s: Session) -> None:
    """Discover, stateless reads, and every error of the era; a legacy session beside it stays legacy."""
    modern(s, "server/discover")
    modern(s, "tools/list")
    modern(s, "tools/call", {"name": "get_platform_support", "arguments": {"platform": "pve"}})
    modern(s, "tools/call", {"name": "get_resource", "arguments": {"id": "vm/pve-a/101"}})
    modern(s, "resources/templates/list")
    modern(s, "resources/read", {"uri": "pulse://platform/docker"})
    modern(s, "resources/read", {"uri": "pulse://resource/no%2Fsuch"})             # -32602, not -32002
    modern(s, "server/discover", meta=modern_meta() | {"io.modelcontextprotocol/protocolVersion": "2099-01-01"})  # -32022
    modern(s, "tools/list", meta={"io.modelcontextprotocol/protocolVersion": MODERN})  # -32602: no capabilities
    modern(s, "tools/list", meta=modern_meta(**{"io.modelcontextprotocol/logLevel": "loud"}))  # -32602
    for removed in ["ping", "logging/setLevel", "resources/subscribe", "initialize"]:
        modern(s, removed)                                                         # -32601
    s.next_id += 1                                                                 # listen: ack, then cancelled
    listen = s.next_id
    s.send({"jsonrpc": "2.0", "id": listen, "method": "subscriptions/listen", "params": {
        "notifications": {"resourcesListChanged": True, "resourceSubscriptions": ["pulse://matrix"]}, "_meta": modern_meta()}})
    ack = json.loads(s.line())
    assert ack["method"] == "notifications/subscriptions/acknowledged", ack
    s.notify("notifications/cancelled", {"requestId": listen})
    s.request("server/discover")                                                   # no _meta: legacy, -32601
    s.initialize()
    s.request("tools/list")                                                        # legacy: no resultType
    modern(s, "tools/list")                                                        # modern beside it


def modern_approvals(s: Session) -> None:
    """Controlled: approve through InputRequiredResult, decline, ask again, altered and replayed states, -32021."""
    form = {"elicitation": {"form": {}}}
    accept = {"approval": {"action": "accept", "content": {"approve": True}}}

    def control(arguments: dict[str, Any], capabilities: dict[str, Any] | None = form, **more: Any) -> dict[str, Any]:
        return modern(s, "tools/call", {"name": "control_resource", "arguments": arguments, **more},
                      meta=modern_meta(capabilities))

    stop = {"resourceId": "vm/pve-a/101", "action": "stop", "reason": "transcript 2026-07-28"}
    state = control(stop)["result"]["requestState"]
    control(stop, requestState=state)                                              # no answer: asked again
    control(stop, requestState=state[:-4] + ("AAAA" if not state.endswith("AAAA") else "BBBB"), inputResponses=accept)
    control({**stop, "resourceId": "vm/pve-a/102"}, requestState=state, inputResponses=accept)  # another resource
    control(stop, requestState=state, inputResponses=accept)                       # approved: sent once
    control(stop, requestState=state, inputResponses=accept)                       # replayed: -32602, nothing sent
    restart = {"resourceId": "container/docker-01/nginx", "action": "restart", "reason": "transcript decline"}
    declined = control(restart)["result"]["requestState"]
    control(restart, requestState=declined, inputResponses={"approval": {"action": "decline"}})
    control(stop, capabilities={})                                                 # -32021
    modern(s, "tools/call", {"name": "get_action_status", "arguments": {"actionId": "act-000003"}})


def modern_tasks(s: Session) -> None:
    """The tasks extension: a handle, the approval through tasks/update, cancels before and after the
    dispatch, a decline, foreign and unknown ids, and the calls that make no task."""
    tasks = {"elicitation": {"form": {}}, "extensions": {"io.modelcontextprotocol/tasks": {}}}
    accept = {"approval": {"action": "accept", "content": {"approve": True}}}

    def control(arguments: dict[str, Any], capabilities: dict[str, Any] = tasks) -> dict[str, Any]:
        return modern(s, "tools/call", {"name": "control_resource", "arguments": arguments}, meta=modern_meta(capabilities))

    def task(method: str, task_id: str, capabilities: dict[str, Any] = tasks, client: dict[str, str] | None = None,
             **more: Any) -> dict[str, Any]:
        meta = modern_meta(capabilities)
        if client:
            meta["io.modelcontextprotocol/clientInfo"] = client
        return modern(s, method, {"taskId": task_id, **more}, meta=meta)

    modern(s, "server/discover")                                                   # advertises the extension
    stop = {"resourceId": "vm/pve-a/101", "action": "stop", "reason": "transcript task"}
    first = control(stop)["result"]["taskId"]                                      # input_required: row planned
    task("tasks/get", first)                                                       # the approval form
    task("tasks/update", first, inputResponses={"other": {"action": "accept"}})    # not outstanding: ignored
    task("tasks/update", first, inputResponses=accept)
    task("tasks/get", first)                                                       # working: sent (3 s endpoint)
    task("tasks/cancel", first)                                                    # acknowledged, not honoured
    task("tasks/get", first)
    restart = {"resourceId": "container/docker-01/nginx", "action": "restart", "reason": "transcript task cancel"}
    second = control(restart)["result"]["taskId"]
    task("tasks/cancel", second)                                                   # honoured: nothing sent
    task("tasks/get", second)                                                      # cancelled
    third = control({**restart, "reason": "transcript task decline"})["result"]["taskId"]
    task("tasks/update", third, inputResponses={"approval": {"action": "decline"}})
    task("tasks/get", third)                                                       # completed: approval_declined
    task("tasks/get", first, client={"name": "someone-else", "version": "1"})     # -32602
    task("tasks/get", "task-AAAAAAAAAAAAAAAAAAAAAAAA")                             # -32602
    task("tasks/get", first, capabilities={"elicitation": {"form": {}}})           # -32021: extension not declared
    control(stop, capabilities={"elicitation": {"form": {}}})                      # without it: MRTR, as before
    control({**stop, "dryRun": True})                                              # no row, no task
    modern(s, "tools/call", {"name": "get_action_status", "arguments": {"actionId": "act-000002"}})


def fault(name: str) -> Callable[[Session], None]:
    def play(s: Session) -> None:
        s.initialize()
        arguments = {"resourceId": "vm/pve-a/101", "action": "stop", "reason": f"endpoint {name}", "idempotencyKey": name}
        s.call("control_resource", arguments)
        s.call("control_resource", arguments)  # the retry with the same key: the first action, nothing sent again
        s.call("get_action_status", {"idempotencyKey": name})
    return play


def bad_input(s: Session) -> None:
    s.request("tools/list")  # before initialize
    s.send("{this is not json")
    s.send('[{"jsonrpc":"2.0","id":50,"method":"ping"}]')
    s.send('{"jsonrpc":"1.0","id":51,"method":"ping"}')
    s.line(), s.line(), s.line()
    s.initialize()
    s.request("no/such/method")
    s.request("tools/call", {"arguments": {}})
    s.request("tools/call", {"name": "no_such_tool"})
    s.call("search_resources", {"limit": 0, "colour": "red"})
    s.request("resources/read", {"uri": "pulse://nothing-here"})
    s.send("x" * 2000)
    s.line()
    s.notify("notifications/whatever")
    s.request("ping")


def cancellation(s: Session) -> None:
    s.initialize()
    s.send({"jsonrpc": "2.0", "id": "slow", "method": "tools/call",
            "params": {"name": "control_resource", "arguments": {"resourceId": "vm/pve-a/101", "action": "stop",
                                                                 "reason": "cancelled while the agent works"}}})
    time.sleep(0.3)
    s.notify("notifications/cancelled", {"requestId": "slow", "reason": "the user changed their mind"})
    s.request("ping")


def sdk_session(_: Session) -> None:
    raise NotImplementedError  # played by sdk_scenario


def sdk_scenario() -> None:
    """A session of the official Python MCP SDK client, recorded by the server it spawns."""
    import anyio
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    path = OUT / "sdk-session.jsonl"
    sockets = tempfile.mkdtemp(prefix="pa-rec-", dir="/tmp")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE_ASSISTANT_")}

    async def main() -> None:
        params = StdioServerParameters(command=str(BIN), args=["serve", "--record", str(path), "--clock", CLOCK,
                                                               "--demo-endpoints", sockets], env=env)
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            await session.list_tools()
            await session.call_tool("search_resources", {"types": ["vm"], "limit": 3})
            await session.call_tool("get_resource", {"id": "vm/pve-a/101"})
            await session.call_tool("explain_control", {"resourceId": "vm/pve-a/101", "action": "stop"})
            await session.list_resources()
            await session.read_resource("pulse://matrix")

    anyio.run(main)
    finalize(path, sockets, [])
    shutil.rmtree(sockets, ignore_errors=True)
    print(f"recorded {path.relative_to(REPO)}")


def short_deadline() -> str:
    """A config file giving endpoints 500 ms to answer, so that a 1.5 s endpoint is past its deadline."""
    path = Path(tempfile.mkdtemp(prefix="pa-rec-")) / "config.json"
    path.write_text('{"actionDeadlineMs": 500}')
    atexit.register(shutil.rmtree, path.parent, True)
    return str(path)


SCENARIOS: dict[str, Callable[[], None]] = {
    **{f"handshake-{v}": (lambda v=v: scenario(f"handshake-{v}", handshake(v)))
       for v in ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]},
    "read-tools": lambda: scenario("read-tools", read_tools),
    "control-read-only": lambda: scenario("control-read-only", control_calls("read-only")),
    "control-controlled": lambda: scenario("control-controlled", control_calls("controlled"), level="controlled",
                                           answer=approvals()),
    "control-controlled-no-elicitation": lambda: scenario("control-controlled-no-elicitation", no_elicitation,
                                                          level="controlled"),
    "control-autonomous": lambda: scenario("control-autonomous", control_calls("autonomous"), level="autonomous"),
    "fault-endpoint-down": lambda: scenario("fault-endpoint-down", fault("endpoint-down"), level="autonomous",
                                            endpoints=False),
    "fault-garbage": lambda: scenario("fault-garbage", fault("garbage"), level="autonomous", faults={"garbage": True}),
    "fault-disconnect": lambda: scenario("fault-disconnect", fault("disconnect"), level="autonomous",
                                         faults={"dropConnection": True}),
    "fault-failed-action": lambda: scenario("fault-failed-action", fault("failed-action"), level="autonomous",
                                            faults={"failActions": ["stop"]}),
    "fault-slow": lambda: scenario("fault-slow", fault("slow"), level="autonomous", faults={"delayMs": 1500},
                                   extra=["--config", short_deadline()]),
    "bad-input": lambda: scenario("bad-input", bad_input, extra=["--max-line-bytes", "1024"]),
    "cancellation": lambda: scenario("cancellation", cancellation, level="autonomous", faults={"delayMs": 2000}),
    "sdk-session": sdk_scenario,
    "modern-session": lambda: scenario("modern-session", modern_session),
    "modern-approvals": lambda: scenario("modern-approvals", modern_approvals, level="controlled"),
    "modern-tasks": lambda: scenario("modern-tasks", modern_tasks, level="controlled", faults={"delayMs": 3000}),
}


def main() -> int:
    names = sys.argv[1:] or list(SCENARIOS)
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        print(f"unknown scenario {', '.join(unknown)}; known: {', '.join(SCENARIOS)}", file=sys.stderr)
        return 2
    OUT.mkdir(exist_ok=True)
    for name in names:
        SCENARIOS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
