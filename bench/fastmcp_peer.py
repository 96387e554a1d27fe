"""The comparison server: a minimal FastMCP server doing pulse-assistant's job.

    python bench/fastmcp_peer.py [--manifest PATH]

Built on the official Python MCP SDK (mcp 2.3.0, where FastMCP is called
`MCPServer`), over stdio, with one tool, `get_platform_support`: the same rows,
built from the same `platform-support.json`, with the same statements, returned
as structured output (the SDK derives the `outputSchema` from the return type
and sends `structuredContent` plus a text block). An unknown platform raises
`ToolError`, which the SDK turns into an `isError` result listing the known ids.
bench.py checks that both servers answer `{"platform": "pve"}` with the same row.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel

DEFAULT_MANIFEST = Path(__file__).resolve().parents[1] / "Sources/Policy/Resources/platform-support.json"

CONTROL_MEANING = {
    "supported": "assistant control is supported: control requests execute through the platform's own control path.",
    "augmentation-only": "assistant control is augmentation-only: control requests are routed to the Pulse agent "
                         "on the resource's host, and refused where no such agent is connected.",
    "read-only": "assistant control is read-only: control requests are refused.",
    "n/a": "assistant control does not apply (n/a): control requests are refused.",
}


class Hybrid(BaseModel):
    primary: str
    augmentation: str


class Augmentation(BaseModel):
    path: str
    scope: str
    wording: str
    deferred: bool


class SupportFloor(BaseModel):
    setup: str | None
    visibility: str | None
    workloads: str | None
    storage: str | None
    recovery: str | None
    alerts: str | None
    assistantRead: str | None
    assistantControl: str | None


class PlatformRow(BaseModel):
    id: str
    displayName: str
    aliases: list[str]
    family: str | None
    governanceState: str
    readinessStage: str | None
    supported: bool
    primaryMode: str | None
    hybrid: Hybrid | None
    optionalAugmentation: Augmentation | None
    onboardingPath: str | None
    entryPoint: str | None
    projections: list[str]
    supportFloor: SupportFloor | None
    proposedFloor: SupportFloor | None
    assistantControl: str | None
    statement: str


class PlatformSupport(BaseModel):
    platforms: list[PlatformRow]
    supportedCount: int


def statement(platform: dict[str, Any]) -> str:
    pid, governance = platform["id"], platform["governance"]
    if governance == "supported":
        control = (platform.get("supportFloor") or {}).get("assistantControl")
        meaning = CONTROL_MEANING.get(control, "assistant control is not classified")
        return f"{pid} is supported: it is in the current support matrix, the assistant reads it, and {meaning}"
    if governance == "admitted":
        stage = platform.get("readinessStage") or "no recorded stage"
        text = f"{pid} is not supported. It is an admitted platform at readiness stage {stage}"
        if stage == "first-lab-ready":
            text += ", an implementation checkpoint and not a support claim"
        text += (". It is not in the current support matrix: the assistant does not treat its resources as "
                 "supported and never controls them.")
        if platform.get("proposedFloor"):
            text += " The floor shown is its proposed phase-1 floor, not current support."
        return text
    return (f"{pid} is not supported. It is presentation-only vocabulary: not admitted, at no readiness stage, "
            "it projects no resources and supports no surface.")


def row(platform: dict[str, Any]) -> PlatformRow:
    supported = platform["governance"] == "supported"
    floor = platform.get("supportFloor")
    return PlatformRow(
        id=platform["id"],
        displayName=platform["displayName"],
        aliases=platform.get("aliases", []),
        family=platform.get("family"),
        governanceState=platform["governance"],
        readinessStage=platform.get("readinessStage"),
        supported=supported,
        primaryMode=platform.get("primaryMode"),
        hybrid=platform.get("hybrid"),
        optionalAugmentation=platform.get("augmentation"),
        onboardingPath=platform.get("onboardingPath"),
        entryPoint=platform.get("entryPoint"),
        projections=platform.get("projections", []),
        supportFloor=floor,
        proposedFloor=platform.get("proposedFloor"),
        assistantControl=floor.get("assistantControl") if supported and floor else None,
        statement=statement(platform),
    )


def build_server(manifest: Path) -> MCPServer:
    platforms = json.loads(manifest.read_text(encoding="utf-8"))["platforms"]
    rows = [row(platform) for platform in platforms]
    by_name = {p["id"]: r for p, r in zip(platforms, rows)}
    by_name |= {alias.lower(): r for p, r in zip(platforms, rows) for alias in p.get("aliases", [])}
    supported_count = sum(1 for r in rows if r.supported)
    known = ", ".join(r.id for r in rows)

    # WARNING, like pulse-assistant's default: measure the protocol work, not per-request INFO logging.
    server = MCPServer("fastmcp-peer", instructions="FastMCP comparison server for the pulse-assistant benchmark.",
                       log_level="WARNING")

    @server.tool(title="Platform support", structured_output=True)
    def get_platform_support(platform: str | None = None) -> PlatformSupport:
        """Returns the governed support matrix of Pulse platforms; give `platform` (id or alias) for one row."""
        if platform is None:
            return PlatformSupport(platforms=rows, supportedCount=supported_count)
        found = by_name.get(platform.lower())
        if found is None:
            raise ToolError(f'Unknown platform "{platform}". Known platform ids: {known}.')
        return PlatformSupport(platforms=[found], supportedCount=supported_count)

    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    args = parser.parse_args()
    build_server(args.manifest).run("stdio")


if __name__ == "__main__":
    main()
