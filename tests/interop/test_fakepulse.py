"""The fake Pulse server (tests/fakepulse): Pulse's paging, auth, TLS, fault switches and action
lifecycle, checked with a plain urllib client against a real process on port 0.

Runs without the rest of the interop suite's dependencies:
    python3 -m pytest --noconftest tests/interop/test_fakepulse.py
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

FAKE_DIR = Path(__file__).resolve().parents[1] / "fakepulse"
sys.path.insert(0, str(FAKE_DIR))

from launch import start_fake, stop_fake  # noqa: E402
from shapecheck import ShapeChecker  # noqa: E402

# The shared Pulse fixtures, as the repository keeps them (one copy, beside the Swift tests that decode them).
FIXTURES = Path(__file__).resolve().parents[2] / "Tests" / "PulseClientTests" / "Fixtures"
TOKEN = "fp-test-token-6f1d2c9a"
RO_TOKEN = "fp-readonly-token-0b7e"


class Fake:
    """A running fake and a small urllib client for it."""

    def __init__(self, *args: str, token: str | None = None):
        self.proc, self.url, self.ca_file = start_fake(*args)
        self.token = token
        self.context = ssl.create_default_context(cafile=self.ca_file) if self.ca_file else None

    def request(self, method: str, path: str, body=None, token: str | None = "default", headers: dict | None = None,
                timeout: float = 30.0) -> tuple[int, bytes, dict]:
        token = self.token if token == "default" else token
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        hdrs = {"Content-Type": "application/json"} if data is not None else {}
        if token:
            hdrs["X-API-Token"] = token
        hdrs.update(headers or {})
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=timeout, context=self.context) as resp:
                return resp.status, resp.read(), dict(resp.headers)
        except urllib.error.HTTPError as err:
            return err.code, err.read(), dict(err.headers)

    def json(self, method: str, path: str, body=None, **kw):
        status, data, _ = self.request(method, path, body, **kw)
        return status, (json.loads(data) if data.strip() else None)

    def get(self, path: str, **kw):
        return self.json("GET", path, **kw)

    def control(self, path: str, doc=None, method: str = "POST"):
        status, data = self.json(method, path, doc, token=None)
        assert status == 200, data
        return data

    def walk(self, limit: int = 100, query: str = "") -> tuple[list[dict], list[dict]]:
        rows, metas, page = [], [], 1
        while True:
            status, doc = self.get(f"/api/resources?limit={limit}&page={page}{query}")
            assert status == 200, doc
            rows += doc["data"]
            metas.append(doc["meta"])
            if page >= doc["meta"]["totalPages"]:
                return rows, metas
            page += 1

    def stop(self) -> int:
        return stop_fake(self.proc)


def key(row: dict) -> tuple:
    itype = "agent" if row["type"] == "docker-host" else row["type"]
    return (str(row["name"]).strip().lower(), itype, row["id"])


@pytest.fixture(scope="module")
def fake():
    f = Fake("--resources", "2000", "--seed", "7")
    yield f
    f.stop()


@pytest.fixture
def fresh():
    started = []

    def make(*args: str, token: str | None = None) -> Fake:
        f = Fake(*args, token=token)
        started.append(f)
        return f
    yield make
    for f in started:
        f.stop()


# -- the process --------------------------------------------------------------------------------

def test_ready_line_and_clean_exit(fresh):
    f = fresh("--resources", "10")
    assert f.url.startswith("http://127.0.0.1:") and f.ca_file is None
    assert f.get("/api/resources")[0] == 200
    assert f.stop() == 0


def test_exit_with_stdin_stops_at_the_end_of_its_input():
    # start_fake gives it /dev/null: the input ends at once, as a killed replay's pipe does.
    proc, url, _ = start_fake("--resources", "10", "--exit-with-stdin")
    assert url.startswith("http://127.0.0.1:")
    assert proc.wait(timeout=10) == 0


@pytest.mark.parametrize("args, message", [
    (["--host", "pulse.example"], "--host must be a loopback address"),
    (["--resources", "5"], "--resources must be between 10 and 1000000"),
    (["--resources", "1000001"], "--resources must be between 10 and 1000000"),
])
def test_rejects_non_loopback_host_and_bad_sizes(args, message, capsys):
    # Refused while the arguments are read, before any socket exists.
    from fakepulse import parse_args
    with pytest.raises(SystemExit) as exited:
        parse_args(args)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_a_refused_start_exits_before_its_ready_line():
    with pytest.raises(Exception, match="exited \\(2\\) before it was ready"):
        start_fake("--resources", "5", timeout=10)


# -- paging -------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, limit", [("", 50), ("?limit=0", 50), ("?limit=-4", 50), ("?limit=abc", 50),
                                          ("?limit=100", 100), ("?limit=101", 100), ("?limit=5000", 100), ("?limit=7", 7)])
def test_limit_rules(fake, query, limit):
    status, doc = fake.get("/api/resources" + query)
    assert status == 200
    assert doc["meta"] == {"page": 1, "limit": limit, "total": 2000, "totalPages": -(-2000 // limit)}
    assert len(doc["data"]) == limit


def test_walk_sees_every_row_once_in_pulse_order(fake):
    rows, metas = fake.walk(100)
    assert len(metas) == 20 and all(m["totalPages"] == 20 for m in metas)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == 2000
    assert [key(r) for r in rows] == sorted(key(r) for r in rows)
    desc, _ = fake.walk(100, "&order=desc")
    assert [r["id"] for r in desc] == ids[::-1]


def test_page_past_the_end_and_page_zero(fake):
    status, doc = fake.get("/api/resources?limit=100&page=21")
    assert status == 200 and doc["data"] == [] and doc["meta"]["total"] == 2000
    _, first = fake.get("/api/resources?limit=10&page=0")
    _, one = fake.get("/api/resources?limit=10&page=1")
    assert first == one


def test_type_filter_uses_contract_types_and_rejects_unknown_tokens(fake):
    rows, _ = fake.walk(100)
    by_type = {}
    for r in rows:
        by_type.setdefault(r["type"], []).append(r["id"])
    vms, _ = fake.walk(100, "&type=vms")
    assert [r["id"] for r in vms] == by_type["vm"]
    agents, _ = fake.walk(100, "&type=agent")
    assert {r["type"] for r in agents} == {"agent"}          # docker-host is not `agent`
    hosts, _ = fake.walk(100, "&type=docker-host,physical-disk")
    assert sorted(r["id"] for r in hosts) == sorted(by_type["docker-host"] + by_type["physical_disk"])
    status, body, headers = fake.request("GET", "/api/resources?type=vm,Bogus,nope")
    assert status == 400 and body == b"unsupported type filter token(s): bogus, nope\n"
    assert headers["Content-Type"] == "text/plain; charset=utf-8"


def test_other_sorts_and_filters(fake):
    rows, _ = fake.walk(100, "&sort=status")
    assert [(r["status"],) + key(r) for r in rows] == sorted((r["status"],) + key(r) for r in rows)
    offline, _ = fake.walk(100, "&status=offline&type=vm")
    assert offline and all(r["status"] == "offline" and r["type"] == "vm" for r in offline)
    named, _ = fake.walk(100, "&q=WEB-")
    assert named and all("web-" in r["name"] for r in named)


def test_aggregations_cover_the_whole_fleet(fake):
    _, doc = fake.get("/api/resources?type=vm&limit=1")
    agg = doc["aggregations"]
    assert agg["total"] == 2000 and sum(agg["byType"].values()) == 2000 and sum(agg["byStatus"].values()) == 2000
    assert list(agg["byType"]) == sorted(agg["byType"])          # Go maps are written sorted
    assert doc["meta"]["total"] == agg["byType"]["vm"]
    assert agg["policyPosture"]["totalResources"] == 2000


# -- rows ---------------------------------------------------------------------------------------

def test_rows_have_pulses_shape_and_ids(fake):
    checker = ShapeChecker(allow_unknown=("lifecycle",))
    rows, _ = fake.walk(100)
    problems = [p for r in rows for p in checker.check(r, "unifiedresources.Resource")]
    assert problems == []
    kinds = {r["type"] for r in rows}
    for wanted in ("agent", "docker-host", "vm", "system-container", "app-container", "docker-service", "docker-network",
                   "docker-image", "k8s-cluster", "k8s-node", "pod", "k8s-deployment", "k8s-service", "k8s-namespace",
                   "storage", "physical_disk", "ceph", "pbs", "pmg", "network-share", "network-endpoint"):
        assert wanted in kinds, wanted
    for r in rows:
        if r["type"] == "docker-host":
            assert r["id"].startswith("agent-")
        if r["type"] == "vm" and r.get("technology") == "qemu":
            p = r["proxmox"]
            stable = f"proxmox-guest:{p['instance']}:{p['vmid']}"
            assert r["id"] == "vm-" + hashlib.sha256(stable.encode()).hexdigest()[:16]
            assert isinstance(p["vmid"], int)
            assert f"{p['instance']}:{p['nodeName']}:{p['vmid']}" in r["canonicalIdentity"]["aliases"]
    assert any(r["name"] == "4242" for r in rows)                       # an integer-looking name
    assert any("lifecycle" in r for r in rows)                          # a field Pulse added later
    assert any(r["type"] == "vm" and r.get("technology") == "vmware" for r in rows)
    nas_apps = [r for r in rows if r["type"] == "app-container" and "truenas" in r]
    assert nas_apps and all(x["reasonCode"] == "unsupported_handler" for a in nas_apps for x in a["actionReadiness"])
    guests = [r for r in rows if r["type"] in ("vm", "system-container") and r.get("technology") != "vmware"]
    assert any(r.get("capabilities") for r in guests)
    assert any(x.get("reasonCode") == "command_agent_disconnected" for r in guests for x in r.get("actionReadiness", []))
    nodes = [r for r in rows if r["type"] == "agent" and "proxmox" in r]
    assert any("agent" in n and n["agent"].get("commandsEnabled") for n in nodes)
    assert any("agent" in n and not n["agent"].get("commandsEnabled") for n in nodes)
    assert any("agent" in n and n["agent"].get("stale") for n in nodes)
    assert any("agent" not in n for n in nodes)


def test_get_resource_exact_id_only(fake):
    _, doc = fake.get("/api/resources?type=pmg")
    pmg = doc["data"][0]
    status, full = fake.get(f"/api/resources/{pmg['id']}")
    assert status == 200 and "relayDomains" in full["pmg"] and "relayDomains" not in pmg["pmg"]
    alias = pmg["canonicalIdentity"]["primaryId"]
    status, body, _ = fake.request("GET", f"/api/resources/{alias}")
    assert status == 404 and body == b"Resource not found\n"


def test_alerts_use_legacy_ids_and_one_joins_nothing(fake):
    rows, _ = fake.walk(100)
    status, alerts = fake.get("/api/alerts/active")
    assert status == 200 and 20 <= len(alerts) <= 60
    refs = set()
    for r in rows:
        refs.update((r.get("canonicalIdentity") or {}).get("aliases", []))
        if r.get("proxmox", {}).get("sourceId"):
            refs.add(r["proxmox"]["sourceId"])
        d = r.get("docker") or {}
        if d.get("containerId"):
            refs.add(f"docker:{d['hostSourceId']}/{d['containerId']}")
    unjoined = [a for a in alerts if a["resourceId"] not in refs]
    assert [a["resourceId"] for a in unjoined] == ["pve-gone:pve99:999"]
    forms = {a["resourceId"].split(":")[0] for a in alerts}
    assert "agent" in forms and "docker" in forms
    assert [a["level"] for a in alerts] == sorted((a["level"] for a in alerts), key=lambda x: x != "critical")
    checker = ShapeChecker()
    assert [p for a in alerts for p in checker.check(a, "alerts.Alert")] == []


def test_recovery_points_paging(fake):
    status, first = fake.get("/api/recovery/points")
    assert status == 200 and first["meta"]["limit"] == 100 and len(first["data"]) == 100
    total = first["meta"]["total"]
    seen = []
    for page in range(1, first["meta"]["totalPages"] + 1):
        seen += fake.get(f"/api/recovery/points?page={page}")[1]["data"]
    assert len(seen) == total == len({p["id"] for p in seen})
    assert [p["completedAt"] for p in seen] == sorted((p["completedAt"] for p in seen), reverse=True)
    _, big = fake.get("/api/recovery/points?limit=1000")
    assert big["meta"]["limit"] == 1000 and len(big["data"]) == min(500, total)    # Pulse's store clamp, echoed limit
    ids = {r["id"] for r in fake.walk(100)[0]}
    assert all(p["subjectResourceId"] in ids for p in seen)


def test_metrics_history(fake):
    _, doc = fake.get("/api/resources?type=vm&limit=1")
    target = doc["data"][0]["metricsTarget"]
    base = f"/api/metrics-store/history?resourceType={target['resourceType']}&resourceId={target['resourceId']}"
    status, single = fake.get(base + "&metric=cpu&range=1h")
    assert status == 200 and single["points"] and list(single) == sorted(single) and single["source"] == "store"
    status, everything = fake.get(base + "&range=24h&maxPoints=48")
    assert status == 200 and "cpu" in everything["metrics"] and len(everything["metrics"]["cpu"]) <= 48
    status, body, _ = fake.request("GET", base + "&range=30d")
    assert status == 402 and json.loads(body)["error"] == "license_required"
    assert fake.get(base + "&range=7d")[0] == 200
    status, unknown = fake.get("/api/metrics-store/history?resourceType=vm&resourceId=nope:nope:1&metric=cpu")
    assert status == 200 and unknown["points"] == []
    assert fake.request("GET", "/api/metrics-store/history?resourceType=vm")[0] == 400
    assert fake.request("GET", "/api/metrics-store/history?resourceType=bogus&resourceId=x")[1] == b'unsupported resourceType "bogus"\n'


# -- auth, org, TLS -----------------------------------------------------------------------------

def test_token_auth(fresh):
    f = fresh("--resources", "50", "--token", TOKEN, "--read-only-token", RO_TOKEN, token=TOKEN)
    status, body, headers = f.request("GET", "/api/resources", token=None)
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer realm=")
    assert body == b"API token required via Authorization header or X-API-Token header\n"
    status, body, _ = f.request("GET", "/api/resources", token="wrong")
    assert status == 401 and body == b"Invalid API token\n"
    assert f.request("GET", "/api/resources", token=None, headers={"Authorization": f"Bearer {TOKEN}"})[0] == 200
    assert f.request("GET", "/api/alerts/active", token=RO_TOKEN)[0] == 200
    status, body, _ = f.request("POST", "/api/actions/plan", {"requestId": "x"}, token=RO_TOKEN)
    assert status == 403 and json.loads(body) == {"error": "missing_scope", "requiredScopes": ["actions:plan", "ai:execute"]}
    status, body, _ = f.request("POST", "/api/actions/act_00/execute", {}, token=RO_TOKEN)
    assert status == 403 and json.loads(body)["requiredScopes"] == ["relay:mobile:access", "actions:execute", "ai:execute"]
    assert f.request("GET", "/_fake/stats", token=None)[0] == 200          # controls need no token


def test_org_header_required(fresh):
    f = fresh("--resources", "20", "--org", "acme")
    status, body, _ = f.request("GET", "/api/resources")
    assert status == 403 and json.loads(body) == {"error": "access_denied", "message": "Token is not authorized for this organization"}
    assert f.request("GET", "/api/resources", headers={"X-Pulse-Org-ID": "other"})[0] == 403
    assert f.request("GET", "/api/resources", headers={"X-Pulse-Org-ID": "acme"})[0] == 200


def test_tls_with_the_printed_ca(fresh):
    f = fresh("--resources", "20", "--tls")
    assert f.url.startswith("https://127.0.0.1:") and Path(f.ca_file).is_file()
    assert f.get("/api/resources")[0] == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f.url + "/api/resources", timeout=10, context=ssl.create_default_context())
    ca_dir = Path(f.ca_file).parent
    assert f.stop() == 0 and not ca_dir.exists()


def test_tls_without_openssl_exits_2():
    from launch import FakeStartError
    with pytest.raises(FakeStartError, match=r"exited \(2\).*openssl"):
        start_fake("--tls", timeout=20, env={"PATH": "/nonexistent"})


# -- faults -------------------------------------------------------------------------------------

def test_slow_error_and_dropped_pages(fresh):
    f = fresh("--resources", "300")
    f.control("/_fake/faults", {"slowPage": {"page": 2, "seconds": 0.6}, "errorPage": {"page": 3, "status": 503, "times": 2},
                                "dropPage": {"page": 1, "times": 1}})
    with pytest.raises((urllib.error.URLError, http.client.HTTPException, ConnectionError)):
        f.request("GET", "/api/resources?limit=100&page=1")
    assert f.get("/api/resources?limit=100&page=1")[0] == 200
    started = time.monotonic()
    assert f.get("/api/resources?limit=100&page=2")[0] == 200
    assert time.monotonic() - started >= 0.6
    assert [f.request("GET", "/api/resources?limit=100&page=3")[0] for _ in range(3)] == [503, 503, 200]
    f.control("/_fake/faults", {"errorPage": {"page": 3, "times": -1}})
    assert [f.request("GET", "/api/resources?limit=100&page=3")[0] for _ in range(3)] == [500, 500, 500]
    f.control("/_fake/faults", {"clear": True})
    assert f.request("GET", "/api/resources?limit=100&page=3")[0] == 200
    log = f.control("/_fake/log", method="GET")
    assert any(e["dropped"] and e["query"].get("page") == "1" for e in log)


def test_churn_between_pages_moves_rows(fresh):
    f = fresh("--resources", "1000", "--fault", json.dumps({"churn": {"afterPage": 3, "percent": 5}}))
    before, _ = f.walk(100)
    ids = [r["id"] for r in before]
    after, _ = f.walk(100)
    assert len(after) == 1000 and len({r["id"] for r in after}) == 1000
    assert [key(r) for r in after] == sorted(key(r) for r in after)
    # the first walk was hit by churn after page 3: renamed rows moved between pages, so that walk
    # saw some rows twice and missed others, exactly what paging a changing Pulse does
    assert len(ids) == 1000 and len(set(ids)) < 1000
    assert {r["id"] for r in after} - set(ids)
    log = f.control("/_fake/log", method="GET")
    assert sum(1 for e in log if e["path"] == "/api/resources") == 20


def test_manual_churn_is_deterministic_and_zero_is_noop(fresh):
    a, b = fresh("--resources", "500", "--seed", "3"), fresh("--resources", "500", "--seed", "3")
    untouched = a.request("GET", "/api/resources?limit=100&page=2")[1]
    assert a.control("/_fake/churn", {"percent": 0})["changed"] == 0
    assert a.request("GET", "/api/resources?limit=100&page=2")[1] == untouched
    for f in (a, b):
        assert f.control("/_fake/churn", {"percent": 10})["changed"] == 50
    for page in range(1, 6):
        assert a.request("GET", f"/api/resources?limit=100&page={page}")[1] == b.request("GET", f"/api/resources?limit=100&page={page}")[1]
    assert a.request("GET", "/api/resources?limit=100&page=2")[1] != untouched


def test_vanish_after_page(fresh):
    f = fresh("--resources", "400", "--fault", json.dumps({"vanish": {"afterPage": 1, "count": 7}}))
    first = f.get("/api/resources?limit=100&page=1")[1]
    assert first["meta"]["total"] == 400
    second = f.get("/api/resources?limit=100&page=2")[1]
    assert second["meta"]["total"] == 393 and second["aggregations"]["total"] == 393
    assert f.control("/_fake/stats", method="GET")["resources"] == 393


def test_broken_envelope_and_malformed_row(fresh):
    f = fresh("--resources", "100")
    f.control("/_fake/faults", {"brokenEnvelope": {"page": 1}})
    status, body, _ = f.request("GET", "/api/resources?limit=50&page=1")
    assert status == 200
    with pytest.raises(ValueError):
        json.loads(body)
    f.control("/_fake/faults", {"brokenEnvelope": {"page": 2, "mode": "missingMeta"}})
    status, doc = f.get("/api/resources?limit=50&page=2")
    assert status == 200 and "meta" not in doc and len(doc["data"]) == 50
    f.control("/_fake/faults", {"clear": True})
    victim = f.get("/api/resources?limit=50&page=1")[1]["data"][3]
    f.control("/_fake/faults", {"malformedRow": {"id": victim["id"]}})
    assert f.get("/api/resources?limit=50&page=1")[1]["data"][3]["name"] == 42
    f.control("/_fake/faults", {"malformedRow": {"id": victim["id"], "mode": "status"}})
    assert f.get(f"/api/resources/{victim['id']}")[1]["status"] == {}
    f.control("/_fake/faults", {"clear": True})
    assert f.get("/api/resources?limit=50&page=1")[1]["data"][3] == victim


def test_down_closes_every_api_call(fresh):
    f = fresh("--resources", "20")
    f.control("/_fake/faults", {"down": True})
    for path in ("/api/resources", "/api/alerts/active", "/api/recovery/points"):
        with pytest.raises((urllib.error.URLError, http.client.HTTPException, ConnectionError)):
            f.request("GET", path)
    f.control("/_fake/faults", {"down": False})
    assert f.get("/api/resources")[0] == 200


def test_unknown_fault_is_refused(fresh):
    f = fresh("--resources", "20")
    status, doc = f.json("POST", "/_fake/faults", {"slowpage": {}}, token=None)
    assert status == 400 and "slowpage" in doc["error"]


# -- the action lifecycle -----------------------------------------------------------------------

def _executable(f: Fake, capability: str = "reboot", rtype: str = "vm") -> dict:
    rows, _ = f.walk(100, f"&type={rtype}")
    return next(r for r in rows if any(c["name"] == capability for c in r.get("capabilities", [])))


def _plan(f: Fake, row: dict, capability: str, request_id: str = "pa-1"):
    return f.json("POST", "/api/actions/plan", {"requestId": request_id, "resourceId": row["id"],
                                                "capabilityName": capability, "reason": "test"})


def test_action_lifecycle_happy_path(fresh):
    f = fresh("--resources", "300", "--token", TOKEN, token=TOKEN)
    vm = _executable(f, "shutdown")
    status, plan = _plan(f, vm, "shutdown")
    assert status == 200 and plan["actionId"].startswith("act_") and len(plan["actionId"]) == 36
    assert plan["planHash"].startswith("sha256:") and plan["requiresApproval"]
    assert _plan(f, vm, "shutdown")[1] == plan                            # the same request re-plans to the same action
    status, decided = f.json("POST", f"/api/actions/{plan['actionId']}/decision",
                             {"outcome": "approved", "reason": "window", "planHash": plan["planHash"]})
    assert status == 200 and decided["state"] == "approved" and decided["approval"]["outcome"] == "approved"
    status, done = f.json("POST", f"/api/actions/{plan['actionId']}/execute", {"planHash": plan["planHash"]})
    assert status == 200 and done["state"] == "completed"
    assert done["result"]["actionResultV2"]["verification"]["status"] == "confirmed"
    status, detail = f.get(f"/api/actions/{plan['actionId']}")
    assert [e["state"] for e in detail["events"]] == ["planned", "pending_approval", "approved", "executing", "completed"]
    assert detail["attempt"]["id"] == plan["actionId"] + ".dispatch.1" and detail["readiness"]["code"] == "action_not_actionable"
    after = f.get(f"/api/resources/{vm['id']}")[1]
    assert after["proxmox"]["runtimeStatus"] == "stopped" and [c["name"] for c in after["capabilities"]] == ["start"]
    assert f.json("POST", f"/api/actions/{plan['actionId']}/execute", {})[1]["state"] == "completed"   # idempotent
    settled = f.get("/api/actions?view=settled")[1]
    assert settled["view"] == "settled" and [a["id"] for a in settled["actions"]] == [plan["actionId"]]
    assert f.get("/api/actions")[1]["count"] == 0 and f.get("/api/actions/pending")[1]["actions"] == []
    assert f.get("/api/actions?limit=501")[1]["error"] == "invalid_action_list_limit"
    checker = ShapeChecker()
    assert checker.check(plan, "unifiedresources.ActionPlan") == []
    assert checker.check(decided, "api.actionDecisionResponse") == []
    assert checker.check(done, "api.actionExecutionResponse") == []


def test_plan_refusals(fresh):
    f = fresh("--resources", "300")
    vm = _executable(f, "reboot")
    status, plan = _plan(f, vm, "restart")                                 # restart ⇄ reboot
    assert status == 200 and plan["message"].startswith("Plan created for reboot")
    status, doc = f.json("POST", "/api/actions/plan", {"requestId": "x", "resourceId": vm["id"], "capabilityName": "reboot",
                                                       "reason": "r", "dryRun": True})
    assert status == 400 and doc["error"] == "invalid_action_request"
    assert _plan(f, vm, "start")[1]["error"] == "capability_not_found"
    assert f.json("POST", "/api/actions/plan", {"requestId": "x", "resourceId": vm["canonicalIdentity"]["primaryId"],
                                                "capabilityName": "reboot", "reason": "r"})[1]["error"] == "resource_not_found"
    rows, _ = f.walk(100)
    blocked = next(r for r in rows if r.get("actionReadiness"))
    status, doc = _plan(f, blocked, blocked["actionReadiness"][0]["name"])
    assert status == 409 and doc["error"] == "action_execution_unavailable"
    assert doc["details"]["reasonCode"] == blocked["actionReadiness"][0]["reasonCode"]


def test_decision_outcomes_expiry_and_refresh(fresh):
    f = fresh("--resources", "300")
    vm = _executable(f, "reboot")
    _, plan = _plan(f, vm, "reboot", "pa-r")
    aid = plan["actionId"]
    assert f.json("POST", f"/api/actions/{aid}/decision", {"outcome": "maybe"})[1]["details"] == {"outcome": "outcome must be approved or rejected"}
    assert f.json("POST", f"/api/actions/{aid}/decision", {"outcome": "approved", "planHash": "sha256:0"})[1]["error"] == "action_plan_identity_mismatch"
    assert f.json("POST", f"/api/actions/{aid}/decision", {"outcome": "rejected"})[1]["state"] == "rejected"
    assert f.json("POST", f"/api/actions/{aid}/execute", {})[1]["error"] == "action_not_approved"
    f.control("/_fake/faults", {"planTTLSeconds": 1})
    _, short = _plan(f, vm, "reboot", "pa-short")
    time.sleep(1.3)
    status, doc = f.json("POST", f"/api/actions/{short['actionId']}/decision", {"outcome": "approved"})
    assert status == 409 and doc["error"] == "action_plan_expired"
    assert f.get(f"/api/actions/{short['actionId']}")[1]["readiness"]["refreshable"] is True
    status, replacement = f.json("POST", f"/api/actions/{short['actionId']}/refresh", {"planHash": short["planHash"]})
    assert status == 200 and replacement["audit"]["id"] != short["actionId"]
    assert replacement["audit"]["request"]["requestId"] == "refresh:" + short["actionId"]
    f.control("/_fake/faults", {"planTTLSeconds": 300})
    _, later = _plan(f, vm, "reboot", "pa-clock")
    f.control("/_fake/faults", {"clockOffsetSeconds": 301})
    assert f.json("POST", f"/api/actions/{later['actionId']}/decision", {"outcome": "approved"})[1]["error"] == "action_plan_expired"


def test_drift_after_the_plan(fresh):
    f = fresh("--resources", "300")
    vm = _executable(f, "reboot")
    _, plan = _plan(f, vm, "reboot", "pa-d")
    _, other = _plan(f, vm, "shutdown", "pa-d2")
    for p in (plan, other):
        f.json("POST", f"/api/actions/{p['actionId']}/decision", {"outcome": "approved"})
    assert f.json("POST", f"/api/actions/{other['actionId']}/execute", {})[1]["state"] == "completed"   # vm now stopped
    status, doc = f.json("POST", f"/api/actions/{plan['actionId']}/execute", {})
    assert status == 409 and doc["error"] == "action_plan_drift"


CODES = [("action_execution_unavailable", 409), ("action_plan_expired", 409), ("action_plan_drift", 409),
         ("resource_remediation_locked", 409), ("action_emergency_stop", 409), ("action_approval_forbidden", 403),
         ("missing_scope", 403), ("mock_mode_enabled", 403), ("500", 500)]


@pytest.mark.parametrize("stage", ["plan", "decision", "execute"])
def test_action_fault_codes(fresh, stage):
    f = fresh("--resources", "200")
    vm = _executable(f, "reboot")
    for i, (code, status) in enumerate(CODES):
        f.control("/_fake/faults", {"clear": True})
        aid = None
        if stage != "plan":
            _, plan = _plan(f, vm, "reboot", f"pf-{stage}-{i}")
            aid = plan["actionId"]
            if stage == "execute":
                f.json("POST", f"/api/actions/{aid}/decision", {"outcome": "approved"})
        f.control("/_fake/faults", {"action": {stage: code, "reasonCode": "command_agent_disconnected", "times": 1}})
        path = {"plan": "/api/actions/plan", "decision": f"/api/actions/{aid}/decision", "execute": f"/api/actions/{aid}/execute"}[stage]
        body = {"requestId": f"pf-{i}", "resourceId": vm["id"], "capabilityName": "reboot", "reason": "r"} if stage == "plan" else \
            ({"outcome": "approved"} if stage == "decision" else {})
        got, doc = f.json("POST", path, body)
        assert got == status, (code, doc)
        if code == "missing_scope":
            assert doc["error"] == "missing_scope" and doc["requiredScopes"]
        elif code == "500":
            assert doc["error"].endswith("_failed")
        else:
            assert doc["error"] == code and doc["message"]
        if code == "action_execution_unavailable":
            assert doc["details"]["reasonCode"] == "command_agent_disconnected"
        assert f.json("POST", path, body)[0] == 200                         # times: 1, then Pulse answers normally


def test_execute_timeout_drop_and_delay(fresh):
    f = fresh("--resources", "200")
    vm = _executable(f, "reboot")
    plans = []
    for i in range(3):
        _, plan = _plan(f, vm, "reboot", f"pt-{i}")
        f.json("POST", f"/api/actions/{plan['actionId']}/decision", {"outcome": "approved"})
        plans.append(plan["actionId"])
    f.control("/_fake/faults", {"action": {"execute": "timeout", "times": 1}, "executeDelaySeconds": 0.3})
    with pytest.raises((TimeoutError, urllib.error.URLError, OSError)):
        f.request("POST", f"/api/actions/{plans[0]}/execute", {}, timeout=1.0)
    assert f.get(f"/api/actions/{plans[0]}")[1]["audit"]["state"] == "completed"    # Pulse kept the dispatch going
    f.control("/_fake/faults", {"action": {"execute": "drop", "times": 1}})
    with pytest.raises((urllib.error.URLError, http.client.HTTPException, ConnectionError)):
        f.request("POST", f"/api/actions/{plans[1]}/execute", {})
    time.sleep(0.6)
    assert f.get(f"/api/actions/{plans[1]}")[1]["audit"]["state"] == "completed"
    f.control("/_fake/faults", {"executeDelaySeconds": 0.8})
    started = time.monotonic()
    assert f.json("POST", f"/api/actions/{plans[2]}/execute", {})[1]["state"] == "completed"
    assert time.monotonic() - started >= 0.8


# -- the log, determinism, fixtures --------------------------------------------------------------

def test_log_never_holds_the_token(fresh):
    f = fresh("--resources", "50", "--token", TOKEN, "--verbose", token=TOKEN)
    f.request("GET", f"/api/resources?token={TOKEN}")
    f.request("GET", "/api/resources", token=None, headers={"Authorization": f"Bearer {TOKEN}"})
    f.request("POST", "/api/actions/plan", {"requestId": TOKEN, "resourceId": "x", "capabilityName": "y", "reason": "z"})
    f.request("GET", "/api/resources", token="not-the-token")
    raw = f.request("GET", "/_fake/log", token=None)[1]
    log = json.loads(raw)
    assert TOKEN.encode() not in raw
    assert len(log) == 4 and all(e["tokenPresent"] for e in log)
    assert log[0]["query"]["token"] == "[redacted]" and log[2]["body"]["requestId"] == "[redacted]"
    f.request("DELETE", "/_fake/log", token=None)
    assert f.control("/_fake/log", method="GET") == []
    f.proc.terminate()
    _, err = f.proc.communicate(timeout=10)
    assert b"GET /api/resources" in err and TOKEN.encode() not in err


def test_same_seed_same_bytes(fresh):
    a, b, c = fresh("--resources", "3000", "--seed", "11"), fresh("--resources", "3000", "--seed", "11"), fresh("--resources", "3000", "--seed", "12")
    for path in ("/api/resources?limit=100&page=1", "/api/resources?limit=100&page=17", "/api/alerts/active",
                 "/api/recovery/points?page=2", "/api/resources?type=pod&limit=100"):
        assert a.request("GET", path)[1] == b.request("GET", path)[1], path
        assert a.request("GET", path)[1] != c.request("GET", path)[1], path


def _fixture(name: str):
    return json.loads((FIXTURES / name).read_text())


def _same_layout(ours, theirs, where="$") -> list[str]:
    """Keys both sides have come in the same order, recursively (the fixtures are in Go order)."""
    problems = []
    if isinstance(ours, dict) and isinstance(theirs, dict):
        common = [k for k in ours if k in theirs]
        if common != [k for k in theirs if k in ours]:
            problems.append(f"{where}: {common} vs {[k for k in theirs if k in ours]}")
        for k in common:
            problems += _same_layout(ours[k], theirs[k], f"{where}.{k}")
    elif isinstance(ours, list) and isinstance(theirs, list) and ours and theirs:
        problems += _same_layout(ours[0], theirs[0], f"{where}[0]")
    return problems


def test_fixture_mode_serves_every_fixture(fresh):
    f = fresh("--fixtures")
    listing = _fixture("api-resources.list.json")
    status, doc = f.get("/api/resources")
    assert status == 200 and [r["id"] for r in doc["data"]] == [r["id"] for r in listing["data"]]
    assert doc["data"] == listing["data"] and doc["meta"] == listing["meta"]
    assert doc["aggregations"] == listing["aggregations"]
    paged, metas = f.walk(5)
    assert [r["id"] for r in paged] == [r["id"] for r in listing["data"]] and metas[0]["totalPages"] == 5
    vm = _fixture("api-resource.vm.get.json")
    assert f.get(f"/api/resources/{vm['id']}")[1] == vm
    other = listing["data"][0]
    assert f.get(f"/api/resources/{other['id']}")[1] == other
    assert f.get("/api/alerts/active")[1] == _fixture("api-alerts-active.json")
    assert f.get("/api/recovery/points")[1] == _fixture("api-recovery-points.json")
    assert f.get("/api/state")[1] == _fixture("api-state.excerpt.json")
    assert f.get("/api/agent/fleet-context")[1] == _fixture("api-agent-fleet-context.json")
    assert f.get(f"/api/agent/resource-capabilities/{vm['id']}")[1] == _fixture("api-agent-resource-capabilities.vm.json")
    target = vm["metricsTarget"]
    single = f.get(f"/api/metrics-store/history?resourceType={target['resourceType']}&resourceId={target['resourceId']}&metric=cpu&range=1h")[1]
    assert single == _fixture("api-metrics-history.single.json")
    everything = f.get(f"/api/metrics-store/history?resourceType={target['resourceType']}&resourceId={target['resourceId']}&range=1h")[1]
    assert everything == _fixture("api-metrics-history.all.json")
    status, plan = f.json("POST", "/api/actions/plan", _fixture("api-actions-plan.request.json"))
    assert status == 200 and set(plan) == set(_fixture("api-actions-plan.response.json"))
    assert _same_layout(plan, _fixture("api-actions-plan.response.json")) == []
    decision = dict(_fixture("api-actions-decision.request.json"), planHash=plan["planHash"])
    status, decided = f.json("POST", f"/api/actions/{plan['actionId']}/decision", decision)
    assert status == 200 and set(decided) == set(_fixture("api-actions-decision.response.json"))
    assert _same_layout(decided, _fixture("api-actions-decision.response.json")) == []
    execute = dict(_fixture("api-actions-execute.request.json"), planHash=plan["planHash"])
    status, done = f.json("POST", f"/api/actions/{plan['actionId']}/execute", execute)
    assert status == 200 and set(done) == set(_fixture("api-actions-execute.response.json"))
    assert _same_layout(done, _fixture("api-actions-execute.response.json")) == []
    detail = f.get(f"/api/actions/{plan['actionId']}")[1]
    assert set(detail) == set(_fixture("api-actions-get.response.json"))
    assert _same_layout(detail, _fixture("api-actions-get.response.json")) == []
    assert set(detail["audit"]) == set(_fixture("api-actions-get.response.json")["audit"])
    assert f.get(f"/api/resources/{vm['id']}")[1]["proxmox"]["runtimeStatus"] == "running"


# -- internals that the routes rely on ----------------------------------------------------------

def test_light_facts_match_full_rows_and_view_matches_a_sort():
    from common import DEFAULT_EPOCH, Clock
    from light import light
    from listing import light_of, parse_list_query
    from source_gen import GeneratedSource
    src = GeneratedSource(1500, 4, Clock(DEFAULT_EPOCH))
    for _ in range(3):
        src.churn(7)
    src.vanish(9)
    for p in range(1500):
        if p in src.vanished:
            continue
        kind, k = src.layout.kind_index(p)
        o = src.over.get(p) or {}
        assert light(src.fleet, kind, k, o) == light_of(src.row_dict(p))
    live = [p for p in range(1500) if p not in src.vanished]
    expected = sorted(live, key=src.key_of)
    view = src.view(frozenset())
    assert view.page(0, view.total) == expected
    agg = json.loads(src.list_page(parse_list_query({"limit": "1"}))[0])["aggregations"]
    assert agg["total"] == len(live)


def test_fast_json_writer_matches_the_dict_path_byte_for_byte():
    import gojson
    from common import DEFAULT_EPOCH, Clock
    from fastjson import FAST
    from source_gen import GeneratedSource
    src = GeneratedSource(6000, 9, Clock(DEFAULT_EPOCH))
    src.churn(25)
    src.churn(25)
    fast = [p for p in range(6000) if src.layout.kind_index(p)[0] in FAST]
    for i, p in enumerate(fast[:90]):
        kind = src.layout.kind_index(p)[0]
        verb = ["shutdown", "reboot", "start"][i % 3] if kind != "appct" else ["stop", "restart", "update"][i % 3]
        src.apply_action(src.row_dict(p)["id"], verb)
    written = 0
    for p in fast:
        kind, k = src.layout.kind_index(p)
        text = FAST[kind](src.fleet, kind, k, src.over.get(p) or {})
        if text is not None:
            written += 1
            assert text == gojson.dumps(src.row_dict(p)), src.row_dict(p)["id"]
    assert written > 0.9 * len(fast)


def test_every_metrics_target_resolves_to_its_row():
    from common import DEFAULT_EPOCH, Clock
    from source_gen import GeneratedSource
    src = GeneratedSource(2500, 6, Clock(DEFAULT_EPOCH))
    src.vanish(4)
    targets = [src.row_dict(p).get("metricsTarget") for p in range(2500) if p not in src.vanished]
    targets = [t for t in targets if t]
    assert len(targets) > 2000
    assert all(src.knows_metrics_target(t["resourceType"], t["resourceId"]) for t in targets)
    assert not src.knows_metrics_target("vm", "pve-x:pve01:99999")
