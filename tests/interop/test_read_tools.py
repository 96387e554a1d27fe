"""Every read tool through the official Python MCP SDK client, on the embedded demo fleet and on an ingested store.

Each SDK test runs in `legacy` and `auto` mode. `Client.call_tool` validates each
successful result's `structuredContent` against the tool's `outputSchema` (see
sdk.py; `test_sdk_rejects_a_result_that_violates_the_output_schema` proves it
raises), so every call below is also a schema check; the assertions add what the
rows must say. Ids are discovered through the tools rather than hard-coded, so
the tests follow the demo fleet as it grows.

`test_wire_read_tool_calls_validate_against_the_mcp_schema` drives the same calls
without an SDK and validates every line against the official MCP schema.

`test_ingested_store_*` generate a 2000-resource fleet (`demo --resources 2000`),
ingest it into a temporary store and serve it with `serve --store`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from mcp.client.client import Client

from schemas import MCPSchema, schema_version_for
from sdk import MODES, call, call_error, connect, described, structured
from wire import RawServer, initialize_params

pytestmark = pytest.mark.anyio

#: tools/list order (README "Tools").
READ_TOOLS = [
    "search_resources", "get_resource", "get_topology", "list_alerts", "get_storage_summary",
    "list_recovery_points", "get_metrics", "get_platform_support", "explain_control", "get_action_status",
]
COMPACT_ONLY = ("tags", "metrics", "identity", "sources", "details")
SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}
VSPHERE_LABEL = {"supported": False, "governanceState": "admitted", "readinessStage": "first-lab-ready"}


def supported_platforms(repo_root: Path) -> set[str]:
    document = json.loads((repo_root / "Sources/Policy/Resources/platform-support.json").read_text())
    return {row["id"] for row in document["platforms"] if row["governance"] == "supported"}


async def walk_search(client: Client, arguments: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """Every row of a search, page by page through nextCursor."""
    rows: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(10_000):
        page = await call(client, "search_resources", {**arguments, "limit": limit, **({"cursor": cursor} if cursor else {})})
        assert len(page["resources"]) <= limit
        rows += page["resources"]
        cursor = page.get("nextCursor")
        if cursor is None:
            return rows
        assert page["resources"], "an empty page that still has a nextCursor"
    raise AssertionError("search pagination did not end")


def sort_key(row: dict[str, Any], sort: str) -> tuple[Any, ...]:
    """The documented order: name A–Z then id; metrics busiest first (missing last) then id."""
    if sort == "name":
        return (row["name"], row["id"])
    value = row.get(sort)
    return (-(value if value is not None else -1.0), row["id"])


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["id"] for row in rows]


@pytest.fixture(scope="module", params=MODES)
async def client(request: pytest.FixtureRequest, server_command: list[str]) -> AsyncIterator[Client]:
    """One SDK client per mode, shared by this module's demo-fleet tests.

    Building the embedded demo fleet is the server's first tool call's work (about
    0.4 s in a release build, 1.5-3 s in a debug one), so one server per mode keeps
    the suite fast; every test only reads.
    """
    async with connect(server_command, request.param) as connected:
        yield connected


# MARK: - tools/list


async def test_tools_list_declares_every_read_tool_on_one_page(client: Client) -> None:
    # The default level is read-only: control_resource answers calls (refused) but is not listed.
    listing = await client.list_tools()
    assert [tool.name for tool in listing.tools] == READ_TOOLS
    # One page: the SDK refreshes its output-schema cache with a single tools/list, so a
    # tool on a later page would silently go unvalidated.
    assert listing.next_cursor is None
    for tool in listing.tools:
        assert tool.output_schema and tool.output_schema.get("type") == "object", tool.name
        # Open (an answer may gain a field), but every field an answer always has is required.
        assert tool.output_schema.get("required"), tool.name
        assert tool.annotations and tool.annotations.read_only_hint is True, tool.name
        assert tool.annotations.open_world_hint is False, tool.name


# MARK: - search_resources


async def test_search_cursor_walk_returns_every_supported_resource_once(client: Client, repo_root: Path) -> None:
    supported = supported_platforms(repo_root)
    everything = await walk_search(client, {"includeUnsupported": True}, 500)
    walks = {sort: await walk_search(client, {"sort": sort}, 23 if sort == "name" else 37)
             for sort in ("name", "cpu", "memoryUsage", "diskUsage")}
    expected = {row["id"] for row in everything if row["platform"] in supported}
    assert len(expected) > 200, "the demo fleet is about 300 resources"
    for sort, rows in walks.items():
        duplicates = [rid for rid, n in Counter(ids(rows)).items() if n > 1]
        assert not duplicates, f"sort={sort}: returned twice: {duplicates[:10]}"
        assert set(ids(rows)) == expected, f"sort={sort}: missing {sorted(expected - set(ids(rows)))[:10]}"
        keys = [sort_key(row, sort) for row in rows]
        if sort != "name":
            # Rows show ratios to 4 decimals while the store orders by the exact value, so ties in
            # what is shown need not be in id order: check the values alone.
            keys = [key[:1] for key in keys]
        assert keys == sorted(keys), f"sort={sort}: rows out of order across pages"
        for row in rows:
            assert row["platform"] in supported
            assert not any(key in row for key in COMPACT_ONLY), f"compact row carries detail: {row}"


async def test_search_include_unsupported_labels_vsphere_rows(client: Client, repo_root: Path) -> None:
    supported = supported_platforms(repo_root)
    default = await call(client, "search_resources", {"platforms": ["vmware-vsphere"], "limit": 500})
    vsphere = await call(client, "search_resources",
                         {"platforms": ["vmware"], "includeUnsupported": True, "limit": 500})
    mixed = await walk_search(client, {"includeUnsupported": True, "types": ["vm"]}, 100)
    assert default["resources"] == [], "an unsupported platform's rows leak without includeUnsupported"
    assert vsphere["resources"], "the demo fleet has an admitted vSphere estate"
    for row in vsphere["resources"]:
        assert row["platform"] == "vmware-vsphere"
        assert row["platformSupport"] == VSPHERE_LABEL, row
    platforms = Counter(row["platform"] for row in mixed)
    assert platforms["vmware-vsphere"] and platforms["proxmox-pve"], platforms
    for row in mixed:
        if row["platform"] not in supported:
            assert row.get("platformSupport", {}).get("supported") is False, f"unlabelled unsupported row: {row}"
        elif "platformSupport" in row:
            assert row["platformSupport"]["supported"] is True, row


async def test_search_filters_sorts_and_detail(client: Client) -> None:
    narrow = await call(client, "search_resources", {"platforms": ["docker"], "limit": 50})
    alias = await call(client, "search_resources", {"platforms": ["PVE"], "types": ["vm"], "limit": 5})
    broad = await call(client, "search_resources",
                       {"types": ["vm"], "statuses": ["online"], "sort": "name", "limit": 50})
    stopped = await call(client, "search_resources", {"powerStates": ["stopped"], "limit": 500})
    busiest = await call(client, "search_resources", {"sort": "cpu", "limit": 10})
    detailed = await call(client, "search_resources", {"tag": "prod", "detail": True, "limit": 20})
    parent_id = broad["resources"][0]["parentId"]
    children = await call(client, "search_resources", {"parentId": parent_id, "limit": 500})
    target = broad["resources"][-1]
    by_text = await call(client, "search_resources", {"text": target["name"], "limit": 500})
    empty = await call(client, "search_resources", {"types": ["pmg"], "platforms": ["docker"]})
    too_many = await call_error(client, "search_resources", {"limit": 501})
    bad_type = await call_error(client, "search_resources", {"types": ["hypervisor"]})
    bad_cursor = await call_error(client, "search_resources", {"cursor": "not-a-cursor"})

    assert 0 < len(narrow["resources"]) <= 50
    assert {row["platform"] for row in narrow["resources"]} == {"docker"}
    assert alias["resources"] and {(r["platform"], r["type"]) for r in alias["resources"]} == {("proxmox-pve", "vm")}
    assert broad["resources"] and {(r["type"], r["status"]) for r in broad["resources"]} == {("vm", "online")}
    assert [sort_key(r, "name") for r in broad["resources"]] == sorted(sort_key(r, "name") for r in broad["resources"])
    assert stopped["resources"] and {r.get("powerState") for r in stopped["resources"]} == {"stopped"}
    cpus = [r.get("cpu", -1.0) for r in busiest["resources"]]
    assert cpus == sorted(cpus, reverse=True) and cpus[0] > 0
    assert detailed["resources"]
    for row in detailed["resources"]:
        assert "prod" in row["tags"], row
        assert isinstance(row["metrics"], dict) and isinstance(row["identity"], dict), row
    assert children["resources"] and {r["parentId"] for r in children["resources"]} == {parent_id}
    assert target["id"] in ids(by_text["resources"]), f"text search for {target['name']!r} misses {target['id']}"
    assert empty == {"resources": []} or (empty["resources"] == [] and "nextCursor" not in empty)
    assert "limit" in too_many and "500" in too_many, too_many
    assert "types" in bad_type, bad_type
    assert "cursor" in bad_cursor.lower(), bad_cursor


# MARK: - get_resource


async def test_get_resource_by_id_and_by_name(client: Client) -> None:
    [vm] = (await call(client, "search_resources", {"types": ["vm"], "platforms": ["proxmox-pve"],
                                                      "limit": 1}))["resources"]
    by_id = await call(client, "get_resource", {"id": vm["id"]})
    parent = await call(client, "get_resource", {"id": vm["parentId"]})
    names = Counter(r["name"] for r in await walk_search(client, {}, 500))
    unique_name = next(name for name, n in names.items() if n == 1 and name == vm["name"]) \
        if names[vm["name"]] == 1 else next(name for name, n in names.items() if n == 1)
    by_name = await call(client, "get_resource", {"name": unique_name})
    shared_name = next(name for name, n in names.items() if n > 1)
    shared = await call_error(client, "get_resource", {"name": shared_name})
    sharing = await call(client, "search_resources", {"text": shared_name, "limit": 500})

    resource = by_id["resource"]
    assert resource["id"] == vm["id"] and resource["name"] == vm["name"] and resource["type"] == "vm"
    for key in ("tags", "metrics", "identity", "sources", "details"):
        assert key in resource, f"get_resource leaves out {key}"
    assert by_id["parentChain"][0]["id"] == vm["parentId"]
    assert by_id["platformSupport"]["id"] == "proxmox-pve" and by_id["platformSupport"]["supported"] is True
    assert by_id["control"]["controlLevel"] == "read-only"
    assert by_id["recovery"]["surface"] in ("supported", "augmentation-only", "read-only", "n/a")
    assert parent["childCounts"].get("vm", 0) >= 1, parent["childCounts"]
    assert by_name["resource"]["name"] == unique_name
    assert f'"{shared_name}"' in shared
    named = [r["id"] for r in sharing["resources"] if r["name"] == shared_name]
    assert len(named) == names[shared_name]
    for rid in named:
        assert rid in shared, f"{rid} missing from the ambiguity answer: {shared}"


async def test_get_resource_unknown_id_names_the_closest_ids(client: Client) -> None:
    [vm] = (await call(client, "search_resources", {"types": ["vm"], "platforms": ["proxmox-pve"],
                                                      "limit": 1}))["resources"]
    missing = vm["id"] + "7"
    text = await call_error(client, "get_resource", {"id": missing})
    nothing = await call_error(client, "get_resource", {})
    assert missing in text, text
    assert "closest" in text.lower(), text
    assert vm["id"] in text, f"the closest ids to {missing!r} should include {vm['id']!r}: {text}"
    assert "id" in nothing and "name" in nothing, nothing


async def test_get_resource_on_vsphere_says_not_supported(client: Client) -> None:
    [vm] = (await call(client, "search_resources", {"platforms": ["vmware-vsphere"], "types": ["vm"],
                                                      "includeUnsupported": True, "limit": 1}))["resources"]
    refused = await call_error(client, "get_resource", {"id": vm["id"]})
    shown = await call(client, "get_resource", {"id": vm["id"], "includeUnsupported": True})
    assert "vmware-vsphere" in refused and "not supported" in refused and "includeUnsupported" in refused, refused
    assert shown["resource"]["platformSupport"] == VSPHERE_LABEL
    standing = shown["platformSupport"]
    assert standing["id"] == "vmware-vsphere" and standing["supported"] is False
    assert standing["governanceState"] == "admitted" and standing["readinessStage"] == "first-lab-ready"
    assert "not supported" in standing["statement"]
    assert shown["control"]["openActions"] == []


# MARK: - get_topology


def walk_tree(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for node in nodes:
        yield node
        yield from walk_tree(node.get("children", []))


async def test_get_topology(client: Client) -> None:
    forest = await call(client, "get_topology", {})
    [cluster] = (await call(client, "search_resources", {"types": ["k8s-cluster"], "limit": 1}))["resources"]
    subtree = await call(client, "get_topology", {"rootId": cluster["id"], "depth": 3, "maxNodes": 2000})
    shallow = await call(client, "get_topology", {"rootId": cluster["id"], "depth": 1})
    capped = await call(client, "get_topology", {"maxNodes": 5, "depth": 6})
    labelled = await call(client, "get_topology", {"includeUnsupported": True, "depth": 1, "maxNodes": 2000})
    unknown = await call_error(client, "get_topology", {"rootId": "no/such/resource"})

    nodes = list(walk_tree(forest["roots"]))
    assert forest["roots"] and forest["nodeCount"] == len(nodes)
    assert all(node["platform"] != "vmware-vsphere" for node in nodes)
    [root] = subtree["roots"]
    assert root["id"] == cluster["id"] and root["type"] == "k8s-cluster"
    types = {node["type"] for node in walk_tree([root])}
    assert {"k8s-node", "pod"} <= types, types
    for node in walk_tree([root]):
        if "children" in node:
            assert len(node["children"]) == node["childCount"], node["id"]
    [top] = shallow["roots"]
    assert all("children" not in child for child in top["children"]), "depth 1 went deeper"
    assert capped["nodeCount"] <= 5 and capped["truncated"] is True
    assert len(list(walk_tree(capped["roots"]))) == capped["nodeCount"]
    vsphere = [n for n in walk_tree(labelled["roots"]) if n["platform"] == "vmware-vsphere"]
    assert vsphere and all(n["platformSupport"] == VSPHERE_LABEL for n in vsphere)
    assert "no/such/resource" in unknown


# MARK: - list_alerts


async def test_list_alerts_orders_filters_and_pages(client: Client) -> None:
    alerts: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = await call(client, "list_alerts", {"limit": 7, **({"cursor": cursor} if cursor else {})})
        alerts += page["alerts"]
        if not (cursor := page.get("nextCursor")):
            break
    everything = await call(client, "list_alerts", {"limit": 500})
    critical = await call(client, "list_alerts", {"severities": ["critical"], "limit": 500})
    one = alerts[-1]
    on_resource = await call(client, "list_alerts", {"resourceId": one["resourceId"], "limit": 500})
    docker = await call(client, "list_alerts", {"platforms": ["docker"], "limit": 500})
    with_vsphere = await call(client, "list_alerts", {"includeUnsupported": True, "limit": 500})

    assert alerts == everything["alerts"], "paging changes the alerts or their order"
    assert len({a["id"] for a in alerts}) == len(alerts)
    assert {a["severity"] for a in alerts} >= {"critical", "warning"}
    keys = [(SEVERITY_RANK[a["severity"]], -_epoch(a["since"])) for a in alerts]
    assert keys == sorted(keys), "not critical→warning→info, newest first"
    assert critical["alerts"] and {a["severity"] for a in critical["alerts"]} == {"critical"}
    assert one["id"] in [a["id"] for a in on_resource["alerts"]]
    assert {a["resourceId"] for a in on_resource["alerts"]} == {one["resourceId"]}
    assert {a["platform"] for a in docker["alerts"]} <= {"docker"}
    assert all(a["platform"] != "vmware-vsphere" for a in alerts)
    assert len(with_vsphere["alerts"]) >= len(alerts)


def _epoch(rfc3339: str) -> float:
    from datetime import datetime
    return datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp()


# MARK: - get_storage_summary


async def test_get_storage_summary(client: Client) -> None:
    summary = await call(client, "get_storage_summary", {"limit": 500})
    full = await call(client, "get_storage_summary", {"minUsage": 0.8, "limit": 500})
    disks = await call(client, "get_storage_summary", {"types": ["physical-disk"], "limit": 500})
    truenas = await call(client, "get_storage_summary", {"platforms": ["truenas"], "limit": 500})

    assert {t["type"] for t in summary["totals"]} == {"storage", "ceph", "physical-disk"}
    counted = Counter(r["type"] for r in summary["resources"])
    for total in summary["totals"]:
        assert 0 <= total["usedBytes"] <= total["totalBytes"], total
        assert 0 <= total["unhealthy"] <= total["count"], total
    assert sum(t["count"] for t in summary["totals"]) == len(summary["resources"]) == sum(counted.values())
    usage = [r["diskUsage"] for r in summary["resources"] if "diskUsage" in r]
    assert usage == sorted(usage, reverse=True), "not fullest first"
    assert full["resources"] and all(r["diskUsage"] >= 0.8 for r in full["resources"])
    assert {r["type"] for r in disks["resources"]} == {"physical-disk"}
    assert truenas["resources"] and {r["platform"] for r in truenas["resources"]} == {"truenas"}


# MARK: - list_recovery_points


async def test_list_recovery_points(client: Client) -> None:
    [container] = (await call(client, "search_resources", {"platforms": ["docker"], "types": ["app-container"],
                                                             "limit": 1}))["resources"]
    docker = await call(client, "list_recovery_points", {"resourceId": container["id"]})
    vms = (await call(client, "search_resources", {"platforms": ["proxmox-pve"], "types": ["vm"],
                                                    "limit": 50}))["resources"]
    backed_up = None
    for vm in vms:
        answer = await call(client, "list_recovery_points", {"resourceId": vm["id"], "limit": 500})
        if answer.get("recoveryPoints"):
            backed_up = answer
            break
    assert backed_up, "no Proxmox VE VM in the demo fleet has a recovery point"
    rid = backed_up["resourceId"]
    paged: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = await call(client, "list_recovery_points",
                          {"resourceId": rid, "limit": 2, **({"cursor": cursor} if cursor else {})})
        paged += page["recoveryPoints"]
        if not (cursor := page.get("nextCursor")):
            break
    backups = await call(client, "list_recovery_points", {"resourceId": rid, "kind": "backup", "limit": 500})
    summary = await call(client, "get_resource", {"id": rid})
    unknown = await call_error(client, "list_recovery_points", {"resourceId": "no/such/resource"})

    assert docker["available"] is False, docker
    assert docker["recoverySurface"] == "n/a" and docker["platform"] == "docker"
    assert docker.get("reason") and not docker.get("recoveryPoints"), docker
    assert backed_up["available"] is True and backed_up["recoverySurface"] == "supported"
    points = backed_up["recoveryPoints"]
    assert [_epoch(p["at"]) for p in points] == sorted((_epoch(p["at"]) for p in points), reverse=True)
    assert paged == points, "paging changes the recovery points or their order"
    assert {p["kind"] for p in backups["recoveryPoints"]} == {"backup"}
    assert summary["recovery"]["count"] == len(points)
    assert summary["recovery"]["latest"]["id"] == points[0]["id"]
    assert "no/such/resource" in unknown


# MARK: - get_metrics


async def test_get_metrics_downsamples(client: Client) -> None:
    vms = (await call(client, "search_resources", {"types": ["vm"], "platforms": ["proxmox-pve"],
                                                    "statuses": ["online"], "limit": 50}))["resources"]
    for vm in vms:  # not every VM has a recorded history
        answer = await client.call_tool("get_metrics", {"resourceId": vm["id"], "metric": "cpu", "maxPoints": 1000})
        if not answer.is_error:
            break
    else:
        raise AssertionError("no online Proxmox VE VM in the demo fleet has a cpu history")
    day = structured(answer)
    coarse = await call(client, "get_metrics", {"resourceId": vm["id"], "metric": "cpu", "maxPoints": 10})
    window = await call(client, "get_metrics", {"resourceId": vm["id"], "metric": "cpu", "maxPoints": 1000,
                                                "since": day["points"][10]["at"], "until": day["points"][20]["at"]})
    unknown_metric = await call_error(client, "get_metrics", {"resourceId": vm["id"], "metric": "nope"})

    assert day["sampleCount"] > 20 and day["downsampled"] is False
    assert len(day["points"]) == day["sampleCount"] and all(p["count"] == 1 for p in day["points"])
    assert coarse["sampleCount"] == day["sampleCount"] and coarse["downsampled"] is True
    assert 0 < len(coarse["points"]) <= 10
    assert sum(p["count"] for p in coarse["points"]) == coarse["sampleCount"]
    for point in coarse["points"]:
        assert point["min"] <= point["value"] <= point["max"], point
    times = [_epoch(p["at"]) for p in coarse["points"]]
    assert times == sorted(times)
    assert window["sampleCount"] == 11, window
    assert '"nope"' in unknown_metric and "cpu" in unknown_metric, unknown_metric


# MARK: - get_platform_support


async def test_get_platform_support(client: Client) -> None:
    everything = await call(client, "get_platform_support")
    [docker] = (await call(client, "get_platform_support", {"platform": "docker"}))["platforms"]
    assert len(everything["platforms"]) == 14 and everything["supportedCount"] == 7
    assert docker["id"] == "docker" and docker["supported"] is True
    assert docker["supportFloor"]["recovery"] == "n/a", "list_recovery_points' docker answer rests on this"


# MARK: - the SDK's own validation


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("how", "message"), [("retype", "Invalid structured content returned by tool"),
                                              ("drop", "has an output schema but did not return structured content")])
async def test_sdk_rejects_a_result_that_violates_the_output_schema(server_command: list[str], mode: str,
                                                                     how: str, message: str) -> None:
    """The client-side check the other tests rely on is real: a corrupted result raises."""
    proxy = [sys.executable, str(Path(__file__).with_name("corrupting_proxy.py")), how, *server_command]
    async with connect(proxy, mode) as client:
        # get_platform_support does not open the store: no demo fleet is built, the test stays fast.
        with pytest.raises(RuntimeError, match=message):
            await client.call_tool("get_platform_support", {"platform": "pve"})
        # isError results carry no structuredContent and are not validated: they pass.
        assert (await client.call_tool("get_platform_support", {"platform": "nope"})).is_error is True


# MARK: - an ingested store


@pytest.fixture(scope="module")
def ingested_store(server_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """A generated 2000-resource fleet, ingested into a fresh store: (store, the snapshot's resources)."""
    directory = tmp_path_factory.mktemp("store")
    snapshot, store = directory / "fleet.jsonl", directory / "store.db"
    for argv in ([str(server_bin), "demo", "--resources", "2000", "--out", str(snapshot)],
                 [str(server_bin), "ingest", str(snapshot), "--store", str(store)]):
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{argv[1]} failed: {done.stderr[-2000:]}"
    # An ingest answers no tool call: it creates no audit chain beside the store (serving it does).
    assert not [p.name for p in directory.glob("store.db.audit*")]
    resources = []
    with snapshot.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if "resource" in record:
                resources.append(record["resource"])
    return store, resources


@pytest.mark.parametrize("mode", MODES)
async def test_ingested_store_is_served_and_searchable(server_bin: Path, repo_root: Path, mode: str,
                                                       ingested_store: tuple[Path, list[dict[str, Any]]]) -> None:
    store, snapshot = ingested_store
    supported = supported_platforms(repo_root)
    expected = {r["id"]: r for r in snapshot if r["platform"] in supported}
    assert len(snapshot) >= 2000
    async with connect([str(server_bin), "serve", "--store", str(store)], mode) as client:
        instructions = (await described(client)).instructions or ""
        rows = await walk_search(client, {}, 500)
        narrow = await call(client, "search_resources", {"platforms": ["docker"], "limit": 50})
        broad = await call(client, "search_resources",
                           {"types": ["vm"], "statuses": ["online"], "sort": "name", "limit": 50})
        sample = sorted(expected)[:: max(1, len(expected) // 25)]
        fetched = [await call(client, "get_resource", {"id": rid}) for rid in sample]

    assert str(store) in instructions or store.name in instructions, "instructions should name the store read"
    assert Counter(ids(rows)).most_common(1)[0][1] == 1, "a resource was returned twice"
    assert set(ids(rows)) == set(expected), f"missing {sorted(set(expected) - set(ids(rows)))[:5]}"
    assert len(narrow["resources"]) == 50 and {r["platform"] for r in narrow["resources"]} == {"docker"}
    want = sorted((r["name"], r["id"]) for r in expected.values() if r["type"] == "vm" and r["status"] == "online")
    assert [(r["name"], r["id"]) for r in broad["resources"]] == want[:50]
    for answer in fetched:
        resource = answer["resource"]
        source = expected[resource["id"]]
        for key in ("type", "platform", "name", "status", "parentId", "tags", "identity", "details"):
            if key in source:
                assert resource[key] == source[key], (resource["id"], key)
