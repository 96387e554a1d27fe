"""The records the action routes answer with: audit projections, lifecycle events, dispatch
kinds and the execution result with `actionResultV2` (shapes of `api-actions-*.json`)."""

from __future__ import annotations

import copy
from datetime import datetime

from common import hexdigest


def parse_time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def audit(record: dict) -> dict:
    order = ["id", "createdAt", "updatedAt", "state", "decisionRevision", "request", "plan", "approvals", "result",
             "verification", "verificationOutcome"]
    return {k: copy.deepcopy(record[k]) for k in order if k in record}


def reorder_event(event: dict) -> dict:
    order = ["actionId", "timestamp", "state", "kind", "decisionRevision", "decision", "actor", "message"]
    return {k: event[k] for k in order if k in event}


def operation_kind(rtype: str, capability: str) -> str:
    if rtype == "vm":
        return "proxmox.vm.lifecycle"
    if rtype == "system-container":
        return "proxmox.ct.lifecycle"
    if rtype == "app-container":
        return "docker.container.update" if capability == "update" else "docker.container.lifecycle"
    return "host.package_updates" if capability == "install_os_updates" else "host.storage_cleanup"


def result(record: dict, row: dict, capability: str, applied: bool, stamp: str) -> dict:
    rid = row.get("id", record["request"]["resourceId"])
    rtype = row.get("type", "")
    proxmox = row.get("proxmox") or {}
    docker = row.get("docker") or {}
    agent_ref = (row.get("discoveryTarget") or {}).get("agentId") or docker.get("agentId") or "agent"
    if rtype in ("vm", "system-container"):
        command = f"{'qm' if rtype == 'vm' else 'pct'} status {proxmox.get('vmid', '')}"
        output = f"status: {proxmox.get('runtimeStatus', 'unknown')}"
        summary = f"Proxmox guest {capability} command exited with status 0."
        method = "server_owned_proxmox_cli_status"
    elif rtype == "app-container":
        command = f"docker inspect --format '{{{{.State.Status}}}}' {str(docker.get('containerId', ''))[:12]}"
        output = str(docker.get("containerState", "unknown"))
        summary = f"Docker container {capability} completed through the reporting Pulse agent."
        method = "agent_container_state_readback"
    else:
        command = "apt-get -s upgrade" if capability == "install_os_updates" else "du -sh /var/cache/apt/archives"
        output = "0 upgraded, 0 newly installed" if capability == "install_os_updates" else "12K /var/cache/apt/archives"
        summary = f"Host {capability.replace('_', ' ')} completed."
        method = "agent_command_readback"
    verification = {"ran": True, "command": command, "output": output, "success": applied, "ranAt": stamp}
    evidence = {"version": 1, "id": f"{record['id']}-agent-readback", "observerId": agent_ref, "observerKind": "unified_agent",
                "observerTrustDomain": f"agent:{agent_ref}", "executorTrustDomain": f"agent:{agent_ref}", "method": method,
                "subjectId": rid, "observedAt": stamp, "receivedAt": stamp, "summary": output,
                "digest": "sha256:" + hexdigest(f"{record['id']}/{output}")}
    result = {"success": applied}
    if not applied:
        result["errorMessage"] = "resource is no longer present"
    result["verification"] = verification
    result["actionResultV2"] = {
        "version": 2,
        "execution": {"status": "succeeded" if applied else "failed", "summary": summary},
        "verification": {"status": "confirmed" if applied else "inconclusive", "evidenceClass": "agent_attested",
                         "summary": output, "evidence": [evidence]},
        "compensation": {"support": "unavailable", "status": "not_available"},
    }
    return result
