"""Pulse's action lifecycle (`internal/api/actions.go`, `internal/actionlifecycle/service.go`):
plan → decision → execute, detail and refresh, with state kept per action id in memory.

Behaviour kept from Pulse: strict bodies (unknown fields → 400); exact resource ids; `restart`
⇄ `reboot` resolved to the resource's own verb; a capability Pulse knows but cannot run now →
409 `action_execution_unavailable` with the readiness reason; an unknown one → 404
`capability_not_found`; the action id is deterministic over the request, the actor and the
resource version, so re-planning the same request returns the stored plan; plans expire after
the TTL; a decision or execute against a changed resource → `action_plan_drift`; executing a
finished action returns it again; executing one in flight waits for it.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import time
from datetime import datetime, timedelta, timezone

import gojson
from common import hexdigest, rfc3339
from action_records import audit as _audit, operation_kind as _operation_kind, parse_time as _parse, reorder_event as _reorder_event, result as _result
from errors import PulseError, fault_error, json_error

VALID_ID = re.compile(r"^[A-Za-z0-9._:-]+$")
SYNONYMS = {"restart": "reboot", "reboot": "restart"}
FINAL = ("completed", "failed", "rejected", "expired")


def _strict(body: bytes, allowed: set[str], code: str, message: str, what: str, allow_empty: bool = False) -> dict:
    text = body.decode("utf-8", "replace").strip()
    if not text and allow_empty:
        return {}
    try:
        value, end = json.JSONDecoder().raw_decode(text)
    except ValueError:
        raise json_error(400, code, message, {"body": f"request body must be a valid {what} JSON object"})
    if not isinstance(value, dict) or any(k not in allowed for k in value):
        raise json_error(400, code, message, {"body": f"request body must be a valid {what} JSON object"})
    if text[end:].strip():
        raise json_error(400, code, message, {"body": "request body must contain one JSON object"})
    for key, item in value.items():
        if key == "params":
            if item is not None and not isinstance(item, dict):
                raise json_error(400, code, message, {"body": f"request body must be a valid {what} JSON object"})
        elif item is not None and not isinstance(item, str):
            raise json_error(400, code, message, {"body": f"request body must be a valid {what} JSON object"})
    return value


class Lifecycle:
    def __init__(self, source, faults, org: str, clock_offset: float = 0.0, frozen: datetime | None = None):
        self.source = source
        self.frozen = frozen
        self.faults = faults
        self.org = org or "default"
        self.clock_offset = clock_offset
        self.lock = threading.RLock()
        self.actions: dict[str, dict] = {}
        self.done: dict[str, threading.Event] = {}

    # -- time and actor -------------------------------------------------------------------------
    def now(self) -> datetime:
        offset = self.clock_offset + float(self.faults.get("clockOffsetSeconds", 0) or 0)
        base = self.frozen or datetime.now(timezone.utc).replace(microsecond=0)
        return base + timedelta(seconds=offset)

    def actor(self, authenticated: bool) -> dict:
        if authenticated:
            return {"subjectId": "admin", "kind": "api_token", "credentialId": "api-token:fakepulse-admin", "orgId": self.org}
        return {"subjectId": "anonymous", "kind": "user", "credentialId": "", "orgId": self.org}

    def _fault(self, stage: str) -> str | None:
        """Raise the injected error for `stage`; return "timeout"/"drop" for the execute modes."""
        code = self.faults.take_action(stage)
        if code is None or code in ("timeout", "drop"):
            return code
        code, _, reason_code = str(code).partition(":")
        reason_code = reason_code or self.faults.action_reason_code() or "command_agent_disconnected"
        details = None
        if code == "action_execution_unavailable":
            details = {"reasonCode": reason_code, "reason": "Action execution is unavailable (fault injected)."}
        raise fault_error(stage, code, details)

    # -- plan -----------------------------------------------------------------------------------
    def plan(self, body: bytes, authenticated: bool) -> bytes:
        self._fault("plan")
        req = _strict(body, {"requestId", "resourceId", "capabilityName", "params", "reason", "requestedBy"},
                      "invalid_action_request", "Invalid action planning request", "ActionRequest")
        with self.lock:
            plan = self._plan(req, self.actor(authenticated))
            return gojson.encode(plan)

    def _plan(self, req: dict, actor: dict, request_id: str | None = None) -> dict:
        resource_id = (req.get("resourceId") or "").strip()
        if not resource_id:
            raise json_error(400, "invalid_action_request", "Invalid action planning request", {"resourceId": "resource id is required"})
        row = self.source.get(resource_id)
        if row is None:
            raise json_error(404, "resource_not_found", "Resource not found", {"resourceId": resource_id})
        caps = {c["name"]: c for c in row.get("capabilities", []) or [] if isinstance(c, dict)}
        unready = {r["name"]: r for r in row.get("actionReadiness", []) or [] if isinstance(r, dict)}
        requested = (req.get("capabilityName") or "").strip()
        name = requested
        if name not in caps and name not in unready and SYNONYMS.get(name) in (set(caps) | set(unready)):
            name = SYNONYMS[name]
        request_id = (request_id if request_id is not None else req.get("requestId") or "").strip()
        reason = (req.get("reason") or "").strip()
        for field, value, text in (("requestId", request_id, "request id is required"),
                                   ("capabilityName", name, "capability name is required"),
                                   ("reason", reason, "reason is required")):
            if not value:
                raise json_error(400, "invalid_action_request", "Invalid action planning request", {field: text})
        if name not in caps and name not in unready:
            raise json_error(404, "capability_not_found", "Capability not found on resource",
                             {"resourceId": resource_id, "capabilityName": name})
        params = req.get("params") or {}
        declared = {p.get("name") for p in (caps.get(name) or {}).get("params", []) or []}
        for key in params:
            if key not in declared:
                raise json_error(400, "invalid_action_request", "Invalid action planning request",
                                 {f"params.{key}": "parameter is not declared by this capability"})
        if name in unready:
            r = unready[name]
            raise json_error(409, "action_execution_unavailable", "Action execution is unavailable",
                             {"resourceId": resource_id, "capabilityName": name, "reasonCode": r.get("reasonCode", ""),
                              "reason": r.get("reason") or "action execution is unavailable"})
        capability = caps[name]
        resource_version = self.source.fingerprint(resource_id)
        policy_version = "policy:sha256:" + hexdigest(gojson.dumps(capability), 24)
        request = {"requestId": request_id, "resourceId": resource_id, "capabilityName": name}
        if params:
            request["params"] = params
        request.update({"reason": reason, "requestedBy": actor["subjectId"], "actor": actor})
        action_id = "act_" + hexdigest(gojson.dumps({"request": request, "resourceVersion": resource_version,
                                                    "policyVersion": policy_version}), 32)
        existing = self.actions.get(action_id)
        if existing:
            return existing["record"]["plan"]
        now = self.now()
        ttl = float(self.faults.get("planTTLSeconds", 300) or 300)
        display = (row.get("canonicalIdentity") or {}).get("displayName") or row.get("name") or resource_id
        blast = [resource_id] + ([row["parentId"]] if row.get("parentId") else [])
        requirement = {"version": 1, "floor": "admin", "quorum": 1, "disallowRequester": False}
        scope = {"orgId": self.org, "resourceId": resource_id, "capabilityName": name}
        reason_codes = ["capability_approval_admin"]
        auto = capability.get("autoAuthorization", "never")
        reason_codes.append({"low_risk": "capability_auto_low_risk", "elevated": "capability_auto_elevated"}.get(auto, "capability_auto_never"))
        decision = {"version": 1, "status": "resolved",
                    "decisionId": "policy-decision:sha256:" + hexdigest(action_id + "/decision"), "actionId": action_id,
                    "scope": scope,
                    "authorities": [{"kind": "capability_registry", "sourceId": f"capability-registry:{name}",
                                     "revision": policy_version, "status": "consulted", "scope": scope,
                                     "approvalFloor": "admin", "reasonCodes": reason_codes}],
                    "approvalRequirement": requirement, "planningAllowed": True, "requiresApproval": True}
        planned_at = rfc3339(now)
        plan = {"actionId": action_id, "requestId": request_id, "allowed": True, "requiresApproval": True,
                "approvalPolicy": "admin", "approvalRequirement": requirement, "predictedBlastRadius": blast,
                "rollbackAvailable": bool(capability.get("supportsRollback")),
                "message": f"Plan created for {name} on {display}. Execution requires admin approval and is not performed by this endpoint.",
                "plannedAt": planned_at, "expiresAt": rfc3339(now + timedelta(seconds=ttl)),
                "resourceVersion": resource_version, "policyVersion": policy_version, "policyDecision": decision}
        plan["planHash"] = "sha256:" + hexdigest(gojson.dumps({"plan": plan, "request": request}))
        plan["preflight"] = {"target": resource_id, "currentState": f"{display} is {row.get('status')}",
                             "intendedChange": capability.get("description") or f"Run {name} on {resource_id}",
                             "dryRunAvailable": False,
                             "dryRunSummary": "No provider-supported dry run is advertised for this capability.",
                             "safetyChecks": ["Resource was resolved from the unified resource registry.",
                                              "Capability is advertised by the resource contract.",
                                              "This endpoint plans only; it does not approve or execute the action.",
                                              "Execution requires admin approval."],
                             "verificationSteps": ["Refresh the resource and confirm the expected state after execution.",
                                                   f"Review /api/audit/actions/{action_id}/events for lifecycle evidence."],
                             "generatedAt": planned_at}
        record = {"id": action_id, "createdAt": planned_at, "updatedAt": planned_at, "state": "pending_approval",
                  "decisionRevision": 0, "request": request, "plan": plan, "verificationOutcome": {"status": "unknown"}}
        events = [
            {"actionId": action_id, "timestamp": planned_at, "state": "planned", "kind": "transition",
             "actor": actor["subjectId"], "message": "Action plan created."},
            {"actionId": action_id, "timestamp": planned_at, "state": "pending_approval", "kind": "transition",
             "actor": actor["subjectId"], "message": "Action is waiting for approval before execution."},
        ]
        self.actions[action_id] = {"record": record, "events": events, "attempt": None, "receipt": None,
                                   "row": {"id": row["id"], "name": row.get("name"), "type": row.get("type"),
                                           "parent": row.get("parentId")}}
        return plan

    # -- helpers --------------------------------------------------------------------------------
    def _get(self, action_id: str) -> dict:
        action_id = action_id.strip()
        if not action_id or not VALID_ID.match(action_id) or len(action_id) > 128:
            raise json_error(400, "invalid_id", "Invalid action ID format")
        entry = self.actions.get(action_id)
        if entry is None:
            raise json_error(404, "action_not_found", "Action not found", {"actionId": action_id})
        return entry

    def _event(self, entry: dict, state: str, actor: str, message: str = "", kind: str = "transition", **extra) -> str:
        stamp = rfc3339(self.now())
        event = {"actionId": entry["record"]["id"], "timestamp": stamp, "state": state, "kind": kind, **extra}
        if actor:
            event["actor"] = actor
        if message:
            event["message"] = message
        entry["events"].append(event)
        entry["record"]["state"] = state
        entry["record"]["updatedAt"] = stamp
        return stamp

    def _expire(self, entry: dict) -> None:
        record = entry["record"]
        if record["state"] in ("planned", "pending_approval", "approved") and self.now() >= _parse(record["plan"]["expiresAt"]):
            self._event(entry, "expired", "", "Action plan expired before execution.")

    def _readiness_error(self, entry: dict, stage: str) -> PulseError | None:
        """The live gates: the plan still matches the resource and the capability can run."""
        record = entry["record"]
        rid = record["request"]["resourceId"]
        row = self.source.get(rid)
        drift = fault_error(stage, "action_plan_drift")
        if row is None or self.source.fingerprint(rid) != record["plan"]["resourceVersion"]:
            return drift
        name = record["request"]["capabilityName"]
        for r in row.get("actionReadiness", []) or []:
            if isinstance(r, dict) and r.get("name") == name:
                return json_error(409, "action_execution_unavailable", "Action execution is unavailable",
                                  {"resourceId": rid, "capabilityName": name, "reasonCode": r.get("reasonCode", ""),
                                   "reason": r.get("reason") or "action execution is unavailable"})
        return None

    # -- decision -------------------------------------------------------------------------------
    def decide(self, action_id: str, body: bytes, authenticated: bool) -> bytes:
        self._fault("decision")
        decision = _strict(body, {"outcome", "reason", "planHash"}, "invalid_action_decision",
                           "Invalid action decision request", "action decision")
        outcome = (decision.get("outcome") or "").strip()
        reason = (decision.get("reason") or "").strip()
        plan_hash = (decision.get("planHash") or "").strip()
        if outcome not in ("approved", "rejected"):
            raise json_error(400, "invalid_action_decision", "Invalid action decision request",
                             {"outcome": "outcome must be approved or rejected"})
        actor = self.actor(authenticated)
        with self.lock:
            entry = self._get(action_id)
            record = entry["record"]
            if plan_hash and plan_hash != record["plan"]["planHash"]:
                raise json_error(409, "action_plan_identity_mismatch", "The reviewed action plan changed; reload it before deciding")
            self._expire(entry)
            if record["state"] == "expired":
                raise json_error(409, "action_plan_expired", "Action plan has expired")
            for approval in record.get("approvals", []):
                if approval["actorBinding"] == actor:
                    if approval["outcome"] == outcome and approval.get("reason", "") == reason:
                        return self._decision_body(entry)
                    raise json_error(409, "action_decision_conflict", "Action decision conflicts with the authoritative approval record")
            if record["state"] != "pending_approval":
                raise json_error(409, "action_not_pending", "Action is not pending approval")
            if outcome == "approved":
                problem = self._readiness_error(entry, "decision")
                if problem:
                    raise problem
            stamp = rfc3339(self.now())
            approval = {"actor": actor["subjectId"], "method": "api_token" if authenticated else "session",
                        "timestamp": stamp, "outcome": outcome}
            if reason:
                approval["reason"] = reason
            approval["actorBinding"] = actor
            approval["evidence"] = {"version": 1, "method": approval["method"], "actor": actor, "orgId": self.org,
                                    "actionId": record["id"], "planHash": record["plan"]["planHash"], "outcome": outcome,
                                    "issuedAt": stamp, "expiresAt": "0001-01-01T00:00:00Z"}
            record["decisionRevision"] += 1
            record.setdefault("approvals", []).append(approval)
            message = ("Action approved. Execution remains pending a separate execution contract." if outcome == "approved"
                       else "Action rejected.")
            self._event(entry, outcome, actor["subjectId"], message, kind="decision",
                        decisionRevision=record["decisionRevision"], decision=approval)
            entry["events"][-1] = _reorder_event(entry["events"][-1])
            return self._decision_body(entry)

    def _decision_body(self, entry: dict) -> bytes:
        record = entry["record"]
        approvals = record.get("approvals", [])
        return gojson.encode({"actionId": record["id"], "state": record["state"],
                              "approval": approvals[-1] if approvals else {"actor": "", "method": "", "timestamp": "0001-01-01T00:00:00Z",
                                                                         "outcome": "", "actorBinding": {"subjectId": "", "kind": "", "credentialId": "", "orgId": ""}},
                              "audit": _audit(record)})

    # -- execute --------------------------------------------------------------------------------
    def execute(self, action_id: str, body: bytes, authenticated: bool) -> tuple[str, bytes | None, None]:
        """('answer', body, None) normally; ('timeout'|'drop', None, None) when a fault withholds the
        answer (the execution itself still runs to completion, as Pulse's detached dispatch does)."""
        mode = self._fault("execute")
        request = _strict(body, {"reason", "planHash"}, "invalid_action_execution", "Invalid action execution request",
                          "action execution", allow_empty=True)
        plan_hash = (request.get("planHash") or "").strip()
        actor = self.actor(authenticated)
        with self.lock:
            entry = self._get(action_id)
            record = entry["record"]
            if plan_hash and plan_hash != record["plan"]["planHash"]:
                raise json_error(409, "action_plan_identity_mismatch", "The approved action plan changed; reload it before execution")
            if record["state"] in ("completed", "failed"):
                return "answer", self._execution_body(entry), None
            if record["state"] != "executing":
                self._expire(entry)
                if record["state"] == "expired":
                    raise json_error(409, "action_plan_expired", "Action plan has expired")
                if record["state"] != "approved":
                    raise json_error(409, "action_not_approved", "Action is not approved for execution")
                problem = self._readiness_error(entry, "execute")
                if problem:
                    raise problem
                self._begin(entry, actor["subjectId"], (request.get("reason") or "").strip())
            done = self.done[record["id"]]
        if mode in ("timeout", "drop"):
            return mode, None, None
        done.wait()
        with self.lock:
            return "answer", self._execution_body(entry), None

    def _begin(self, entry: dict, actor: str, reason: str) -> None:
        record = entry["record"]
        message = f"Action execution started: {reason}" if reason else ""
        stamp = self._event(entry, "executing", actor, message)
        attempt_id = f"{record['id']}.dispatch.1"
        parent = entry["row"].get("parent") or ""
        entry["attempt"] = {"id": attempt_id, "actionId": record["id"], "state": "executing", "createdAt": stamp,
                            "updatedAt": stamp, "leaseExpiresAt": "0001-01-01T00:00:00Z", "dispatchCount": 1,
                            "operationKind": _operation_kind(entry["row"]["type"], record["request"]["capabilityName"])}
        if parent:
            entry["attempt"]["agentId"] = parent
        self.done[record["id"]] = threading.Event()
        delay = float(self.faults.get("executeDelaySeconds", 0) or 0)
        threading.Thread(target=self._finish, args=(entry, actor, delay), daemon=True).start()

    def _finish(self, entry: dict, actor: str, delay: float) -> None:
        if delay > 0:
            time.sleep(delay)
        with self.lock:
            record = entry["record"]
            rid = record["request"]["resourceId"]
            name = record["request"]["capabilityName"]
            applied = self.source.apply_action(rid, name)
            row = self.source.get(rid) or {}
            stamp = rfc3339(self.now())
            record["result"] = _result(record, row, name, applied, stamp)
            record["verification"] = record["result"]["verification"]
            record["verificationOutcome"] = ({"status": "verified", "evidenceSummary": record["verification"]["output"]}
                                             if applied else {"status": "unverified"})
            self._event(entry, "completed" if applied else "failed", actor,
                        "Action execution completed." if applied else "Action execution failed.")
            entry["attempt"]["state"] = record["state"]
            entry["attempt"]["updatedAt"] = stamp
            entry["receipt"] = {"attemptId": entry["attempt"]["id"], "actionId": record["id"],
                                "transportRequestId": entry["attempt"]["id"], "receivedAt": stamp}
            self.done[record["id"]].set()

    def _execution_body(self, entry: dict) -> bytes:
        record = entry["record"]
        out = {"actionId": record["id"], "state": record["state"]}
        if record.get("result"):
            out["result"] = record["result"]
        out["audit"] = _audit(record)
        return gojson.encode(out)

    # -- detail and refresh ---------------------------------------------------------------------
    def detail(self, action_id: str) -> bytes:
        with self.lock:
            entry = self._get(action_id)
            self._expire(entry)
            return gojson.encode(self._detail_doc(entry))

    def _detail_doc(self, entry: dict) -> dict:
        record = entry["record"]
        audit = _audit(record)
        row = entry["row"]
        current = self.source.get(row["id"])
        if current and str(current.get("name", "")).strip():
            audit["resource"] = {"id": row["id"], "name": str(current["name"]).strip(), "type": current.get("type")}
        blast = []
        for rid in record["plan"].get("predictedBlastRadius", []):
            other = self.source.get(rid)
            item = {"id": rid, "name": "", "type": ""}
            if other:
                item = {"id": rid, "name": str(other.get("name", "")).strip(), "type": other.get("type", "")}
            blast.append(item)
        if blast:
            audit["blastRadius"] = blast
        doc = {"audit": audit, "events": copy.deepcopy(entry["events"])}
        if entry["attempt"]:
            doc["attempt"] = entry["attempt"]
        if entry["receipt"]:
            doc["receipt"] = entry["receipt"]
        doc["readiness"] = self._assess(entry)
        doc["readOnly"] = False
        return doc

    def _assess(self, entry: dict) -> dict:
        checked = rfc3339(self.now())
        state = entry["record"]["state"]
        if state == "expired":
            return {"ready": False, "code": "action_plan_expired", "message": "This action plan has expired.",
                    "remediation": "Refresh the plan to re-check the current resource and policy state.",
                    "refreshable": True, "checkedAt": checked}
        if state not in ("planned", "pending_approval", "approved"):
            return {"ready": False, "code": "action_not_actionable", "message": "This action is no longer open for approval or dispatch.",
                    "remediation": "Review the recorded outcome.", "refreshable": False, "checkedAt": checked}
        problem = self._readiness_error(entry, "decision")
        if problem is None:
            return {"ready": True, "code": "ready", "message": "Action is ready for approval and dispatch.",
                    "refreshable": False, "checkedAt": checked}
        doc = json.loads(problem.body)
        if doc["error"] == "action_plan_drift":
            return {"ready": False, "code": "action_plan_drift",
                    "message": "The resource or capability contract changed after this plan was created.",
                    "remediation": "Refresh the plan and review the replacement before approving it.",
                    "refreshable": True, "checkedAt": checked}
        details = doc.get("details", {})
        return {"ready": False, "code": details.get("reasonCode") or "action_execution_unavailable",
                "message": details.get("reason") or "Action execution is currently unavailable.",
                "remediation": "Restore target readiness, then refresh this check.", "refreshable": False, "checkedAt": checked}

    def refresh(self, action_id: str, body: bytes, authenticated: bool) -> bytes:
        self._fault("refresh")
        request = _strict(body, {"planHash"}, "invalid_action_request", "Invalid action refresh request", "action refresh")
        plan_hash = (request.get("planHash") or "").strip()
        if not plan_hash:
            raise json_error(400, "invalid_action_request", "Invalid action refresh request", {"planHash": "reviewed plan hash is required"})
        with self.lock:
            entry = self._get(action_id)
            record = entry["record"]
            if plan_hash != record["plan"]["planHash"]:
                raise json_error(409, "action_plan_identity_mismatch", "The reviewed action plan changed; reload it before refreshing")
            self._expire(entry)
            drifted = record["state"] in ("planned", "pending_approval", "approved") and \
                self.source.fingerprint(record["request"]["resourceId"]) != record["plan"]["resourceVersion"]
            if record["state"] != "expired" and not drifted:
                raise json_error(409, "action_refresh_not_allowed", "Only expired or drifted action plans can be refreshed")
            req = dict(record["request"])
            plan = self._plan(req, self.actor(authenticated), request_id=f"refresh:{record['id']}")
            if plan["actionId"] == record["id"]:
                raise json_error(409, "action_refresh_not_allowed", "Only expired or drifted action plans can be refreshed")
            return gojson.encode(self._detail_doc(self.actions[plan["actionId"]]))

    def listing(self, view: str, limit_text: str | None) -> bytes:
        """`GET /api/actions?view=pending|settled&limit=` (`HandleListActions`) and, with view
        None, `GET /api/actions/pending` (the decision queue, `HandleListPendingActions`)."""
        limit = 100
        if limit_text is not None and limit_text.strip():
            raw = limit_text.strip()
            if not (raw.lstrip("+-").isdigit()) or not 1 <= int(raw) <= 500:
                raise json_error(400, "invalid_action_list_limit", "Action list limit must be between 1 and 500")
            limit = int(raw)
        states = {"pending": ("planned", "pending_approval", "approved", "executing"),
                  "settled": ("rejected", "expired", "completed", "failed"), None: ("pending_approval",)}
        if view not in states:
            raise json_error(400, "invalid_action_list_view", "Action list view must be pending or settled")
        with self.lock:
            for entry in self.actions.values():
                self._expire(entry)
            chosen = [e for e in self.actions.values() if e["record"]["state"] in states[view]]
            chosen.sort(key=lambda e: e["record"]["updatedAt"], reverse=True)
            projected = [self._detail_doc(e)["audit"] for e in chosen[:limit]]
        if view is None:
            return gojson.encode({"actions": projected, "count": len(projected), "readOnly": False})
        return gojson.encode({"view": view, "actions": projected, "count": len(projected), "readOnly": False})

    def snapshot(self) -> list[dict]:
        with self.lock:
            return [copy.deepcopy(e["record"]) for e in self.actions.values()]
