"""`subscriptions/listen` (MCP 2026-07-28) over a store that another process re-ingests.

The server watches the store's snapshot record; an ingest by `pulse-assistant ingest` (another process)
commits new content, and every open stream hears `notifications/resources/list_changed` and, for a
subscribed `pulse://` URI whose content changed, `notifications/resources/updated`, each tagged with
the listen request's id. After `notifications/cancelled` that stream is silent; at end of input an open
stream gets its closing result. Every line is validated against the 2026-07-28 schema.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from control_fleet import ControlFleet
from schemas import MODERN_VERSION, MCPSchema
from wire import RawServer

VM = "vm/pve-a/101"
URI = "pulse://resource/" + quote(VM, safe="")
TAG = "io.modelcontextprotocol/subscriptionId"
META = {
    "io.modelcontextprotocol/protocolVersion": MODERN_VERSION,
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": {"name": "pulse-interop-tests", "version": "1.0"},
}
NOTIFICATION_DEFS = {
    "notifications/subscriptions/acknowledged": "SubscriptionsAcknowledgedNotification",
    "notifications/resources/list_changed": "ResourceListChangedNotification",
    "notifications/resources/updated": "ResourceUpdatedNotification",
}


def reingest(fleet: ControlFleet, store: Path, tmp_path: Path, name: str) -> None:
    """Another process replaces the store's content: the VM renamed to `name`."""
    snapshot = tmp_path / f"{name}.jsonl"
    with fleet.snapshot.open(encoding="utf-8") as source, snapshot.open("w", encoding="utf-8") as target:
        # The end record counts and digests the lines before it: an edited line needs a new one.
        digest, count = hashlib.sha256(), 0
        for line in source:
            record = json.loads(line)
            if "end" in record:
                line = json.dumps({"end": {"lines": count, "sha256": digest.hexdigest()}}) + "\n"
                target.write(line)
                continue
            if record.get("resource", {}).get("id") == VM:
                record["resource"]["name"] = name
                line = json.dumps(record) + "\n"
            target.write(line)
            digest.update(line.encode())
            count += 1
    subprocess.run([str(fleet.server_bin), "ingest", str(snapshot), "--store", str(store)], check=True,
                   capture_output=True)


def wait_for(server: RawServer, want: Callable[[dict[str, Any]], bool], timeout: float = 10) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        line = server.read_line(timeout=max(0.1, deadline - time.monotonic()))
        assert line is not None, "the server closed stdout"
        message = json.loads(line)
        if want(message):
            return message


def test_listen_hears_an_ingest_by_another_process(fleet: ControlFleet, store: Path, tmp_path: Path,
                                                   mcp_schema: Callable[[str], MCPSchema]) -> None:
    with RawServer([str(fleet.server_bin), "serve", "--store", str(store)]) as server:
        discover = server.request("server/discover", {"_meta": META}, id="d")["result"]
        filters = {"resourcesListChanged": True, "toolsListChanged": True,
                   "resourceSubscriptions": [URI, "https://example.com/x"]}
        server.send({"jsonrpc": "2.0", "id": "s1", "method": "subscriptions/listen",
                     "params": {"_meta": META, "notifications": filters}})
        ack = wait_for(server, lambda m: m.get("method") == "notifications/subscriptions/acknowledged")
        server.send({"jsonrpc": "2.0", "id": "s2", "method": "subscriptions/listen",
                     "params": {"_meta": META, "notifications": {"resourcesListChanged": True}}})
        wait_for(server, lambda m: m.get("params", {}).get("_meta", {}).get(TAG) == "s2")
        reingest(fleet, store, tmp_path, "renamed-once")
        seen: list[dict[str, Any]] = []
        while not {("s1", "notifications/resources/updated"), ("s1", "notifications/resources/list_changed"),
                   ("s2", "notifications/resources/list_changed")} <= {(m["params"]["_meta"][TAG], m["method"]) for m in seen}:
            seen.append(wait_for(server, lambda m: "method" in m))
        server.notify("notifications/cancelled", {"requestId": "s1"})
        time.sleep(0.3)
        before = len(server.lines)
        reingest(fleet, store, tmp_path, "renamed-twice")
        later = wait_for(server, lambda m: m.get("method") == "notifications/resources/list_changed")
        time.sleep(1.5)
        server.close_stdin()
        server.read_to_eof()
        assert server.wait() == 0, server.stderr
        after = [json.loads(line) for line in server.lines[before:]]
        messages = server.messages()
    assert discover["capabilities"]["resources"] == {"subscribe": True, "listChanged": True}
    assert ack["params"] == {"notifications": {"resourcesListChanged": True, "resourceSubscriptions": [URI]},
                             "_meta": {TAG: "s1"}}, "the honoured subset: no tool changes, no foreign URI"
    assert [m for m in seen if m["method"] == "notifications/resources/updated"][0]["params"]["uri"] == URI
    assert later["params"]["_meta"][TAG] == "s2"
    assert all(m.get("params", {}).get("_meta", {}).get(TAG) != "s1" and m.get("id") != "s1" for m in after), \
        "the cancelled stream spoke again"
    [closing] = [m for m in after if m.get("id") == "s2"]
    assert closing["result"]["_meta"][TAG] == "s2" and closing["result"]["resultType"] == "complete"
    schema = mcp_schema(MODERN_VERSION)
    for message in messages:
        schema.validate("JSONRPCMessage", message)
        if "method" in message:
            schema.validate(NOTIFICATION_DEFS[message["method"]], message)
        elif message["id"] == "d":
            schema.validate("DiscoverResult", message["result"])
        else:
            schema.validate("SubscriptionsListenResult", message["result"])


def test_legacy_subscribe_hears_an_ingest(fleet: ControlFleet, store: Path, tmp_path: Path,
                                          mcp_schema: Callable[[str], MCPSchema]) -> None:
    """2025-11-25: resources/subscribe, then list_changed and updated after another process ingests."""
    from wire import initialize_params

    with RawServer([str(fleet.server_bin), "serve", "--store", str(store)]) as server:
        hello = server.request("initialize", initialize_params("2025-11-25"), id=1)["result"]
        server.notify("notifications/initialized")
        assert server.request("resources/subscribe", {"uri": URI}, id=2)["result"] == {}
        missing = server.request("resources/subscribe", {"uri": "pulse://resource/no%2Fsuch"}, id=3)
        assert server.request("resources/subscribe", {"uri": "pulse://matrix"}, id=4)["result"] == {}
        assert server.request("resources/unsubscribe", {"uri": "pulse://matrix"}, id=5)["result"] == {}
        reingest(fleet, store, tmp_path, "renamed-legacy")
        updated = wait_for(server, lambda m: m.get("method") == "notifications/resources/updated")
        server.close_stdin()
        server.read_to_eof()
        assert server.wait() == 0, server.stderr
        messages = server.messages()
    assert hello["capabilities"]["resources"] == {"subscribe": True, "listChanged": True}
    assert missing["error"]["code"] == -32002
    assert updated["params"] == {"uri": URI}
    methods = [m.get("method") for m in messages if "method" in m]
    assert "notifications/resources/list_changed" in methods
    assert all("io.modelcontextprotocol/subscriptionId" not in json.dumps(m) for m in messages), "nothing modern leaks"
    schema = mcp_schema("2025-11-25")
    for message in messages:
        schema.validate("JSONRPCMessage", message)
        if message.get("method") == "notifications/resources/updated":
            schema.validate("ResourceUpdatedNotification", message)
        elif message.get("method") == "notifications/resources/list_changed":
            schema.validate("ResourceListChangedNotification", message)
