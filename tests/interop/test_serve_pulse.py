"""`serve --pulse-url` against the fake Pulse: answers from the synced fleet carry their age, keep
coming while Pulse is down (stale), turn fresh again when it is back, and subscribed clients hear
of changes. Every line the server writes is validated against the MCP schema; the token never shows."""

from __future__ import annotations

import json
import os
import time
from typing import Any
from urllib.parse import quote

from pulse_sync import TOKEN, fake_get, fake_post, start_fake, stop_fake
from wire import RawServer, initialize_params

VERSION = "2025-11-25"


def call(server: RawServer, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    answer = server.request("tools/call", {"name": name, "arguments": arguments}, timeout=30)
    assert "result" in answer, answer
    return answer["result"]


def wait_for(predicate, timeout: float, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"not within {timeout}s")


def notifications(server: RawServer, method: str) -> list[dict[str, Any]]:
    """The notifications of `method` read so far, after reading whatever the server wrote meanwhile."""
    try:
        while server.read_line(timeout=0.2) is not None:
            pass
    except TimeoutError:
        pass
    found = []
    for line in server.lines:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and message.get("method") == method:
            found.append(message)
    return found


def notification_definition(method: str) -> str:
    return {
        "notifications/resources/updated": "ResourceUpdatedNotification",
        "notifications/resources/list_changed": "ResourceListChangedNotification",
        "notifications/tools/list_changed": "ToolListChangedNotification",
    }.get(method, "JSONRPCNotification")


def test_a_served_fleet_stays_answerable_through_a_pulse_outage(server_bin, mcp_schema, tmp_path):
    proc, url, _ = start_fake("--resources", "60", "--token", TOKEN)
    port = url.rsplit(":", 1)[1]
    environment = {**os.environ, "PULSE_API_TOKEN": TOKEN}
    server = RawServer([str(server_bin), "serve", "--pulse-url", url, "--sync-interval", "1", "--log-level", "trace"], env=environment)
    schema = mcp_schema(VERSION)
    try:
        init = server.request("initialize", initialize_params(VERSION))
        schema.validate_server_message(init, "initialize")
        instructions = init["result"]["instructions"]
        assert url in instructions and "stale: true" in instructions
        assert init["result"]["capabilities"]["resources"]["subscribe"] is True
        server.notify("notifications/initialized")

        first = call(server, "search_resources", {"types": ["vm"], "limit": 5})
        answer = first["structuredContent"]
        assert answer["stale"] is False and answer["dataAsOf"], answer
        vm = answer["resources"][0]["id"]
        detail = call(server, "get_resource", {"id": vm})["structuredContent"]
        assert detail["resource"]["details"]["pulse"]["capabilities"] is not None
        assert call(server, "list_alerts", {})["structuredContent"]["dataAsOf"] == answer["dataAsOf"]

        uri = "pulse://resource/" + quote(vm, safe="")
        subscribed = server.request("resources/subscribe", {"uri": uri})
        assert "result" in subscribed, subscribed
        fake_post(url, "/_fake/churn", {"percent": 100})
        wait_for(lambda: any(n["params"]["uri"] == uri for n in notifications(server, "notifications/resources/updated")), 15)
        assert notifications(server, "notifications/resources/list_changed")

        stop_fake(proc)
        proc = None
        stale = wait_for(lambda: (lambda a: a if a["stale"] else None)(call(server, "search_resources", {"limit": 1})["structuredContent"]), 20)
        assert stale["dataAsOf"], "the last good sync is still named"
        assert "dataNote" in stale
        assert len(call(server, "search_resources", {"types": ["vm"], "limit": 5})["structuredContent"]["resources"]) == 5

        proc, url_again, _ = start_fake("--resources", "60", "--token", TOKEN, "--port", port)
        assert url_again == url
        fresh = wait_for(lambda: (lambda a: a if not a["stale"] else None)(call(server, "search_resources", {"limit": 1})["structuredContent"]), 20)
        assert fresh["dataAsOf"] >= stale["dataAsOf"]

        for line in server.lines:
            assert TOKEN.encode() not in line
            message = json.loads(line)
            if message.get("method", "").startswith("notifications/"):
                schema.validate(notification_definition(message["method"]), message)
        server.close_stdin()
        assert server.wait(timeout=30) == 0
        assert TOKEN not in server.stderr
    finally:
        server.close()
        if proc is not None:
            stop_fake(proc)
