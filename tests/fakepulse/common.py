"""Shared pieces of Pulse's resource JSON: ids, hashes, time stamps, policy, metrics, capabilities.

Every builder returns plain dicts whose key order is the Go struct field order of
`unifiedresources.Resource` and its facets (see `pulse-json-fields.json`), with `omitempty`
respected: a zero value is left out, never written as `false`, `0` or `""`.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from gojson import num

M64 = (1 << 64) - 1
GIB = 1 << 30

# The data epoch: every generated time stamp is relative to it, so one seed always gives the
# same bytes. It is the fixtures' "now" (their lastSeen is 14:29:55Z). `--epoch` moves it.
DEFAULT_EPOCH = datetime(2026, 8, 22, 14, 30, 0, tzinfo=timezone.utc)
ZERO_TIME = "0001-01-01T00:00:00Z"


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_rfc3339(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


class Clock:
    """The data epoch (fixed, deterministic) for resource time stamps."""

    def __init__(self, epoch: datetime):
        self.epoch = epoch
        self.updated_at = rfc3339(epoch)
        self.last_seen = rfc3339(epoch - timedelta(seconds=5))
        self.epoch_ms = int(epoch.timestamp() * 1000)
        self._at: dict[float, str] = {}

    def at(self, seconds_offset: float) -> str:
        text = self._at.get(seconds_offset)
        if text is None:
            text = rfc3339(self.epoch + timedelta(seconds=seconds_offset))
            if len(self._at) < 100_000:
                self._at[seconds_offset] = text
        return text


def pulse_id(internal_type: str, stable: str) -> str:
    """Pulse's `buildHashID`: `{internalType}-{hex(sha256(stable)[:8])}`."""
    return internal_type + "-" + hashlib.sha256(stable.encode()).hexdigest()[:16]


def hexdigest(text: str, length: int = 64) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def mix(x: int) -> int:
    """splitmix64 finaliser: a cheap, well-spread 64-bit hash."""
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


class Rand:
    """Deterministic per-row randomness: `r(kind_code, k, salt)` depends on the seed only."""

    def __init__(self, seed: int):
        self.seed_mix = mix((seed * 0x9E3779B97F4A7C15) & M64)

    def r(self, code: int, k: int, salt: int = 0) -> int:
        return mix((self.seed_mix + code * 0xD1B54A32D192ED03 + k * 0x9E3779B97F4A7C15 + salt * 0xC2B2AE3D27D4EB4F) & M64)

    def frac(self, code: int, k: int, salt: int = 0) -> float:
        return self.r(code, k, salt) / 18446744073709551616.0


class Token32:
    """An invertible 32-bit scramble, so ids that look random still map back to their row."""

    MULT = 0x9E3779B1
    INV = pow(0x9E3779B1, -1, 1 << 32)

    def __init__(self, seed: int):
        self.mask = mix(seed + 77) & 0xFFFFFFFF

    def encode(self, code: int, k: int) -> str:
        return format((((k + code * 0x01000193) * self.MULT) ^ self.mask) & 0xFFFFFFFF, "08x")

    def decode(self, code: int, token: str) -> int | None:
        try:
            x = int(token, 16)
        except ValueError:
            return None
        if len(token) != 8:
            return None
        return ((((x ^ self.mask) * self.INV) & 0xFFFFFFFF) - code * 0x01000193) & 0xFFFFFFFF


INTERNAL = {"sensitivity": "internal", "routing": {"scope": "cloud-summary"}}
SENSITIVE = {"sensitivity": "sensitive", "routing": {"scope": "local-first", "redact": ["hostname", "platform-id", "alias"]}}
SENSITIVE_IP = {"sensitivity": "sensitive", "routing": {"scope": "local-first", "redact": ["hostname", "ip-address", "platform-id", "alias"]}}
RESTRICTED = {"sensitivity": "restricted", "routing": {"scope": "local-only", "redact": ["hostname", "platform-id", "alias"]}}


def summary(label: str, status: str, sources: list[str], policy: dict, parent: bool = False, children: int = 0) -> str:
    """Pulse's `aiSafeSummary` sentence (`policy_metadata.go`)."""
    text = f"{label} resource; status {status}; sources {'+'.join(sorted(sources))}"
    if children:
        text += f"; {children} child resources"
    elif parent:
        text += "; linked to parent resource"
    if policy["routing"]["scope"] == "local-first":
        text += "; redacted for cloud summary"
    elif policy["routing"]["scope"] == "local-only":
        text += "; local-only context"
    return text


def source_status(sources: list[str], last_seen: str, agent_stale: bool = False) -> dict:
    return {s: {"status": "stale" if (s == "agent" and agent_stale) else "online", "lastSeen": last_seen} for s in sources}


def cpu_metric(percent: float) -> dict:
    percent = num(round(percent, 1))
    if percent:
        return {"value": percent, "percent": percent, "unit": "percent"}
    return {"value": 0, "unit": "percent"}


def bytes_metric(used: int, total: int | None) -> dict:
    out = {"value": 0, "used": used}
    if total is not None:
        out["total"] = total
        if total and used:
            out["percent"] = num(round(used * 100.0 / total, 2))
    out["unit"] = "bytes"
    return out


def rate_metric(value: int) -> dict:
    return {"value": value, "unit": "bytes/s"}


def capability(name: str, description: str, platform: str, auto: str = "", rollback: bool = False) -> dict:
    out = {"name": name, "type": "common", "description": description, "minimumApprovalLevel": "admin"}
    if auto:
        out["autoAuthorization"] = auto
    if rollback:
        out["supportsRollback"] = True
    out["platform"] = platform
    return out


def readiness(name: str, code: str, reason: str) -> dict:
    return {"name": name, "available": False, "reasonCode": code, "reason": reason}


_GUEST_WORD = {"qemu": "VM", "lxc": "LXC"}


def guest_capabilities(platform: str, running: bool) -> list[dict]:
    """Proxmox lifecycle verbs (`adapters.go`): running → shutdown/reboot/stop, stopped → start."""
    word = _GUEST_WORD[platform]
    if running:
        return [
            capability("shutdown", f"Gracefully shut down this Proxmox {word}", platform),
            capability("reboot", f"Reboot this Proxmox {word}", platform),
            capability("stop", f"Hard stop this Proxmox {word}", platform),
        ]
    return [capability("start", f"Start this Proxmox {word}", platform)]


AGENT_DISCONNECTED = "Proxmox node command agent is not connected."
DOCKER_DISCONNECTED = "Docker / Podman command agent is not connected."
UNSUPPORTED = "This action is not routed through a supported executor."


def docker_capabilities(running: bool, update_available: bool, runtime: str = "docker") -> list[dict]:
    word = "Docker" if runtime == "docker" else "Podman"
    if not running:
        return [capability("start", f"Start this {word} container through its reporting Pulse agent.", runtime, auto="never")]
    caps = [
        capability("stop", f"Stop this {word} container through its reporting Pulse agent.", runtime, auto="never"),
        capability("restart", f"Restart this {word} container through its reporting Pulse agent.", runtime, auto="low_risk"),
    ]
    if update_available:
        caps.append(capability(
            "update",
            f"Update this {word} container to its latest image through its reporting Pulse agent, with automatic backup and rollback.",
            runtime, auto="low_risk", rollback=True))
    return caps


OS_UPDATES = capability(
    "install_os_updates",
    "Refresh APT metadata and install standard OS package upgrades without removing packages or rebooting the host.",
    "linux", auto="elevated")
CLEAN_CACHE = capability(
    "clean_package_cache",
    "Reclaim the agent-managed APT package cache without selecting paths, removing installed packages, or rebooting the host.",
    "linux", auto="low_risk")


def split_available(caps: list[dict], connected: bool, code: str, reason: str) -> tuple[list[dict], list[dict]]:
    """`applyActionAvailability`: capabilities the executor cannot run now move to actionReadiness."""
    if connected:
        return caps, []
    return [], [readiness(c["name"], code, reason) for c in caps]
