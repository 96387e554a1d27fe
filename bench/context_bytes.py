#!/usr/bin/env python3
"""Bytes an assistant pays for: `tools/list` on the wire and each tool's default answer.

    python3 bench/context_bytes.py [BIN] [-- SERVE-ARGS...]     e.g. -- --store /tmp/s100k.db

A default answer is a call with only the required arguments (a demo VM where a resource is needed;
control_resource as a dry run). Prints a Markdown table: the answer's text bytes and its line on the
wire (text block plus structuredContent). Standard library only.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VM = "vm/pve-a/101"
REQUIRED = {
    "get_resource": {"id": VM}, "list_recovery_points": {"resourceId": VM}, "get_metrics": {"resourceId": VM, "metric": "cpu"},
    "explain_control": {"resourceId": VM}, "get_action_status": {"actionId": "act-000000"},
    "control_resource": {"resourceId": VM, "action": "stop", "reason": "bench", "dryRun": True},
}


def main() -> int:
    args = sys.argv[1:]
    extra = args[args.index("--") + 1:] if "--" in args else []
    binary = args[0] if args and args[0] != "--" else str(REPO / ".build" / "release" / "pulse-assistant")
    process = subprocess.Popen([binary, "serve", *extra], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdin and process.stdout
    counter = 0

    def request(method: str, params: dict) -> tuple[bytes, dict]:
        nonlocal counter
        counter += 1
        process.stdin.write((json.dumps({"jsonrpc": "2.0", "id": counter, "method": method, "params": params}) + "\n").encode())
        process.stdin.flush()
        line = process.stdout.readline()
        return line, json.loads(line)

    request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}})
    line, listing = request("tools/list", {})
    print("| what | text bytes | wire bytes |\n| --- | ---: | ---: |")
    print(f"| `tools/list` | | {len(line) - 1} |")
    for tool in listing["result"]["tools"]:
        line, answer = request("tools/call", {"name": tool["name"], "arguments": REQUIRED.get(tool["name"], {})})
        text = answer["result"]["content"][0]["text"].encode()
        refused = " (refused)" if answer["result"].get("isError") else ""
        print(f"| `{tool['name']}` default{refused} | {len(text)} | {len(line) - 1} |")
    process.stdin.close()
    process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
