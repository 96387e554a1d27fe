"""JSON bytes as Go's encoding/json writes them, so the fake's bodies match Pulse's byte for byte.

Go differs from Python's json module in four ways that a client could notice:
- compact separators, and `Encoder.Encode` appends one newline (`json.Marshal` does not);
- `<`, `>`, `&` and U+2028/U+2029 inside strings are escaped as `\\u003c` and so on,
  while other non-ASCII text is written as raw UTF-8;
- a float64 with an integral value is written without a fraction (`65`, not `65.0`);
- map keys are sorted (struct fields keep their declaration order).

Dicts here stand for both structs (insertion order kept) and maps (call `sorted_map`).
Integral floats are normalised once, where data is built (`num`) or loaded (`normalise`).
"""

from __future__ import annotations

import json
from typing import Any

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def num(value: float) -> float | int:
    """A float as Go prints it: integral values lose their fraction."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def normalise(value: Any) -> Any:
    """Recursively apply `num` to every float (fixtures written by Python carry `65.0`)."""
    if isinstance(value, float):
        return num(value)
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def sorted_map(mapping: dict) -> dict:
    """A Go map: its keys are written in sorted order."""
    return {k: mapping[k] for k in sorted(mapping)}


def dumps(value: Any) -> str:
    """Compact Go-style text (no trailing newline)."""
    text = _ENCODER.encode(value)
    for raw, escaped in _ESCAPES:
        if raw in text:
            text = text.replace(raw, escaped)
    return text


def marshal(value: Any) -> bytes:
    """`json.Marshal`: used by Pulse's `utils.WriteJSONResponse` (alerts, recovery)."""
    return dumps(value).encode()


def encode(value: Any) -> bytes:
    """`json.NewEncoder(w).Encode`: Marshal plus a newline (resources, actions, errors)."""
    return (dumps(value) + "\n").encode()
