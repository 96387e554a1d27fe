"""Pulse's error bodies, byte for byte.

- Agent and action routes: `writeJSONError(WithDetails)` → `{"error","message"[,"details"]}`
  (`details` is a Go map: sorted keys), encoded with a trailing newline.
- Scope denials (`apihttp/scope.go`): `{"error":"missing_scope","requiredScope"}` or
  `{"error":"missing_scope","requiredScopes":[…]}`.
- Older routes: `http.Error` plain text with a newline, `text/plain; charset=utf-8` and
  `X-Content-Type-Options: nosniff`.
"""

from __future__ import annotations

import gojson


class PulseError(Exception):
    def __init__(self, status: int, body: bytes, kind: str = "json", headers: dict | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.kind = kind
        self.headers = headers or {}


def envelope(code: str, message: str, details: dict | None = None) -> bytes:
    doc = {"error": code, "message": message}
    if details:
        doc["details"] = gojson.sorted_map({k: str(v) for k, v in details.items()})
    return gojson.encode(doc)


def json_error(status: int, code: str, message: str, details: dict | None = None) -> PulseError:
    return PulseError(status, envelope(code, message, details))


def text_error(status: int, message: str, headers: dict | None = None) -> PulseError:
    return PulseError(status, (message + "\n").encode(), "text", headers)


def missing_scope(scopes: list[str]) -> PulseError:
    if len(scopes) == 1:
        return PulseError(403, gojson.encode({"error": "missing_scope", "requiredScope": scopes[0]}))
    return PulseError(403, gojson.encode({"error": "missing_scope", "requiredScopes": scopes}))


# Route scopes as Pulse registers them (router_routes_monitoring.go, relay_mobile_capability_generated.go).
SCOPES_PLAN = ["actions:plan", "ai:execute"]
SCOPES_DETAIL = ["relay:mobile:access", "actions:approve", "ai:execute"]
SCOPES_DECIDE = ["relay:mobile:access", "actions:approve", "ai:execute"]
SCOPES_EXECUTE = ["relay:mobile:access", "actions:execute", "ai:execute"]
SCOPE_READ = ["monitoring:read"]

# Messages per stage for the action fault codes (actions.go write*Error).
_STAGE_MESSAGES = {
    "action_plan_expired": "Action plan has expired",
    "action_plan_drift": {
        "decision": "Action plan no longer matches the current resource contract; refresh the plan before continuing",
        "execute": "Action plan no longer matches the current resource contract; re-plan before executing",
        "plan": "Action plan no longer matches the current resource contract; refresh the plan before continuing",
    },
    "resource_remediation_locked": {
        "execute": "Resource is operator-locked against automated remediation",
        "plan": "Resource is operator-locked against remediation",
        "decision": "Resource is operator-locked against remediation",
    },
    "action_emergency_stop": "Action dispatch is stopped by the operator",
    "action_approval_forbidden": "Current actor is not authorized to decide this action",
    "action_execution_forbidden": "Current actor is not authorized to execute this action",
    "action_not_approved": "Action is not approved for execution",
    "action_not_pending": "Action is not pending approval",
    "action_execution_unavailable": "Action execution is unavailable",
}
_MOCK = {"plan": "Cannot plan actions in mock mode", "decision": "Cannot decide actions in mock mode",
         "execute": "Cannot execute actions in mock mode", "refresh": "Cannot refresh actions in mock mode"}
_FAILED = {"plan": ("action_plan_failed", "Action planning failed"),
           "decision": ("action_decision_failed", "Action decision failed"),
           "execute": ("action_execution_failed", "Action execution failed"),
           "refresh": ("action_plan_failed", "Action planning failed")}
_STATUS = {"action_approval_forbidden": 403, "action_execution_forbidden": 403, "mock_mode_enabled": 403,
           "missing_scope": 403, "action_executor_unavailable": 503}
STAGE_SCOPES = {"plan": SCOPES_PLAN, "refresh": SCOPES_PLAN, "decision": SCOPES_DECIDE, "execute": SCOPES_EXECUTE}


def fault_error(stage: str, code: str, details: dict | None = None) -> PulseError:
    """The answer Pulse gives at `stage` for a fault `code` (see the README's table)."""
    code = str(code)
    if code.isdigit():
        status = int(code)
        name, message = _FAILED[stage]
        return json_error(status, name if status >= 500 else "action_request_failed", message)
    if code == "missing_scope":
        return missing_scope(STAGE_SCOPES[stage])
    if code == "mock_mode_enabled":
        return json_error(403, code, _MOCK[stage])
    message = _STAGE_MESSAGES.get(code, code.replace("_", " ").capitalize())
    if isinstance(message, dict):
        message = message[stage if stage in message else "plan"]
    return json_error(_STATUS.get(code, 409), code, message, details)
