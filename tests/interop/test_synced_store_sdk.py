"""The official Python MCP SDK client reads a store synced from the fake Pulse, in every protocol
mode: every read tool (the SDK validates each structured answer against its output schema), an
alias lookup, resources, and get_metrics through Pulse's metric history."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from pulse_sync import TOKEN, scalar, start_fake, stop_fake, sync_json
from sdk import MODES, call, call_error, connect

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def synced(server_bin: Path, tmp_path_factory):
    proc, url, _ = start_fake("--resources", "400", "--token", TOKEN, "--epoch", "now")
    store = tmp_path_factory.mktemp("synced") / "s.db"
    os.environ["PULSE_API_TOKEN"] = TOKEN
    sync_json(server_bin, url, store)
    yield url, store
    os.environ.pop("PULSE_API_TOKEN", None)
    stop_fake(proc)


@pytest.mark.parametrize("mode", MODES)
async def test_every_read_tool_answers_from_a_synced_store(server_bin, synced, mode):
    _, store = synced
    vm = scalar(store, "SELECT id FROM resource WHERE type = 'vm' AND platform = 'proxmox-pve' ORDER BY id LIMIT 1")
    alias = scalar(store, "SELECT alias FROM resourceAlias WHERE resourceId = ? AND alias LIKE '%:%:%' LIMIT 1", vm)
    async with connect([str(server_bin), "serve", "--store", str(store)], mode) as client:
        found = await call(client, "search_resources", {"types": ["vm"], "limit": 3})
        assert len(found["resources"]) == 3
        assert (await call(client, "get_resource", {"id": alias}))["resource"]["id"] == vm
        assert (await call(client, "get_topology", {"rootId": vm}))
        assert "alerts" in await call(client, "list_alerts", {})
        assert await call(client, "get_storage_summary", {})
        assert (await call(client, "list_recovery_points", {"resourceId": vm}))["resourceId"] == vm
        assert (await call(client, "explain_control", {"resourceId": alias, "action": "stop"}))["resource"]["id"] == vm
        assert await call(client, "get_platform_support", {"platform": "pve"})
        text = await call_error(client, "get_metrics", {"resourceId": vm, "metric": "cpu"})
        assert "no metric history" in text, "a store synced once keeps no history; serve --pulse-url asks Pulse"
        listed = await client.list_resources()
        assert any(str(r.uri) == "pulse://matrix" for r in listed.resources)
        read = await client.read_resource("pulse://resource/" + quote(vm, safe=""))
        assert vm in read.contents[0].text


async def test_get_metrics_reads_pulse_history_when_serving_pulse(server_bin, synced):
    url, store = synced
    vm = scalar(store, "SELECT id FROM resource WHERE type = 'vm' AND platform = 'proxmox-pve' ORDER BY id LIMIT 1")
    command = [str(server_bin), "serve", "--pulse-url", url, "--sync-interval", "30"]
    async with connect(command, "legacy", env={"PULSE_API_TOKEN": TOKEN}) as client:
        history = await call(client, "get_metrics", {"resourceId": vm, "metric": "cpu", "maxPoints": 10})
        assert history["resourceId"] == vm
        assert history["sampleCount"] > 0 and 0 < len(history["points"]) <= 10
        assert history["stale"] is False
        refused = await call_error(client, "get_metrics", {"resourceId": vm, "metric": "cpu", "since": "2020-01-01T00:00:00Z"})
        assert "402" in refused or "license" in refused.lower()
