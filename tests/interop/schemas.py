"""The official MCP JSON Schemas, loaded for validating what the server writes.

`MCPSchema.load("2025-11-25")` reads `mcp-schema/<version>/schema.json` (vendored,
see the README there), registers it in a `referencing.Registry` under a fixed
URI, and validates instances against any named definition, so the schema's own
`$ref: "#/$defs/..."` (2025-11-25, JSON Schema 2020-12) or
`"#/definitions/..."` (2025-06-18, draft-07) resolve. The dialect is the one the
file declares in `$schema`: 2020-12 files get `Draft202012Validator`.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from referencing import Registry, Resource

SCHEMA_DIR = Path(__file__).parent / "mcp-schema"

#: Versions the server negotiates, newest first (DESIGN §2).
SUPPORTED_VERSIONS = ("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05")
LATEST_VERSION = SUPPORTED_VERSIONS[0]
#: The stateless revision, served beside them per request (`_meta` names it).
MODERN_VERSION = "2026-07-28"

#: The result definition of each method's response; anything else is a plain `Result`.
RESULT_DEFS = {
    "initialize": "InitializeResult",
    "server/discover": "DiscoverResult",
    "ping": "EmptyResult",
    "tools/list": "ListToolsResult",
    "tools/call": "CallToolResult",
    "resources/list": "ListResourcesResult",
    "resources/templates/list": "ListResourceTemplatesResult",
    "resources/read": "ReadResourceResult",
}

#: JSON-RPC 2.0 §5: when a request's id cannot be determined (parse error, invalid
#: request) the error response carries `"id": null`. DESIGN §2 and the Python SDK
#: (`JSONRPCError.id: RequestId | None`) agree; neither MCP schema can express it:
#: 2025-06-18 requires a string or integer id, 2025-11-25 makes the id optional but
#: not nullable. Such responses are validated with a placeholder id, so every other
#: member is still checked; the tests assert the null id itself, and
#: test_wire_protocol.py::test_undeterminable_id_error_is_schema_valid keeps the
#: conflict visible.
UNDETERMINABLE_ID_CODES = frozenset({-32700, -32600})


@dataclass(frozen=True)
class MCPSchema:
    """One protocol version's schema, ready to validate against its definitions."""

    version: str
    document: dict[str, Any]
    _validators: dict[str, Validator] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, version: str) -> MCPSchema:
        return _load(version)

    @property
    def uri(self) -> str:
        return f"https://modelcontextprotocol.io/schema/{self.version}/schema.json"

    @property
    def defs_key(self) -> str:
        return "$defs" if "$defs" in self.document else "definitions"

    @property
    def result_response_def(self) -> str:
        """The successful-response envelope (renamed in 2025-11-25)."""
        return "JSONRPCResultResponse" if self.has("JSONRPCResultResponse") else "JSONRPCResponse"

    @property
    def error_response_def(self) -> str:
        """The error-response envelope (renamed in 2025-11-25)."""
        return "JSONRPCErrorResponse" if self.has("JSONRPCErrorResponse") else "JSONRPCError"

    def has(self, name: str) -> bool:
        return name in self.document[self.defs_key]

    def validator(self, name: str) -> Validator:
        """A validator for the definition `name`, resolving refs through the registry."""
        if name not in self._validators:
            if not self.has(name):
                raise KeyError(f"{self.version} schema has no definition {name!r}")
            cls_ = validator_for(self.document, default=Draft202012Validator)
            registry = Registry().with_resource(self.uri, Resource.from_contents(self.document))
            ref = {"$ref": f"{self.uri}#/{self.defs_key}/{name}"}
            self._validators[name] = cls_(ref, registry=registry)
        return self._validators[name]

    def errors(self, name: str, instance: Any) -> list[str]:
        """Every violation of `name` by `instance`, as readable strings (empty when valid)."""
        found = list(self.validator(name).iter_errors(instance))
        if not found:
            return []
        best = best_match(found)
        where = "/".join(str(p) for p in best.absolute_path) or "(root)"
        return [f"{self.version} {name} at {where}: {best.message}"] + [
            f"  also: {'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in found if e is not best
        ]

    def validate(self, name: str, instance: Any) -> None:
        """Raise `ValidationError` naming the version and definition when `instance` violates `name`."""
        problems = self.errors(name, instance)
        if problems:
            raise ValidationError("\n".join(problems) + f"\ninstance: {json.dumps(instance)[:2000]}")

    def validate_server_message(self, message: dict[str, Any], method: str | None) -> None:
        """Validate one message the server wrote, given the method of the request it answers.

        Checks the generic `JSONRPCMessage`, then the exact envelope (result or error
        response), then the result against the method's result definition.
        """
        checked = message
        if "error" in message and message.get("id") is None:
            code = message.get("error", {}).get("code")
            if code in UNDETERMINABLE_ID_CODES:
                checked = copy.deepcopy(message)
                checked["id"] = 0  # see UNDETERMINABLE_ID_CODES
        self.validate("JSONRPCMessage", checked)
        if "result" in checked:
            self.validate(self.result_response_def, checked)
            self.validate(RESULT_DEFS.get(method or "", "Result"), checked["result"])
        elif "error" in checked:
            self.validate(self.error_response_def, checked)
        else:
            raise ValidationError(f"not a response: {json.dumps(message)[:500]}")


@cache
def _load(version: str) -> MCPSchema:
    path = SCHEMA_DIR / version / "schema.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    return MCPSchema(version=version, document=document)


def schema_version_for(negotiated: str) -> str:
    """The vendored schema a session of `negotiated` is validated against.

    2026-07-28, 2025-11-25 and 2025-06-18 have their own; the older 2025-03-26 and 2024-11-05
    sessions use 2025-06-18, the oldest vendored one (later revisions only added
    optional members, so an older-conforming message still validates).
    """
    return negotiated if (SCHEMA_DIR / negotiated / "schema.json").exists() else "2025-06-18"
