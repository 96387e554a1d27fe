"""The audit chain, driven through the built binary: what survives a SIGKILL, what two servers
appending to one store leave, that `audit verify` names tampering, and that no secret reaches
anything an operator or a model can read.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from control_fleet import DEMO_CLOCK, ControlFleet, Endpoint, server_env
from wire import RawServer, initialize_params

SECRET_ENV_TOKEN = "SECRET-ENV-TOKEN-d41d8cd98f00"
SECRET_ARG = "SECRET-ARG-VALUE-0123456789"
SECRET_BEARER = "SECRETBEARER9f86d081884c7d65"


def start(fleet: ControlFleet, store: Path, *extra: str, token: str | None = None) -> RawServer:
    server = RawServer([str(fleet.server_bin), "serve", "--store", str(store), "--clock", DEMO_CLOCK, *extra],
                       env=server_env(token or fleet.token))
    response = server.request("initialize", initialize_params("2025-11-25"))
    assert "result" in response, response
    server.notify("notifications/initialized")
    return server


def call(server: RawServer, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    response = server.request("tools/call", {"name": tool, "arguments": arguments})
    assert "result" in response, response
    return response["result"]


def finish(server: RawServer) -> None:
    """Ends a session as a client does: stdin closed, a clean exit."""
    server.close_stdin()
    assert server.wait() == 0
    server.close()


def serve_calls(fleet: ControlFleet, store: Path, calls: list[tuple[str, dict[str, Any]]]) -> None:
    """One server session on `store` making `calls`, each answered."""
    server = start(fleet, store)
    for tool, arguments in calls:
        call(server, tool, arguments)
    finish(server)


def cli(fleet: ControlFleet, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(fleet.server_bin), *args], capture_output=True, text=True, timeout=60)


def exported(fleet: ControlFleet, store: Path) -> list[dict[str, Any]]:
    done = cli(fleet, "audit", "export", "--store", str(store))
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_sigkill_right_after_a_control_answer_keeps_its_record_and_action(fleet: ControlFleet, store: Path,
                                                                        tmp_path: Path) -> None:
    """The record and the action row are committed before the response is written."""
    endpoint = fleet.endpoint([fleet.agent("pve-a")], tmp_path / "state.json")
    try:
        server = start(fleet, store, "--control-level", "autonomous")
        result = call(server, "control_resource", {"resourceId": "vm/pve-a/101", "action": "stop", "reason": "kill test"})
        action_id = result["structuredContent"]["actionId"]
        server.process.send_signal(signal.SIGKILL)
        server.wait()
        server.close()
    finally:
        endpoint.stop()

    # The dispatch is recorded before it is sent, the call when it ends.
    records = exported(fleet, store)
    assert [(r["tool"], r["outcome"]) for r in records] == [("control_resource", "dispatched"), ("control_resource", "routed")]
    dispatch, records = records[0], records[1:]
    assert dispatch["actionId"] == action_id
    assert records[0]["outcome"] == "routed" and records[0]["actionId"] == action_id
    assert records[0]["route"] == "pulse-agent/pve-a" and records[0]["controlClass"] == "augmentation-only"
    with sqlite3.connect(store) as db:
        state = db.execute("SELECT state FROM action WHERE id = ?", (action_id,)).fetchone()
    assert state == ("completed",)
    assert cli(fleet, "audit", "verify", "--store", str(store)).returncode == 0


def test_two_servers_on_one_store_keep_one_chain(fleet: ControlFleet, store: Path) -> None:
    """Concurrent appends from two processes: every call recorded, the chain whole."""
    calls = 150
    servers = [start(fleet, store), start(fleet, store)]
    ids = ["vm/pve-a/101", "container/docker-01/nginx", "agent/pve-b", "deployment/k8s-prod/shop/web"]

    def drive(server: RawServer) -> None:
        rids = []
        for i in range(calls):  # pipelined: all sent before any answer is read
            rid = server.new_id()
            rids.append(rid)
            server.send({"jsonrpc": "2.0", "id": rid, "method": "tools/call",
                         "params": {"name": "get_resource", "arguments": {"id": ids[i % len(ids)]}}})
        for rid in rids:
            assert "result" in server.response_to(rid, timeout=60)

    threads = [threading.Thread(target=drive, args=(server,)) for server in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for server in servers:
        finish(server)

    verify = cli(fleet, "audit", "verify", "--store", str(store))
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith(f"audit chain intact: {2 * calls} records, head ")
    records = exported(fleet, store)
    assert len(records) == 2 * calls
    assert len({r["session"] for r in records}) == 2
    assert [r["seq"] for r in records] == list(range(1, 2 * calls + 1))


def chain_lines(store: Path) -> list[str]:
    """The audit chain file beside the store: one JSON record per line."""
    return Path(f"{store}.audit.jsonl").read_text().splitlines()


def write_chain(store: Path, lines: list[str]) -> None:
    """Rewrites the chain file as someone editing it would, leaving the head file as it was."""
    Path(f"{store}.audit.jsonl").write_text("".join(line + "\n" for line in lines))


def edit_outcome(lines: list[str]) -> None:
    lines[1] = lines[1].replace('"outcome":"ok"', '"outcome":"refused"')


def swap(lines: list[str]) -> None:
    lines[1], lines[2] = lines[2], lines[1]


@pytest.mark.parametrize(("edit", "seq", "said"), [
    (edit_outcome, 2, "edited"),
    (lambda lines: lines.pop(1), 3, "record 2 is missing"),
    (swap, 3, "reordered"),
    (lambda lines: lines.insert(2, "{}"), 3, 'line 3 is not an audit record ("seq" is missing)'),
    (lambda lines: lines.pop(), 4, "record 4 is missing from the end: the head says the chain reached record 4"),
])
def test_verify_names_the_first_bad_record(fleet: ControlFleet, store: Path, edit: Any, seq: int, said: str) -> None:
    serve_calls(fleet, store, [("get_resource", {"id": f"vm/pve-a/{n}"}) for n in range(101, 105)])
    assert cli(fleet, "audit", "verify", "--store", str(store)).returncode == 0
    lines = chain_lines(store)
    edit(lines)
    write_chain(store, lines)

    done = cli(fleet, "audit", "verify", "--store", str(store))

    assert done.returncode == 1
    assert done.stderr.startswith(f"audit chain broken at record {seq}: "), done.stderr
    assert said in done.stderr


def test_export_writes_the_records_before_a_bad_line_then_fails(fleet: ControlFleet, store: Path) -> None:
    serve_calls(fleet, store, [("get_platform_support", {"platform": "truenas"})] * 3)
    lines = chain_lines(store)
    lines.insert(2, "garbage")
    write_chain(store, lines)

    done = cli(fleet, "audit", "export", "--store", str(store))

    assert done.returncode != 0
    assert [json.loads(line)["seq"] for line in done.stdout.splitlines()] == [1, 2]
    assert "line 3 is not an audit record" in done.stderr


def test_truncated_then_appended_is_found(fleet: ControlFleet, store: Path) -> None:
    server = start(fleet, store)
    for _ in range(4):
        call(server, "get_platform_support", {"platform": "pve"})
    write_chain(store, chain_lines(store)[:2])
    call(server, "get_platform_support", {"platform": "pbs"})
    finish(server)

    assert [json.loads(line)["seq"] for line in chain_lines(store)] == [1, 2, 5]
    done = cli(fleet, "audit", "verify", "--store", str(store))
    assert done.returncode == 1
    assert "records 3–4 are missing" in done.stderr and "truncated" in done.stderr


def test_a_cut_tail_with_a_forged_head_is_found_against_a_kept_head(fleet: ControlFleet, store: Path) -> None:
    """Records deleted from the end and the head file rewritten to match leave a whole chain: only the
    head hash an operator kept from an earlier verify shows it."""
    serve_calls(fleet, store, [("get_platform_support", {"platform": "pmg"})] * 3)
    kept = cli(fleet, "audit", "verify", "--store", str(store)).stdout.split("head ")[1].strip()
    assert cli(fleet, "audit", "verify", "--store", str(store), "--expect-head", kept).returncode == 0
    lines = chain_lines(store)[:2]
    write_chain(store, lines)
    last = json.loads(lines[-1])
    forged = json.dumps({"hash": last["hash"], "seq": last["seq"], "size": sum(len(line) + 1 for line in lines)})
    Path(f"{store}.audit.head").write_text(forged)

    assert cli(fleet, "audit", "verify", "--store", str(store)).returncode == 0
    done = cli(fleet, "audit", "verify", "--store", str(store), "--expect-head", kept)
    assert done.returncode == 1
    assert f"no record has the expected head {kept}" in done.stderr


def test_no_secret_reaches_logs_audit_store_or_output(fleet: ControlFleet, store: Path, tmp_path: Path) -> None:
    """The endpoint token (from the environment and from a token file) and secret-looking arguments
    pass through every path; none of them is in stdout, the trace log, the audit, the store or the
    endpoint's state."""
    file_token = fleet.token  # the endpoint checks the file's token; the server reads it from the config
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"endpointTokens": {"pulse-agent/docker-01": {"file": str(fleet.token_file)}}}))
    endpoint: Endpoint = fleet.endpoint([fleet.agent("pve-a"), fleet.agent("docker-01")], tmp_path / "state.json")
    try:
        server = start(fleet, store, "--control-level", "autonomous", "--log-level", "trace", "--config", str(config),
                       token=file_token)
        call(server, "control_resource", {"resourceId": "vm/pve-a/101", "action": "stop",
                                          "reason": f"curl -H 'Authorization: Bearer {SECRET_BEARER}'"})
        call(server, "control_resource", {"resourceId": "container/docker-01/nginx", "action": "restart",
                                          "reason": "restart", "apiKey": SECRET_ARG})
        call(server, "get_resource", {"id": "vm/pve-a/101", "token": SECRET_ARG})
        call(server, "get_action_status", {"idempotencyKey": f"Bearer {SECRET_BEARER}"})
        call(server, "control_resource", {"resourceId": "vm/pve-a/102", "action": "stop", "reason": "r",
                                          "idempotencyKey": f"Bearer {SECRET_BEARER}"})
        server.close_stdin()
        assert server.wait() == 0
        stdout = b"\n".join(server.lines).decode()
        stderr = server.stderr
        server.close()
    finally:
        endpoint.stop()
    # A second server whose token is only in the environment, to a closed endpoint: the failure is told without it.
    failing = start(fleet, store, "--control-level", "autonomous", "--log-level", "trace", token=SECRET_ENV_TOKEN)
    result = call(failing, "control_resource", {"resourceId": "vm/pve-a/103", "action": "stop", "reason": "r"})
    assert result["structuredContent"]["code"] == "endpoint_unreachable"
    failing.close_stdin()
    assert failing.wait() == 0
    stdout += b"\n".join(failing.lines).decode()
    stderr += failing.stderr
    failing.close()

    seen = {
        "stdout": stdout, "stderr": stderr,
        "audit list": cli(fleet, "audit", "list", "--store", str(store), "--limit", "100").stdout,
        "audit list json": cli(fleet, "audit", "list", "--store", str(store), "--format", "json").stdout,
        "audit export": cli(fleet, "audit", "export", "--store", str(store)).stdout,
        "store": b"".join(p.read_bytes() for p in store.parent.glob(store.name + "*")).decode(errors="replace"),
        "endpoint state": (tmp_path / "state.json").read_text(),
    }
    assert "[redacted]" in seen["audit export"]
    for where, text in seen.items():
        for secret in (file_token, SECRET_ENV_TOKEN, SECRET_ARG, SECRET_BEARER):
            assert secret not in text, f"{secret[:12]}… leaked into {where}"


def test_each_hash_is_sha256_of_the_canonical_record(fleet: ControlFleet, store: Path) -> None:
    """The chain is checkable without pulse-assistant: SHA-256 over the record's fields as compact,
    key-sorted JSON (seq and hash left out), each record holding the hash of the one before; and each
    line of the chain file is that JSON with seq and hash put in front."""
    import hashlib

    serve_calls(fleet, store, [("get_resource", {"id": "vm/pve-a/101", "note": "ünïcode ✓"}),
                               ("search_resources", {"types": ["vm"], "limit": 1})])
    previous = "0" * 64
    for record in exported(fleet, store):
        fields = {k: v for k, v in record.items() if k not in ("seq", "hash")}
        fields["arguments"] = json.dumps(fields["arguments"], separators=(",", ":"), ensure_ascii=False)
        for optional in ("resourceId", "controlClass", "route", "code", "actionId"):
            fields.setdefault(optional, None)
        canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256(canonical.encode()).hexdigest() == record["hash"]
        assert record["previousHash"] == previous
        previous = record["hash"]
        line = chain_lines(store)[record["seq"] - 1]
        assert line == f'{{"seq":{record["seq"]},"hash":"{record["hash"]}",' + canonical[1:]
