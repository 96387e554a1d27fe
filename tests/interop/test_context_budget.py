"""The context budget on a big store: `tools/list` under 20 KB on the wire, and every tool's default
answer (only its required arguments) at most 8 KB of text, on a 100 000-resource store made by
`pulse-assistant demo --resources 100000` and `ingest`. The demo fleet's side is a Swift test
(ContextBudgetTests); this one costs the ingest, about a minute in a debug build.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from wire import RawServer, initialize_params

TOOLS_LIST_BUDGET = 20_000
ANSWER_BUDGET = 8_192

#: What each tool needs to answer at all; the resource is looked up in the store.
REQUIRED: dict[str, dict[str, Any]] = {
    "get_resource": {"id": "{vm}"},
    "list_recovery_points": {"resourceId": "{vm}"},
    "get_metrics": {"resourceId": "{vm}", "metric": "cpu"},
    "explain_control": {"resourceId": "{vm}"},
    "control_resource": {"resourceId": "{vm}", "action": "stop", "reason": "budget check"},
    "get_action_status": {"actionId": "act-000000"},
}


@pytest.fixture(scope="module")
def big_store(server_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("budget")
    fleet, store = directory / "fleet.jsonl", directory / "store.db"
    subprocess.run([str(server_bin), "demo", "--resources", "100000", "--out", str(fleet)], check=True, capture_output=True)
    subprocess.run([str(server_bin), "ingest", str(fleet), "--store", str(store)], check=True, capture_output=True, timeout=600)
    fleet.unlink()
    return store


@pytest.mark.parametrize("level", ["read-only", "controlled"])
def test_default_answers_fit_on_a_100k_store(server_bin: Path, big_store: Path, level: str) -> None:
    with RawServer([str(server_bin), "serve", "--store", str(big_store), "--control-level", level]) as server:
        server.request("initialize", initialize_params("2025-11-25"))
        server.notify("notifications/initialized")
        listing = server.request("tools/list")
        wire = len(server.lines[-1])
        assert wire < TOOLS_LIST_BUDGET, f"tools/list is {wire} bytes at {level}"

        page = server.request("tools/call", {"name": "search_resources", "arguments": {"types": ["vm"], "platforms": ["pve"], "limit": 1}})
        vm = page["result"]["structuredContent"]["resources"][0]["id"]
        sizes = {}
        for tool in listing["result"]["tools"]:
            arguments = {k: (vm if v == "{vm}" else v) for k, v in REQUIRED.get(tool["name"], {}).items()}
            answer = server.request("tools/call", {"name": tool["name"], "arguments": arguments})["result"]
            sizes[tool["name"]] = len(answer["content"][0]["text"].encode())
        over = {name: size for name, size in sizes.items() if size > ANSWER_BUDGET}
        assert not over, f"default answers over {ANSWER_BUDGET} bytes: {over} (all: {sizes})"
