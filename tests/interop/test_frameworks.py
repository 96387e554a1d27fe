"""The agent frameworks people wrap MCP servers with, driven offline (no model API):

- openai-agents: every tool's input schema through its strict conversion (what OpenAI models
  require), then a call of each tool with the arguments a strict model must send: every property,
  "don't care" as null.
- pydantic-ai: its FunctionModel calls every tool once, with arguments generated from the schema
  pydantic-ai sees (the required properties, filled), through its own MCP client.

Pinned in requirements.txt with the SDK.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

pytestmark = pytest.mark.anyio

#: Valid values for the required properties, by name.
REQUIRED_VALUES: dict[str, Any] = {
    "resourceId": "vm/pve-a/101", "metric": "cpu", "action": "stop", "reason": "framework check",
}
#: One of each "one of" pair, so the call is meaningful.
PAIRS: dict[str, dict[str, Any]] = {"get_resource": {"id": "vm/pve-a/101"}, "get_action_status": {"actionId": "act-000000"}}


def strict_arguments(name: str, original: dict[str, Any]) -> dict[str, Any]:
    """What a strict model must send: every property; what it does not care about as null."""
    required = set(original.get("required", []))
    arguments = {key: (REQUIRED_VALUES[key] if key in required else None) for key in original["properties"]}
    arguments.update(PAIRS.get(name, {}))
    if name == "control_resource":
        arguments["dryRun"] = True
    return arguments


async def test_openai_agents_strict_conversion_and_calls(server_command: list[str]) -> None:
    from agents.mcp import MCPServerStdio
    from mcp.shared.exceptions import MCPError
    from agents.strict_schema import ensure_strict_json_schema

    params = {"command": server_command[0], "args": server_command[1:] + ["--control-level", "controlled"]}
    async with MCPServerStdio(params=params, cache_tools_list=True, client_session_timeout_seconds=60) as server:
        tools = await server.list_tools()
        assert len(tools) == 11
        for tool in tools:
            strict = ensure_strict_json_schema(copy.deepcopy(tool.input_schema))
            # Strict: every property required, and the optional ones still nullable.
            assert set(strict["required"]) == set(strict["properties"]), tool.name
            arguments = strict_arguments(tool.name, tool.input_schema)
            Draft202012Validator(strict).validate(arguments)
            try:
                result = await server.call_tool(tool.name, arguments)
            except MCPError as error:
                # The client (2026-07-28, no elicitation declared) cannot approve: -32021, arguments accepted.
                assert tool.name == "control_resource" and error.error.code == -32021, f"{tool.name}: {error}"
                continue
            text = "".join(getattr(block, "text", "") for block in result.content)
            assert not text.startswith("Invalid arguments"), f"{tool.name}: {text}"
            assert "Invalid cursor" not in text and "Give exactly one" not in text, f"{tool.name}: {text}"
            if tool.name not in ("get_action_status", "control_resource"):
                assert not result.is_error, f"{tool.name}: {text}"


async def test_pydantic_ai_function_model_calls_every_tool(server_command: list[str]) -> None:
    from fastmcp.client import Client
    from fastmcp.client.transports import StdioTransport
    from pydantic_ai import Agent
    from pydantic_ai.mcp import MCPToolset
    from pydantic_ai.messages import (
        ModelMessage, ModelRequest, ModelResponse, RetryPromptPart, TextPart, ToolCallPart, ToolReturnPart,
    )
    from pydantic_ai.models.function import AgentInfo, FunctionModel

    seen: dict[str, str] = {}

    def drive(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        returned = [part for message in messages if isinstance(message, ModelRequest) for part in message.parts
                    if isinstance(part, (ToolReturnPart, RetryPromptPart))]
        if returned:
            for part in returned:
                seen[part.tool_name or ""] = part.model_response() if isinstance(part, RetryPromptPart) else part.model_response_str()
            return ModelResponse(parts=[TextPart("done")])
        calls = []
        for tool in info.function_tools:
            schema = tool.parameters_json_schema
            arguments = {key: REQUIRED_VALUES[key] for key in schema.get("required", [])}
            arguments.update(PAIRS.get(tool.name, {}))
            calls.append(ToolCallPart(tool_name=tool.name, args=json.dumps(arguments)))
        return ModelResponse(parts=calls)

    # A refused call comes back to the model as a retry prompt: the check reads those too.
    toolset = MCPToolset(Client(StdioTransport(server_command[0], server_command[1:])), )
    agent = Agent(FunctionModel(drive), toolsets=[toolset])
    async with agent:
        result = await agent.run("Check every tool.")
    assert result.output == "done"
    assert len(seen) == 10, sorted(seen)  # read-only: control_resource is not listed
    for name, text in seen.items():
        assert "Invalid arguments" not in text, f"{name}: {text}"
