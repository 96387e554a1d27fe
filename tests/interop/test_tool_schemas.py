"""Every tool the server lists declares schemas that are themselves valid JSON Schema 2020-12.

MCP tool schemas default to 2020-12 when they name no `$schema`. A schema that does
not compile would make every client-side validation (the SDK's included) fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for

from wire import RawServer, initialize_params


def list_all_tools(server: RawServer) -> list[dict[str, Any]]:
    """Walk `tools/list` through every page."""
    tools: list[dict[str, Any]] = []
    params: dict[str, Any] = {}
    for _ in range(100):
        result = server.request("tools/list", params)["result"]
        tools += result["tools"]
        if not result.get("nextCursor"):
            return tools
        params = {"cursor": result["nextCursor"]}
    raise AssertionError("tools/list pagination did not end within 100 pages")


@pytest.fixture(scope="module")
def tools(server_command: list[str]) -> list[dict[str, Any]]:
    with RawServer(server_command) as server:
        server.request("initialize", initialize_params("2025-11-25"))
        server.notify("notifications/initialized")
        return list_all_tools(server)


def schema_cases(tools: list[dict[str, Any]]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(tool["name"], key, tool[key]) for tool in tools for key in ("inputSchema", "outputSchema")]


def test_every_tool_has_both_schemas(tools: list[dict[str, Any]]) -> None:
    assert tools
    for tool in tools:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", tool["name"]), tool["name"]
        assert tool["inputSchema"].get("type") == "object", tool["name"]
        assert tool["outputSchema"].get("type") == "object", tool["name"]


def test_every_tool_schema_is_a_valid_2020_12_schema(tools: list[dict[str, Any]]) -> None:
    for name, key, schema in schema_cases(tools):
        validator_class = validator_for(schema, default=Draft202012Validator)
        assert validator_class is Draft202012Validator, f"{name}.{key} declares another dialect: {schema.get('$schema')}"
        Draft202012Validator.check_schema(schema)


def test_input_schemas_accept_documented_calls_and_reject_wrong_types(tools: list[dict[str, Any]]) -> None:
    [tool] = [tool for tool in tools if tool["name"] == "get_platform_support"]
    validator = Draft202012Validator(tool["inputSchema"])
    assert validator.is_valid({})
    assert validator.is_valid({"platform": "pve"})
    assert not validator.is_valid({"platform": 5})
    assert not validator.is_valid({"platforms": "pve"})
