"""`pulse-assistant sync` against the fake Pulse (tests/fakepulse): what is written, what is skipped,
what a re-sync rewrites, what every fault leaves behind, and that the token never shows."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest

from pulse_sync import (TOKEN, fake_get, fake_post, files_containing, scalar, start_fake, stop_fake, store_digest,
                        sync, sync_json)


@pytest.fixture(scope="module")
def fake10k():
    proc, url, _ = start_fake("--resources", "10000", "--token", TOKEN, "--prewarm")
    yield url
    stop_fake(proc)


@pytest.fixture
def fake():
    proc, url, _ = start_fake("--resources", "200", "--token", TOKEN)
    fake_post(url, "/_fake/faults", {"clear": True})
    yield url
    stop_fake(proc)


def test_a_first_sync_counts_skips_and_joins_and_an_unchanged_resync_writes_nothing(server_bin, fake10k, tmp_path):
    store = tmp_path / "s.db"
    first = sync_json(server_bin, fake10k, store)
    stats = fake_get(fake10k, "/_fake/stats")
    written = first["written"]["resource"]
    assert first["replacedAll"] is True
    assert written["added"] + first["skippedCount"] >= stats["resources"] - 1
    assert written["added"] == scalar(store, "SELECT count(*) FROM resource")
    skipped_types = {group.get("type") for group in first["skipped"]}
    assert {"docker-image", "network-endpoint"} <= skipped_types
    assert all("canonical projection" in group["reason"] for group in first["skipped"] if group.get("type") == "docker-image")
    assert first["unjoinedAlerts"] == 1, "the fake serves exactly one alert that names nothing"
    joined = scalar(store, "SELECT count(*) FROM alert a JOIN resource r ON r.id = a.resourceId")
    assert joined == first["written"]["alert"]["added"] - 1
    listed = subprocess.run([str(server_bin), "call", "--store", str(store), "list_alerts", '{"limit": 500, "includeUnsupported": true}'],
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    alerts = json.loads(listed.stdout)["alerts"]
    unjoined = [alert for alert in alerts if "resourceName" not in alert]
    assert len(unjoined) == 1 and len(alerts) == first["written"]["alert"]["added"], "list_alerts shows it, by its id alone"
    assert "platform" not in unjoined[0] and unjoined[0]["resourceId"]
    assert first["walk"]["resourcePages"] == -(-stats["resources"] // 100)

    second = sync_json(server_bin, fake10k, store)
    assert all(counts["added"] + counts["changed"] + counts["removed"] == 0 for counts in second["written"].values())
    assert second["replacedAll"] is False

    fake_post(fake10k, "/_fake/churn", {"percent": 1})
    third = sync_json(server_bin, fake10k, store)
    changed = third["written"]["resource"]["changed"] + third["written"]["resource"]["added"]
    assert 0.004 * written["added"] <= changed <= 0.02 * written["added"], third["written"]["resource"]


def test_an_alias_finds_the_resource_in_the_tools(server_bin, fake10k, tmp_path):
    store = tmp_path / "s.db"
    sync_json(server_bin, fake10k, store)
    alias, canonical = scalar(store, "SELECT alias || ' ' || resourceId FROM resourceAlias WHERE alias LIKE '%:%:%' LIMIT 1").split(" ")
    for tool, arguments in [("get_resource", {"id": alias}), ("explain_control", {"resourceId": alias, "action": "stop"})]:
        done = subprocess.run([str(server_bin), "call", "--store", str(store), tool, json.dumps(arguments)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        answer = json.loads(done.stdout)
        assert (answer.get("resource") or {}).get("id") == canonical


@pytest.mark.parametrize("fault, outcome", [
    ({"errorPage": {"page": 2, "status": 500, "times": 1}}, "synced"),
    ({"dropPage": {"page": 2, "times": 1}}, "synced"),
    ({"errorPage": {"page": 2, "status": 500, "times": -1}}, "aborted"),
    ({"brokenEnvelope": {"page": 2}}, "aborted"),
    ({"vanish": {"afterPage": 1, "count": 5}}, "synced"),
    ({"churn": {"afterPage": 1, "percent": 20}}, "synced"),
])
def test_each_fault_either_syncs_or_leaves_the_store_exactly_as_it_was(server_bin, fake, tmp_path, fault, outcome):
    store = tmp_path / "s.db"
    sync_json(server_bin, fake, store)
    before = store_digest(store)
    fake_post(fake, "/_fake/faults", fault)
    done = sync(server_bin, fake, store, "--format", "json")
    if outcome == "aborted":
        assert done.returncode == 5, done.stderr
        assert "unchanged" in done.stderr
        assert store_digest(store) == before
        status = scalar(store, "SELECT value FROM syncStatus WHERE key = 'lastError'")
        assert status, "the failed attempt is on record"
    else:
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        ids = scalar(store, "SELECT count(DISTINCT id) FROM resource")
        assert ids == scalar(store, "SELECT count(*) FROM resource")
        if "vanish" in fault:
            assert report["written"]["resource"]["removed"] == 5, report
            assert report["walk"]["rewalks"] == 1, "the total changed between pages: walked again"
        if "churn" in fault:
            assert report["walk"]["rewalks"] >= 1, report["walk"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_refusals_and_unreachable_servers_have_clear_messages_and_exit_codes(server_bin, fake, tmp_path):
    store = tmp_path / "s.db"
    no_token = sync(server_bin, fake, store, token=None)
    assert no_token.returncode == 3
    assert "401" in no_token.stderr and "PULSE_API_TOKEN" in no_token.stderr
    wrong = sync(server_bin, fake, store, token="not-the-token")
    assert wrong.returncode == 3
    assert "not-the-token" not in wrong.stderr
    down = sync(server_bin, f"http://127.0.0.1:{free_port()}", store)
    assert down.returncode == 4, down.stderr
    assert "unreachable" in down.stderr.lower() or "refused" in down.stderr.lower()


def test_tls_needs_the_ca_file_and_the_token_never_shows(server_bin, tmp_path):
    proc, url, ca_file = start_fake("--resources", "50", "--token", TOKEN, "--tls")
    try:
        store = tmp_path / "s.db"
        untrusted = sync(server_bin, url, store, "--log-level", "trace")
        assert untrusted.returncode == 4, untrusted.stderr
        assert "pulseCAFile" in untrusted.stderr
        token_file = tmp_path / "pulse.token"
        token_file.write_text(TOKEN + "\n")
        token_file.chmod(0o600)
        config = tmp_path / "config.json"
        config.write_text(json.dumps({"pulseCAFile": ca_file, "pulseToken": {"file": str(token_file)}}))
        trusted = sync(server_bin, url, store, "--config", str(config), "--log-level", "trace", token=None)
        assert trusted.returncode == 0, trusted.stderr
        for output in (untrusted.stdout, untrusted.stderr, trusted.stdout, trusted.stderr):
            assert TOKEN not in output
        call = subprocess.run([str(server_bin), "call", "--store", str(store), "search_resources", "{}"],
                              capture_output=True, text=True, timeout=60)
        assert call.returncode == 0 and TOKEN not in call.stdout
        assert files_containing(tmp_path, TOKEN) == [str(token_file)]
    finally:
        stop_fake(proc)
