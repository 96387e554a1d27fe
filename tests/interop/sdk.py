"""Helpers for driving the server with the official Python MCP SDK client (mcp 2.3.0).

`connect(command, mode)` spawns the server the way an MCP host does and yields a
connected `Client`; `mode` is `legacy` (initialize handshake), `2026-07-28` (the
stateless revision, adopted without a probe: every request carries its `_meta`) or
`auto` (probe `server/discover`, which the server answers, and land on 2026-07-28).

What the SDK checks by itself: `Client.call_tool` passes every successful
`CallToolResult` to `ClientSession.validate_tool_result`, which validates
`structuredContent` against the tool's `outputSchema` (listed on first use) with
`jsonschema` and raises `RuntimeError("Invalid structured content returned by
tool ...")` on a violation, or `RuntimeError("Tool ... has an output schema but
did not return structured content")` when it is missing. Results with
`isError: true` are not validated. `test_read_tools.py::test_sdk_rejects_a_result_
that_violates_the_output_schema` proves it against a proxy that corrupts results.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp_types import DiscoverResult, Implementation

MODERN_VERSION = "2026-07-28"
MODES = ["legacy", MODERN_VERSION, "auto"]


@asynccontextmanager
async def connect(command: list[str], mode: str, env: dict[str, str] | None = None) -> AsyncIterator[Client]:
    # The SDK passes the server only a few safe variables (PATH, HOME, …) unless told: `env` adds to them.
    params = StdioServerParameters(command=command[0], args=command[1:], env=env)
    client = Client(
        params,
        mode=mode,
        read_timeout_seconds=20,
        client_info=Implementation(name="pulse-interop-tests", version="1.0"),
    )
    async with client:
        yield client


async def described(client: Client) -> Client:
    """`client`, knowing what the server says about itself (capabilities, instructions, serverInfo).

    In the pinned `2026-07-28` mode the SDK adopts a synthesized discover result without asking the
    server (no probe), so nothing of the server is known until it asks: ask once here.
    """
    if client.session.discover_result is not None and client.session.discover_result.instructions is None:
        raw = await client.session.send_discover(MODERN_VERSION)
        client.session.adopt(DiscoverResult.model_validate(raw))
    return client


def structured(result: Any) -> dict[str, Any]:
    """The structured content of a successful call, checked against its text block."""
    assert result.is_error is not True, error_text(result)
    assert result.structured_content is not None
    texts = [block.text for block in result.content if block.type == "text"]
    assert len(texts) == 1, "one text block carrying the same JSON"
    assert json.loads(texts[0]) == result.structured_content
    return result.structured_content


def error_text(result: Any) -> str:
    """The text of a tool result (what an `isError` result says)."""
    return " ".join(block.text for block in result.content if block.type == "text")


async def call(client: Client, tool: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    """Call a tool that must succeed; returns its (SDK-validated) structured content."""
    return structured(await client.call_tool(tool, arguments or {}))


async def call_error(client: Client, tool: str, arguments: dict[str, Any]) -> str:
    """Call a tool that must answer `isError: true`; returns its text."""
    result = await client.call_tool(tool, arguments)
    assert result.is_error is True, f"{tool} {arguments} succeeded: {result.structured_content}"
    assert result.structured_content is None
    return error_text(result)
