"""A stdio proxy that corrupts the server's tool results, to prove the SDK client validates them.

    python corrupting_proxy.py {retype|drop} SERVER-ARGV...

Runs the server as a child and copies lines both ways. Every response whose
`result` carries `structuredContent` is rewritten before the client sees it:
`retype` gives its first member a value of another type than its tool's
`outputSchema` declares (output schemas are open, so an extra member would
pass); `drop` removes `structuredContent` altogether.
The text block is left as it was. Everything else passes through unchanged.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading


def corrupt(line: bytes, how: str) -> bytes:
    try:
        message = json.loads(line)
    except ValueError:
        return line
    result = message.get("result") if isinstance(message, dict) else None
    if not isinstance(result, dict) or "structuredContent" not in result:
        return line
    if how == "retype":
        structured = result["structuredContent"]
        first = next(iter(structured))
        structured[first] = "retyped by proxy" if not isinstance(structured[first], str) else 7
    else:
        del result["structuredContent"]
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


def main() -> int:
    how, argv = sys.argv[1], sys.argv[2:]
    assert how in ("retype", "drop"), how
    child = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    assert child.stdin and child.stdout

    def pump_in() -> None:
        assert child.stdin
        for line in sys.stdin.buffer:
            child.stdin.write(line)
            child.stdin.flush()
        child.stdin.close()

    threading.Thread(target=pump_in, daemon=True).start()
    out = sys.stdout.buffer
    for line in child.stdout:
        out.write(corrupt(line, how))
        out.flush()
    return child.wait()


if __name__ == "__main__":
    sys.exit(main())
