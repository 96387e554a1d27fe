"""The official Python MCP SDK (mcp 2.3.0) as the client, in `legacy`, `2026-07-28` and `auto` modes.

`legacy` runs the initialize handshake; `2026-07-28` adopts the stateless revision
without a probe; `auto` probes `server/discover`, which the server answers, and
lands on 2026-07-28. The SDK
validates every `structuredContent` against the tool's `outputSchema` itself
(it raises otherwise); these tests also assert on what the rows say.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from mcp_types import DiscoverResult
from mcp_types.version import LATEST_HANDSHAKE_VERSION

from schemas import SUPPORTED_VERSIONS
from sdk import MODERN_VERSION, MODES, connect

pytestmark = pytest.mark.anyio

TOOL = "get_platform_support"

#: DESIGN §3: the 14 canonical platform ids, in the manifest's order.
KNOWN_IDS = [
    "agent", "docker", "kubernetes", "proxmox-pve", "proxmox-pbs", "proxmox-pmg", "truenas",
    "vmware-vsphere",
    "unraid", "synology-dsm", "microsoft-hyperv", "aws", "azure", "gcp",
]
SUPPORTED_IDS = KNOWN_IDS[:7]


def manifest_rows(repo_root: Path) -> dict[str, dict[str, Any]]:
    document = json.loads((repo_root / "Sources/Policy/Resources/platform-support.json").read_text())
    return {row["id"]: row for row in document["platforms"]}


def structured(result: Any) -> dict[str, Any]:
    """The structured content of a successful call, checked against its text block."""
    assert result.is_error is not True, result.content
    assert result.structured_content is not None
    texts = [block.text for block in result.content if block.type == "text"]
    assert len(texts) == 1, "one text block carrying the same JSON"
    assert json.loads(texts[0]) == result.structured_content
    return result.structured_content


@pytest.mark.parametrize("mode", MODES)
async def test_handshake_reports_server_info_and_instructions(server_command: list[str], mode: str) -> None:
    started = time.monotonic()
    async with connect(server_command, mode) as client:
        connect_seconds = time.monotonic() - started
        if mode == "legacy":
            assert client.protocol_version == LATEST_HANDSHAKE_VERSION
            assert client.protocol_version in SUPPORTED_VERSIONS
        else:
            assert client.protocol_version == MODERN_VERSION
        if mode == MODERN_VERSION:
            # Adopted without a probe (a synthesized discover result): ask the server itself now.
            raw = await client.session.send_discover(MODERN_VERSION)
            client.session.adopt(DiscoverResult.model_validate(raw))
        info = client.server_info
        assert info is not None
        assert info.name == "pulse-assistant"
        assert info.version
        assert client.server_capabilities.tools is not None
        instructions = client.instructions or ""
        assert "pulse-assistant" in instructions
        assert TOOL in instructions
        assert "read-only" in instructions, "the instructions state the control level"
        if mode == "auto":
            # The server/discover probe was answered: no initialize at all.
            assert client.session.discover_result is not None
            assert MODERN_VERSION in client.session.discover_result.supported_versions
            assert client.session.initialize_result is None
    # The probe is answered at once: connecting must not wait for a probe timeout.
    assert connect_seconds < 5, f"connect took {connect_seconds:.2f}s in {mode} mode"


@pytest.mark.parametrize("mode", MODES)
async def test_tools_list_declares_get_platform_support(server_command: list[str], mode: str) -> None:
    async with connect(server_command, mode) as client:
        listing = await client.list_tools()
    # The read tools' own listing checks are in test_read_tools.py.
    assert TOOL in [tool.name for tool in listing.tools]
    assert listing.next_cursor is None
    [tool] = [tool for tool in listing.tools if tool.name == TOOL]
    assert tool.title and tool.description
    assert tool.input_schema.get("type") == "object"
    assert "platform" in tool.input_schema.get("properties", {})
    assert tool.output_schema is not None and tool.output_schema.get("type") == "object"
    assert tool.annotations is not None
    assert tool.annotations.read_only_hint is True
    assert tool.annotations.open_world_hint is False


@pytest.mark.parametrize("mode", MODES)
async def test_call_without_platform_returns_every_row(server_command: list[str], repo_root: Path, mode: str) -> None:
    async with connect(server_command, mode) as client:
        omitted = structured(await client.call_tool(TOOL))
        empty = structured(await client.call_tool(TOOL, {}))
        detailed = structured(await client.call_tool(TOOL, {"detail": True}))
    # Without arguments, a summary: every platform's standing in a line.
    assert omitted == empty
    assert [row["id"] for row in omitted["platforms"]] == KNOWN_IDS
    assert omitted["supportedCount"] == len(SUPPORTED_IDS)
    assert [row["id"] for row in omitted["platforms"] if row["supported"]] == SUPPORTED_IDS
    assert "detail: true" in omitted["note"]
    # With detail, every full row.
    assert [row["id"] for row in detailed["platforms"]] == KNOWN_IDS
    manifest = manifest_rows(repo_root)
    for row in detailed["platforms"]:
        assert row["supportFloor"] == manifest[row["id"]]["supportFloor"], row["id"]
        assert row["statement"], row["id"]


@pytest.mark.parametrize("mode", MODES)
async def test_call_with_alias_pve_returns_the_proxmox_ve_row(server_command: list[str], repo_root: Path,
                                                             mode: str) -> None:
    async with connect(server_command, mode) as client:
        content = structured(await client.call_tool(TOOL, {"platform": "pve"}))
    [row] = content["platforms"]
    assert row["id"] == "proxmox-pve"
    assert row["supported"] is True
    assert row["governanceState"] == "supported"
    assert row["readinessStage"] == "supported"
    assert row["assistantControl"] == "augmentation-only"
    assert row["supportFloor"] == manifest_rows(repo_root)["proxmox-pve"]["supportFloor"]
    assert "proxmox-pve is supported" in row["statement"]


@pytest.mark.parametrize("mode", MODES)
async def test_call_with_vmware_says_not_supported_and_first_lab_ready(server_command: list[str], mode: str) -> None:
    async with connect(server_command, mode) as client:
        content = structured(await client.call_tool(TOOL, {"platform": "VMware"}))
    [row] = content["platforms"]
    assert row["id"] == "vmware-vsphere"
    assert row["supported"] is False
    assert row["governanceState"] == "admitted"
    assert row["readinessStage"] == "first-lab-ready"
    assert row["supportFloor"] is None, "a proposed floor is not support"
    assert row["assistantControl"] is None
    assert "not supported" in row["statement"]
    assert "first-lab-ready" in row["statement"]


@pytest.mark.parametrize("mode", MODES)
async def test_call_with_unknown_platform_is_an_error_result_listing_known_ids(server_command: list[str],
                                                                               mode: str) -> None:
    async with connect(server_command, mode) as client:
        result = await client.call_tool(TOOL, {"platform": "nope"})
    assert result.is_error is True
    assert result.structured_content is None
    text = " ".join(block.text for block in result.content if block.type == "text")
    assert '"nope"' in text
    for platform_id in KNOWN_IDS:
        assert platform_id in text, f"{platform_id} missing from: {text}"
