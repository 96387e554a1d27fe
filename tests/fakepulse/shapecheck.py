"""Check a JSON value against Pulse's Go struct definitions (`pulse-json-fields.json`).

The same checks the shared fixtures were built with: every key is a json field of the struct,
keys come in struct field order, every non-`omitempty` field (and every non-pointer struct or
`time.Time`) is present, and no `omitempty` field holds a value Go would have dropped.
"""

from __future__ import annotations

import json
from pathlib import Path

FIELDS = Path(__file__).resolve().parents[2] / "Tests" / "PulseClientTests" / "Fixtures" / "pulse-json-fields.json"


class ShapeChecker:
    def __init__(self, path: Path = FIELDS, allow_unknown: tuple[str, ...] = ()):
        self.structs = json.loads(path.read_text())["structs"]
        self.allow_unknown = set(allow_unknown)

    def check(self, value, struct: str, where: str = "$") -> list[str]:
        problems: list[str] = []
        self._check(value, struct, where, problems)
        return problems

    def _check(self, value, struct: str, where: str, problems: list[str]) -> None:
        spec = self.structs.get(struct)
        if spec is None or not isinstance(value, dict):
            return
        fields = spec["fields"]
        order = list(fields)
        last = -1
        for key, item in value.items():
            if key not in fields:
                if key not in self.allow_unknown:
                    problems.append(f"{where}.{key}: not a field of {struct}")
                continue
            index = order.index(key)
            if index < last:
                problems.append(f"{where}.{key}: out of Go field order in {struct}")
            last = index
            field = fields[key]
            gotype = field["goType"]
            if field["omitempty"] and not gotype.startswith("*") and _is_zero(item, gotype) and "struct" not in field:
                problems.append(f"{where}.{key}: omitempty field holds a zero value")
            nested = field.get("struct")
            if nested and item is not None:
                if gotype.startswith("[]") or gotype.startswith("*[]"):
                    for i, element in enumerate(item if isinstance(item, list) else []):
                        self._check(element, nested, f"{where}.{key}[{i}]", problems)
                elif not gotype.startswith("map["):
                    self._check(item, nested, f"{where}.{key}", problems)
        for key, field in fields.items():
            if key in value:
                continue
            gotype = field["goType"]
            required = not field["omitempty"] and not gotype.startswith("*")
            struct_valued = (gotype == "time.Time" or "struct" in field) and not gotype.startswith(("*", "[]", "map["))
            if required or struct_valued:
                problems.append(f"{where}.{key}: required by {struct} but missing")


def _is_zero(value, gotype: str) -> bool:
    if value is None:
        return True
    if isinstance(value, bool):
        return value is False
    if isinstance(value, (int, float)):
        return value == 0
    if isinstance(value, str):
        return value == "" and gotype != "time.Time"
    if isinstance(value, (list, dict)):
        return len(value) == 0
    return False
