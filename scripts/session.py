#!/usr/bin/env python3
"""Play an assistant-style MCP session against pulse-assistant and print it readably.

    python3 scripts/session.py [PATH-TO-pulse-assistant]

Spawns `pulse-assistant serve` (the path given, else $PULSE_ASSISTANT_BIN, else
.build/release/pulse-assistant) the way an MCP host does, speaks line-delimited
JSON-RPC 2.0 to it over its stdin/stdout, and prints each step: what was sent
(→), what came back (←) and how long the round trip took. Standard library only.

Then a second session asks for control: it starts the reference endpoint on the
demo fleet's agent sockets (`pulse-assistant endpoint --demo`), serves at control
level `controlled`, and plays the human who approves or declines each action
(the server asks through MCP elicitation). Exits non-zero if the server
misbehaves or says something it must not.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
TOOL = "get_platform_support"
WIDTH = min(shutil.get_terminal_size((100, 24)).columns, 100)


class SessionError(Exception):
    pass


class Server:
    """The server as a child process, one JSON-RPC line at a time.

    A request the server sends while a response is awaited (an approval, through
    elicitation) goes to `on_request`, whose return value is the answer.
    """

    def __init__(self, argv: list[str], env: dict[str, str] | None = None,
                 on_request: Any = None) -> None:
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, env=env)
        self._buffer = b""
        self._next_id = 0
        self.on_request = on_request

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin
        self.process.stdin.write(json.dumps(message, separators=(",", ":")).encode() + b"\n")

    def request(self, method: str, params: dict[str, Any] | None = None) -> tuple[dict[str, Any], float]:
        """Send a request; return its response and the round trip in milliseconds."""
        self._next_id += 1
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": self._next_id, "method": method}
        if params is not None:
            message["params"] = params
        started = time.perf_counter()
        self.send(message)
        while True:
            response = json.loads(self._read_line())
            if "method" in response and "id" in response and self.on_request:
                answer = self.on_request(response["method"], response.get("params", {}))
                self.send({"jsonrpc": "2.0", "id": response["id"], "result": answer})
                continue
            if response.get("id") == self._next_id:
                return response, (time.perf_counter() - started) * 1000

    def notify(self, method: str) -> None:
        self.send({"jsonrpc": "2.0", "method": method})

    def finish(self) -> int:
        """Close stdin, as a host does at the end of a session, and wait for the exit code."""
        assert self.process.stdin
        self.process.stdin.close()
        leftover = self.process.stdout.read() if self.process.stdout else b""
        if leftover.strip():
            raise SessionError(f"unexpected output after the session: {leftover[:200]!r}")
        return self.process.wait(timeout=10)

    def _read_line(self, timeout: float = 10) -> bytes:
        assert self.process.stdout
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise SessionError(f"no answer from the server within {timeout:g}s")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise SessionError(f"the server closed stdout (exit code {self.process.poll()})")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line


# MARK: - printing


def sent(text: str) -> None:
    print(f"\n→ {text}")


def received(text: str, ms: float | None = None) -> None:
    timing = f"  ({ms:.2f} ms)" if ms is not None else ""
    print(f"← {text}{timing}")


def block(text: str, indent: int = 4) -> None:
    pad = " " * indent
    print(textwrap.fill(text, width=WIDTH, initial_indent=pad, subsequent_indent=pad,
                        break_long_words=False, break_on_hyphens=False))


def result_of(response: dict[str, Any]) -> dict[str, Any]:
    if "error" in response:
        error = response["error"]
        raise SessionError(f"protocol error {error.get('code')}: {error.get('message')}")
    return response["result"]


def call(server: Server, arguments: dict[str, Any], tool: str = TOOL) -> tuple[dict[str, Any], float]:
    shown = json.dumps(arguments, separators=(",", ":"))
    sent(f"tools/call {tool} {shown}")
    response, ms = server.request("tools/call", {"name": tool, "arguments": arguments})
    return result_of(response), ms


def structured(server: Server, tool: str, arguments: dict[str, Any]) -> tuple[dict[str, Any], float]:
    """Call a tool that must succeed; return its structured content."""
    result, ms = call(server, arguments, tool)
    expect(not result.get("isError"), f"{tool} failed: {result.get('content')}")
    return result["structuredContent"], ms


def percent(value: Any) -> str:
    return f"{value * 100:.0f}%" if isinstance(value, (int, float)) else "—"


def sparkline(values: list[float]) -> str:
    bars = "▁▂▃▄▅▆▇█"
    if not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1
    return "".join(bars[int((value - low) / span * (len(bars) - 1))] for value in values)


def investigate(server: Server) -> None:
    """What an assistant does when asked "is anything wrong with the fleet?"."""
    print("\n— the fleet: read tools over the embedded demo store —")
    alerts, ms = structured(server, "list_alerts", {"severities": ["critical"], "limit": 5})
    received(f"{len(alerts['alerts'])} critical alerts (most recent first)", ms)
    for alert in alerts["alerts"]:
        print(f"    {alert['since']}  {alert['resourceName']:<18} ({alert['resourceType']}, {alert['platform']}): {alert['message']}")

    busiest, ms = structured(server, "search_resources",
                             {"types": ["vm"], "statuses": ["online"], "sort": "cpu", "limit": 5, "tag": "prod"})
    received(f"the {len(busiest['resources'])} busiest running production VMs", ms)
    for row in busiest["resources"]:
        print(f"    {row['name']:<18} {row['id']:<20} cpu {percent(row.get('cpu')):>4}  memory {percent(row.get('memoryUsage')):>4}")
    vm = busiest["resources"][0]

    detail, ms = structured(server, "get_resource", {"id": vm["id"]})
    chain = " ← ".join(parent["name"] for parent in detail["parentChain"])
    received(f"{detail['resource']['name']} on {chain or 'no parent'}", ms)
    recovery = detail["recovery"]
    latest = recovery.get("latest", {}).get("at", "none")
    block(f"{len(detail['alerts'])} alerts; {recovery['count']} recovery points (latest {latest}); "
          f"assistant control: {detail['platformSupport'].get('assistantControl')}, "
          f"control level {detail['control']['controlLevel']}")

    recorded = [series["metric"] for series in detail["metricHistory"]]
    block("metric history: " + (", ".join(recorded) if recorded else "none recorded"))
    # Without history of its own, look at the node it runs on.
    subject = vm["id"] if "cpu" in recorded else vm["parentId"]
    history, ms = structured(server, "get_metrics", {"resourceId": subject, "metric": "cpu", "maxPoints": 24})
    values = [point["value"] for point in history["points"]]
    received(f"{subject} cpu, {history['from']} … {history['to']}: {history['sampleCount']} samples → {len(values)} points", ms)
    print(f"    {sparkline(values)}  {percent(min(values))}–{percent(max(values))}")

    tree, ms = structured(server, "get_topology", {"rootId": vm["parentId"], "depth": 1, "maxNodes": 50})
    [node] = tree["roots"]
    kinds: dict[str, int] = {}
    for child in node.get("children", []):
        kinds[child["type"]] = kinds.get(child["type"], 0) + 1
    received(f"{node['name']} ({node['type']}): {node['childCount']} children — "
             + ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items())), ms)

    storage, ms = structured(server, "get_storage_summary", {"minUsage": 0.8, "limit": 5})
    received(f"{len(storage['resources'])} storage resources at least 80% full", ms)
    for row in storage["resources"]:
        print(f"    {row['name']:<22} {row['type']:<14} {row['platform']:<12} {percent(row.get('diskUsage')):>4} full, {row['status']}")

    container, _ = structured(server, "search_resources", {"platforms": ["docker"], "types": ["app-container"], "limit": 1})
    recovery_answer, ms = structured(server, "list_recovery_points", {"resourceId": container["resources"][0]["id"]})
    received(f"available: {str(recovery_answer['available']).lower()}", ms)
    block(recovery_answer.get("reason", ""))

    hidden, ms = structured(server, "search_resources", {"platforms": ["vmware"], "limit": 3})
    received(f"{len(hidden['resources'])} rows", ms)
    for note in hidden.get("notes", []):
        block(note)
    shown, ms = structured(server, "search_resources", {"platforms": ["vmware"], "includeUnsupported": True, "limit": 3})
    received(f"{len(shown['resources'])} rows, each labelled", ms)
    for row in shown["resources"]:
        label = row["platformSupport"]
        print(f"    {row['name']:<18} {row['type']:<8} supported: {str(label['supported']).lower()}, "
              f"{label['governanceState']}, {label['readinessStage']}")


def row_headline(row: dict[str, Any]) -> str:
    verdict = "supported" if row["supported"] else "NOT SUPPORTED"
    return f"{row['id']} · {row['displayName']} · {verdict}"


def print_row(row: dict[str, Any]) -> None:
    facts = [f"governance {row['governanceState']}", f"stage {row.get('readinessStage') or '—'}"]
    if row.get("primaryMode"):
        facts.append(f"mode {row['primaryMode']}")
    facts.append(f"assistant control {row.get('assistantControl') or '—'}")
    block(", ".join(facts))
    floor = row.get("supportFloor")
    if floor:
        block("surfaces: " + ", ".join(f"{surface} {value}" for surface, value in floor.items()))
    elif row.get("proposedFloor"):
        block("proposed phase-1 floor (not support): "
              + ", ".join(f"{surface} {value}" for surface, value in row["proposedFloor"].items()))
    if row.get("projections"):
        block("projects: " + ", ".join(row["projections"]))
    block(f"“{row['statement']}”")


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SessionError(message)


# MARK: - the session


def play(binary: Path) -> int:
    print(f"pulse-assistant: an assistant-style MCP session over stdio")
    print(f"server: {binary} serve")
    server = Server([str(binary), "serve"])

    sent('initialize {"protocolVersion":"2025-11-25"}')
    response, ms = server.request("initialize", {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "scripts/session.py", "version": "1"},
    })
    init = result_of(response)
    info = init["serverInfo"]
    received(f"{info['name']} {info['version']}, protocol {init['protocolVersion']}, "
             f"capabilities: {', '.join(init['capabilities'])}", ms)
    print("    (that first round trip includes starting the process)")
    print("    instructions:")
    block(init.get("instructions", ""), indent=6)
    server.notify("notifications/initialized")
    sent("notifications/initialized  (a notification: no response)")

    sent("tools/list")
    response, ms = server.request("tools/list")
    tools = result_of(response)["tools"]
    received(f"{len(tools)} tool{'s' if len(tools) != 1 else ''}", ms)
    for tool in tools:
        hints = tool.get("annotations", {})
        kind = "read-only" if hints.get("readOnlyHint") else "writes"
        print(f"    {tool['name']:<24} {tool.get('title', ''):<20} ({kind})")
    expect(TOOL in [tool["name"] for tool in tools], f"{TOOL} is not listed")

    result, ms = call(server, {"platform": "pve"})
    [row] = result["structuredContent"]["platforms"]
    received(row_headline(row), ms)
    print_row(row)
    expect(row["id"] == "proxmox-pve" and row["supported"], "pve should be the supported proxmox-pve row")

    result, ms = call(server, {"platform": "vmware"})
    [row] = result["structuredContent"]["platforms"]
    received(row_headline(row), ms)
    print_row(row)
    expect(not row["supported"] and row["readinessStage"] == "first-lab-ready",
           "vmware must read as not supported, first-lab-ready")

    result, ms = call(server, {"platform": "podman"})
    expect(result.get("isError") is True, "podman is a runtime variant, not a platform: expected an error result")
    received("isError: true", ms)
    block(" ".join(item.get("text", "") for item in result["content"]))
    print("    (podman, like qemu and lxc, is a runtime variant: a resource's technology, never a platform)")

    result, ms = call(server, {})
    rows = result["structuredContent"]["platforms"]
    received(f"{len(rows)} platforms, {result['structuredContent']['supportedCount']} supported", ms)
    print(f"    {'id':<18} {'governance':<18} {'stage':<16} assistant control")
    for row in rows:
        print(f"    {row['id']:<18} {row['governanceState']:<18} {row.get('readinessStage') or '—':<16} "
              f"{row.get('assistantControl') or '—'}")

    investigate(server)

    code = server.finish()
    print(f"\nstdin closed; the server exited {code}.")
    return code or control(binary)


# MARK: - control


def control(binary: Path) -> int:
    """A second session at control level `controlled`, with reference endpoints on the demo's agent sockets."""
    print("\n— control: the policy decides, a human approves, the node's Pulse agent acts —")
    work = Path(tempfile.mkdtemp(prefix="pulse-try-"))
    token = work / "endpoint.token"
    token.write_text("demo-endpoint-token\n")
    token.chmod(0o600)
    state = work / "state.json"
    argv = [str(binary), "endpoint", "--demo", "--state", str(state), "--token-file", str(token)]
    print(f"endpoint: {' '.join(argv[1:])}")
    endpoint = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True)
    try:
        listening = [endpoint.stderr.readline().strip() for _ in range(3)] if endpoint.stderr else []
        if not all(line.startswith("listening on") for line in listening):
            endpoint.kill()
            rest = endpoint.stderr.read() if endpoint.stderr else ""
            print(f"    (the reference endpoint did not start, so the control session is skipped: {' '.join(listening)} {rest.strip()})")
            return 0
        print(f"    {listening[0]} … (every agent socket and connection port of the demo fleet)")
        return approvals(binary, state)
    finally:
        endpoint.terminate()
        endpoint.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def approvals(binary: Path, state: Path) -> int:
    answers = iter([True, False])

    def human(method: str, params: dict[str, Any]) -> dict[str, Any]:
        expect(method == "elicitation/create", f"unexpected server request {method}")
        approve = next(answers)
        received("elicitation/create: the server asks the human")
        for line in params["message"].splitlines():
            block(line, indent=6)
        print(f"    the human answers: {'approve' if approve else 'decline'}")
        return {"action": "accept", "content": {"approve": True}} if approve else {"action": "decline"}

    env = dict(os.environ, PULSE_ASSISTANT_ENDPOINT_TOKEN="demo-endpoint-token")
    print(f"server: {binary} serve --control-level controlled")
    server = Server([str(binary), "serve", "--control-level", "controlled"], env=env, on_request=human)
    sent('initialize {"capabilities":{"elicitation":{"form":{}}}}')
    response, ms = server.request("initialize", {
        "protocolVersion": "2025-11-25",
        "capabilities": {"elicitation": {"form": {}}},
        "clientInfo": {"name": "scripts/session.py", "version": "1"},
    })
    received(f"protocol {result_of(response)['protocolVersion']}", ms)
    server.notify("notifications/initialized")

    explained, ms = structured(server, "explain_control", {"resourceId": "vm/pve-a/101"})
    received(f"{explained['resource']['name']}: the decision now for each action", ms)
    for decision in explained["decisions"]:
        where = decision.get("route", {}).get("id") or decision.get("code")
        print(f"    {decision['action']:<9} {decision['outcome']:<7} {where}")

    stop = {"resourceId": "vm/pve-a/101", "action": "stop", "reason": "kernel update on web-01", "idempotencyKey": "try-stop-web-01"}
    action, ms = structured(server, "control_resource", stop)
    received(f"{action['actionId']}: {action['state']} (approval {action['approval']})", ms)
    block(action["decision"]["message"])
    block(f"endpoint: {action['message']}")
    expect(action["state"] == "completed", "the approved stop should complete")
    applied = json.loads(state.read_text())
    print(f"    state file: {json.dumps(applied['resources'])}, {len(applied['executions'])} execution")

    again, ms = structured(server, "control_resource", stop)
    received(f"same idempotencyKey again → {again['actionId']}, replayed: {str(again['replayed']).lower()}", ms)
    expect(again["replayed"] and len(json.loads(state.read_text())["executions"]) == 1, "a retry must not act twice")

    for arguments in ({"resourceId": "container/docker-01/nginx", "action": "restart", "reason": "stuck worker"},
                      {"resourceId": "vm/pve-d/144", "action": "stop", "reason": "maintenance"},
                      {"resourceId": "vm/vc-01/vm-1001", "action": "stop", "reason": "maintenance"}):
        result, ms = call(server, arguments, "control_resource")
        action = result["structuredContent"]
        received(f"{action['state']} ({action.get('code')})", ms)
        block(action["message"])
        expect(result.get("isError") is True and action["state"] == "refused", "expected a refusal")

    code = server.finish()
    print(f"\nstdin closed; the server exited {code}.")
    return code


def main() -> int:
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1] in ("-h", "--help")):
        print(__doc__.strip())
        return 0 if len(sys.argv) == 2 else 2
    configured = sys.argv[1] if len(sys.argv) == 2 else os.environ.get("PULSE_ASSISTANT_BIN")
    binary = Path(configured) if configured else REPO_ROOT / ".build" / "release" / "pulse-assistant"
    if not binary.is_file():
        print(f"session.py: no server binary at {binary}; build it with "
              "`swift build -c release --product pulse-assistant`", file=sys.stderr)
        return 1
    try:
        return play(binary)
    except (SessionError, KeyError, ValueError) as error:
        print(f"\nsession.py: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
