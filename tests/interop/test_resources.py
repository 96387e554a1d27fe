"""MCP resources through the official Python MCP SDK client, and one raw-wire session for every read call.

SDK tests share one client per mode (`legacy`, `2026-07-28`, `auto`) over the embedded demo fleet:
`resources/list` walked to the end, `resources/templates/list`, `resources/read` of
each kind (`pulse://matrix`, `pulse://platform/{id}`, `pulse://resource/{id}`), and
unknown URIs, which the SDK raises as `MCPError` with code -32002 (legacy) or -32602 (2026-07-28).

`test_wire_session_validates_against_the_mcp_schema` drives every read tool and every
resources method without an SDK, per protocol version, and validates every line the
server writes against the official MCP schema (the method's result definition:
`CallToolResult`, `ListResourcesResult`, `ListResourceTemplatesResult`,
`ReadResourceResult`, ...), plus each `structuredContent` against its tool's `outputSchema`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from jsonschema import Draft202012Validator
from mcp.client.client import Client
from mcp.shared.exceptions import MCPError

from schemas import MCPSchema, schema_version_for
from sdk import MODERN_VERSION, MODES, call, connect, described
from wire import RawServer, initialize_params

pytestmark = pytest.mark.anyio

RESOURCE_NOT_FOUND = -32002
INVALID_PARAMS = -32602
TEMPLATES = {"pulse://resource/{id}", "pulse://platform/{id}"}
PLATFORM_IDS = [
    "agent", "docker", "kubernetes", "proxmox-pve", "proxmox-pbs", "proxmox-pmg", "truenas",
    "vmware-vsphere",
    "unraid", "synology-dsm", "microsoft-hyperv", "aws", "azure", "gcp",
]


def resource_uri(resource_id: str) -> str:
    return "pulse://resource/" + quote(resource_id, safe="")


@pytest.fixture(scope="module", params=MODES)
async def client(request: pytest.FixtureRequest, server_command: list[str]) -> AsyncIterator[Client]:
    """One SDK client per mode, shared by this module's tests (they only read)."""
    async with connect(server_command, request.param) as connected:
        yield connected


async def list_all_resources(client: Client) -> list[Any]:
    resources: list[Any] = []
    cursor: str | None = None
    for _ in range(10_000):
        page = await client.list_resources(cursor=cursor)
        resources += page.resources
        cursor = page.next_cursor
        if cursor is None:
            return resources
        assert page.resources, "an empty page that still has a nextCursor"
    raise AssertionError("resources/list pagination did not end")


async def search_ids(client: Client) -> set[str]:
    found: set[str] = set()
    cursor: str | None = None
    while True:
        page = await call(client, "search_resources", {"limit": 500, **({"cursor": cursor} if cursor else {})})
        found |= {row["id"] for row in page["resources"]}
        if not (cursor := page.get("nextCursor")):
            return found


def read_json(result: Any, uri: str) -> Any:
    [content] = result.contents
    assert str(content.uri) == uri
    assert content.mime_type == "application/json"
    return json.loads(content.text)


# MARK: - SDK


async def test_capabilities_declare_resources(client: Client) -> None:
    assert (await described(client)).server_capabilities.resources is not None


async def test_resources_list_is_the_matrix_and_the_platform_rows(client: Client) -> None:
    listed = await list_all_resources(client)
    uris = [str(resource.uri) for resource in listed]
    assert uris[0] == "pulse://matrix"
    platforms = [uri.removeprefix("pulse://platform/") for uri in uris if uri.startswith("pulse://platform/")]
    assert sorted(platforms) == sorted(PLATFORM_IDS)
    # Fleet objects are reached through the pulse://resource/{id} template, never listed.
    assert len(uris) == 1 + len(platforms)
    titles = [resource.title or resource.name for resource in listed]
    assert len(set(titles)) == len(titles), titles
    for resource in listed:
        assert resource.name and resource.mime_type == "application/json", resource


async def test_resource_templates_list(client: Client) -> None:
    templates = (await client.list_resource_templates()).resource_templates
    assert {template.uri_template for template in templates} == TEMPLATES
    for template in templates:
        assert template.name and template.mime_type == "application/json"


async def test_read_matrix_is_the_support_matrix(client: Client) -> None:
    matrix = read_json(await client.read_resource("pulse://matrix"), "pulse://matrix")
    assert matrix == await call(client, "get_platform_support", {"detail": True})
    assert [row["id"] for row in matrix["platforms"]] == PLATFORM_IDS


async def test_read_every_platform_row(client: Client) -> None:
    for platform_id in PLATFORM_IDS:
        uri = f"pulse://platform/{platform_id}"
        row = read_json(await client.read_resource(uri), uri)
        assert row == await call(client, "get_platform_support", {"platform": platform_id})
    vmware = read_json(await client.read_resource("pulse://platform/vmware"), "pulse://platform/vmware")
    [standing] = vmware["platforms"]
    assert standing["id"] == "vmware-vsphere" and standing["supported"] is False


async def test_read_resources_as_get_resource_returns_them(client: Client) -> None:
    # One of each resource type, through the template.
    by_type: dict[str, Any] = {}
    for rid in sorted(await search_ids(client)):
        kind = rid.split("/", 1)[0]
        by_type.setdefault(kind, (rid, resource_uri(rid)))
    assert len(by_type) >= 8, by_type
    for rid, uri in by_type.values():
        document = read_json(await client.read_resource(uri), uri)
        assert document["resource"]["id"] == rid
        assert document == await call(client, "get_resource", {"id": rid})


async def test_read_unsupported_resource_is_labelled_never_supported(client: Client) -> None:
    [vm] = (await call(client, "search_resources", {"platforms": ["vmware-vsphere"], "includeUnsupported": True,
                                                      "limit": 1}))["resources"]
    uri = resource_uri(vm["id"])
    try:
        document = read_json(await client.read_resource(uri), uri)
    except MCPError as error:  # leaving it out is as honest as labelling it
        assert error.code == RESOURCE_NOT_FOUND
        return
    assert document["resource"]["platformSupport"]["supported"] is False
    assert document["platformSupport"]["supported"] is False
    assert "not supported" in document["platformSupport"]["statement"]


@pytest.mark.parametrize("uri", [
    "pulse://resource/" + quote("no/such/resource", safe=""),
    "pulse://platform/no-such-platform",
    "pulse://nothing-here",
    "https://example.com/resource",
])
async def test_read_unknown_uri_is_resource_not_found(client: Client, uri: str) -> None:
    with pytest.raises(MCPError) as raised:
        await client.read_resource(uri)
    # 2026-07-28 defines no -32002: an unknown resource is invalid params there.
    expected = INVALID_PARAMS if client.protocol_version == MODERN_VERSION else RESOURCE_NOT_FOUND
    assert raised.value.code == expected, raised.value.error
    assert uri in raised.value.message or (raised.value.data or {}).get("uri") == uri


async def test_resources_list_rejects_a_forged_cursor(client: Client) -> None:
    with pytest.raises(MCPError) as raised:
        await client.list_resources(cursor="not-a-cursor", cache_mode="bypass")
    assert raised.value.code == INVALID_PARAMS


# MARK: - raw wire


#: The methods whose 2026-07-28 results carry caching hints.
CACHEABLE = {"server/discover", "tools/list", "resources/list", "resources/templates/list", "resources/read"}


def modern_meta() -> dict[str, Any]:
    """The `_meta` every 2026-07-28 request carries."""
    return {
        "io.modelcontextprotocol/protocolVersion": MODERN_VERSION,
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "pulse-interop-tests", "version": "1.0"},
    }


def first_with(rows: list[dict[str, Any]], **fields: str) -> dict[str, Any]:
    return next(row for row in rows if all(row.get(k) == v for k, v in fields.items()))


@pytest.mark.parametrize("version", [MODERN_VERSION, "2025-11-25", "2025-06-18"])
def test_wire_session_validates_against_the_mcp_schema(server_command: list[str], version: str,
                                                       mcp_schema: Callable[[str], MCPSchema]) -> None:
    """Every read tool and every resources method, each line validated against the official schema.

    At 2026-07-28 there is no initialize: every request carries its `_meta`, starting with
    `server/discover`, and every result its `resultType` (the schema requires it)."""
    methods: dict[Any, str] = {}
    calls: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    modern = version == MODERN_VERSION
    with RawServer(server_command) as server:
        def request(method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
            rid = server.new_id()
            methods[rid] = method
            if modern:
                params = {**(params or {}), "_meta": modern_meta()}
            return server.request(method, params, id=rid)

        def tool(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
            result = request("tools/call", {"name": name, "arguments": arguments})["result"]
            calls.append((name, arguments, result))
            return result

        if modern:
            assert MODERN_VERSION in request("server/discover")["result"]["supportedVersions"]
        else:
            assert request("initialize", initialize_params(version))["result"]["protocolVersion"] == version
            server.notify("notifications/initialized")
        output_schemas = {t["name"]: t["outputSchema"] for t in request("tools/list")["result"]["tools"]}

        rows = tool("search_resources", {"limit": 500, "detail": True})["structuredContent"]["resources"]
        tool("search_resources", {"platforms": ["docker"], "limit": 50})
        tool("search_resources", {"types": ["vm"], "statuses": ["online"], "sort": "name", "limit": 50})
        tool("search_resources", {"sort": "diskUsage", "limit": 5, "cursor": "forged"})
        vsphere = tool("search_resources", {"platforms": ["vmware"], "includeUnsupported": True,
                                            "limit": 3})["structuredContent"]["resources"]
        vm = first_with(rows, type="vm", platform="proxmox-pve")
        container = first_with(rows, type="app-container", platform="docker")
        tool("get_resource", {"id": vm["id"]})
        tool("get_resource", {"name": vm["name"]})
        tool("get_resource", {"id": vsphere[0]["id"], "includeUnsupported": True})
        tool("get_resource", {"id": vm["id"] + "x"})
        tool("get_topology", {})
        tool("get_topology", {"rootId": vm["parentId"], "depth": 1})
        tool("list_alerts", {"limit": 5})
        tool("get_storage_summary", {"minUsage": 0.5})
        tool("list_recovery_points", {"resourceId": vm["id"]})
        tool("list_recovery_points", {"resourceId": container["id"]})
        for row in rows:  # the first resource with a cpu history (not every one has one)
            if not tool("get_metrics", {"resourceId": row["id"], "metric": "cpu", "maxPoints": 12}).get("isError"):
                break
        tool("get_platform_support", {"platform": "vmware"})
        tool("explain_control", {"resourceId": vm["id"]})
        tool("get_action_status", {"actionId": "act-none"})

        listed: list[dict[str, Any]] = []
        params: dict[str, Any] = {}
        while True:
            page = request("resources/list", params)["result"]
            listed += page["resources"]
            if not page.get("nextCursor"):
                break
            params = {"cursor": page["nextCursor"]}
        templates = request("resources/templates/list")["result"]["resourceTemplates"]
        reads = {uri: request("resources/read", {"uri": uri}) for uri in [
            "pulse://matrix", "pulse://platform/pve", resource_uri(vm["id"]), resource_uri(container["id"]),
            "pulse://resource/no%2Fsuch", "pulse://nothing-here",
        ]}
        server.close_stdin()
        server.read_to_eof()
        assert server.wait() == 0, server.stderr

    schema = mcp_schema(schema_version_for(version))
    for raw in server.lines:
        message = json.loads(raw)
        schema.validate_server_message(message, methods.get(message.get("id")))
    assert len(server.lines) == len(methods), "a request went unanswered, or something extra was written"

    for name, arguments, result in calls:
        [text] = [block["text"] for block in result["content"] if block["type"] == "text"]
        if result.get("isError"):
            assert "structuredContent" not in result
            continue
        assert result["structuredContent"] == json.loads(text), name
        Draft202012Validator(output_schemas[name]).validate(result["structuredContent"])
    errors = [(name, arguments) for name, arguments, result in calls if result.get("isError")]
    assert [name for name, _ in errors if name != "get_metrics"] == ["search_resources", "get_resource", "get_action_status"], errors
    assert {name for name, _, _ in calls} == set(output_schemas), "a read tool went uncalled"

    assert len(listed) == 1 + len(PLATFORM_IDS) and {t["uriTemplate"] for t in templates} == TEMPLATES
    answered = [json.loads(raw) for raw in server.lines]
    if modern:
        for message in answered:
            if "result" in message:
                assert message["result"]["resultType"] == "complete", message
                assert message["result"]["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "pulse-assistant"
            if methods.get(message.get("id")) in CACHEABLE and "result" in message:
                assert message["result"]["ttlMs"] >= 0 and message["result"]["cacheScope"] in ("public", "private")
    else:
        for message in answered:  # nothing of 2026-07-28 leaks into a legacy session
            result = message.get("result", {})
            assert not {"resultType", "ttlMs", "cacheScope"} & set(result), message
            assert "io.modelcontextprotocol/serverInfo" not in result.get("_meta", {}), message
    for uri, response in reads.items():
        if "no%2Fsuch" in uri or "nothing-here" in uri:
            assert response["error"]["code"] == (INVALID_PARAMS if modern else RESOURCE_NOT_FOUND), response
        else:
            [content] = response["result"]["contents"]
            assert content["uri"] == uri and content["mimeType"] == "application/json"
            json.loads(content["text"])
