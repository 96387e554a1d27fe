"""A hand-written JSON writer for the commonest rows (Proxmox vms and LXC containers, over
half of any generated fleet), because building a dict and encoding it costs ~80 µs a row and
a 100k-row walk would be bounded by the fake rather than by the client under test.

It must write exactly the bytes `gojson.dumps(kinds_pve._guest(...))` writes; a test compares
the two over whole fleets, churned and acted on. Anything unusual (a malformed-row fault, a
name that needs escaping) goes through the dict path instead.
"""

from __future__ import annotations

import re
from functools import lru_cache

import gojson
from common import (AGENT_DISCONNECTED, DOCKER_DISCONNECTED, INTERNAL, SENSITIVE, docker_capabilities, guest_capabilities,
                    split_available, summary)
from kinds_apps import AppFacts
from kinds_pve import LXC_TEMPLATE, GuestFacts

_SAFE = re.compile(r"^[ !#-%'-;=?-\[\]-~]*$")      # printable ASCII without " & < > \


def jstr(text: str) -> str:
    if _SAFE.match(text):
        return '"' + text + '"'
    return gojson.dumps(text)


def jnum(value) -> str:
    return repr(value) if isinstance(value, float) else str(value)


@lru_cache(maxsize=None)
def _caps(platform: str, running: bool, connected: bool) -> str:
    caps, unready = split_available(guest_capabilities(platform, running), connected,
                                    "command_agent_disconnected", AGENT_DISCONNECTED)
    out = ""
    if caps:
        out += ',"capabilities":' + gojson.dumps(caps)
    if unready:
        out += ',"actionReadiness":' + gojson.dumps(unready)
    return out


@lru_cache(maxsize=None)
def _policy(vm: bool, status: str, sensitive: bool) -> str:
    policy = SENSITIVE if sensitive else INTERNAL
    label = "virtual machine" if vm else "system container"
    return (',"policy":' + gojson.dumps(policy) + ',"aiSafeSummary":' +
            gojson.dumps(summary(label, status, ["proxmox"], policy, parent=True)))


@lru_cache(maxsize=4096)
def _tags(tags: tuple) -> str:
    return gojson.dumps(list(tags))


def _cpu(cpu: float) -> str:
    p = gojson.num(round(cpu, 1))
    if p:
        s = jnum(p)
        return '{"value":' + s + ',"percent":' + s + ',"unit":"percent"}'
    return '{"value":0,"unit":"percent"}'


def _bytes(used: int, total: int) -> str:
    out = '{"value":0,"used":' + str(used) + ',"total":' + str(total)
    if total and used:
        out += ',"percent":' + jnum(gojson.num(round(used * 100.0 / total, 2)))
    return out + ',"unit":"bytes"}'


def guest_json(f, kind: str, k: int, o: dict) -> str | None:
    g = GuestFacts(f, kind, k, o)
    if g.odd or not _SAFE.match(g.name):
        return None
    info = g.info
    name = '"' + g.name + '"'
    itype = g.itype
    vmid = str(g.vmid)
    running = g.running
    out = ['{"id":"', g.id, '","type":"', itype, '","technology":"', g.platform, '","name":', name,
           ',"status":"', g.status, '","lastSeen":"', g.ls, '","updatedAt":"', f.clock.updated_at, '"']
    if info.connected:
        out += [',"discoveryTarget":{"resourceType":"', itype, '","agentId":"', info.host_id, '","resourceId":"', vmid,
                '","hostname":', name, '}']
    sid = g.source_id
    primary = itype + ":" + sid
    out += [',"metricsTarget":{"resourceType":"', itype, '","resourceId":"', sid, '"},"canonicalIdentity":{"displayName":',
            name, ',"hostname":', name, ',"platformId":"', info.name, '","primaryId":"', primary, '","aliases":["',
            primary, '","', sid, '"']
    if info.host_id:
        out += [',"', info.host_id, '","', vmid, '","', info.name, '",', name, ',"', g.id, '","agent:', info.host_id, '"]}']
    else:
        out += [',"', info.name, '",', name, ',"', g.id, '"]}']
    out.append(_policy(g.vm, g.status, g.sensitive))
    out += [',"platformScopes":["proxmox-pve"],"sources":["proxmox"],"sourceStatus":{"proxmox":{"status":"online","lastSeen":"',
            g.ls, '"}},"identity":{"hostnames":[', name, ']']
    if running:
        out += [',"ipAddresses":["', g.ip, '"]']
    out += [',"proxmoxGuestKey":"', info.instance, ':', vmid, '"},"metrics":{"cpu":', _cpu(g.cpu)]
    if running:
        out += [',"memory":', _bytes(g.mem_used, g.mem_total), ',"disk":', _bytes(g.disk_used, g.disk_total),
                ',"netIn":{"value":', str(g.net_in), ',"unit":"bytes/s"},"netOut":{"value":', str(g.net_out),
                ',"unit":"bytes/s"}']
    out.append('}')
    if g.uptime:
        out += [',"uptime":', str(g.uptime)]
    out += [',"parentId":"', info.id, '","parentName":"', info.name, '"']
    if g.tags:
        out += [',"tags":', _tags(tuple(g.tags))]
    out.append(_caps(g.platform, running, info.connected))
    out += [',"facetCounts":{"recentChanges":0},"proxmox":{"sourceId":"', sid, '","runtimeStatus":"',
            "running" if running else "stopped", '","nodeName":"', info.name, '","instance":"', info.instance,
            '","vmid":', vmid]
    if not g.vm:
        out.append(',"containerType":"lxc"')
    out += [',"cpus":', str(g.cpus)]
    if g.uptime:
        out += [',"uptime":', str(g.uptime)]
    out += [',"lastBackup":"', g.backup, '"']
    if g.vm:
        if running:
            out.append(',"guestAgentStatus":"available","guestAgentExpected":true,"osName":"Debian GNU/Linux","osVersion":"13"')
        else:
            out.append(',"guestAgentStatus":"unavailable","guestAgentExpected":true')
    else:
        out += [',"osTemplate":"', LXC_TEMPLATE, '"']
    if running:
        out += [',"memory":{"total":', str(g.mem_total), ',"used":', str(g.mem_used), ',"free":',
                str(g.mem_total - g.mem_used), ',"usage":', jnum(gojson.num(round(g.mem_frac * 100, 2))), '}}}']
    else:
        out += [',"memory":{"total":', str(g.mem_total), ',"used":0,"free":0,"usage":0}}}']
    return "".join(out)


@lru_cache(maxsize=None)
def _docker_caps(running: bool, update: bool, runtime: str, connected: bool) -> str:
    caps, unready = split_available(docker_capabilities(running, update, runtime), connected,
                                    "command_agent_disconnected", DOCKER_DISCONNECTED)
    out = ""
    if caps:
        out += ',"capabilities":' + gojson.dumps(caps)
    if unready:
        out += ',"actionReadiness":' + gojson.dumps(unready)
    return out


@lru_cache(maxsize=None)
def _app_summary(status: str) -> str:
    return gojson.dumps(summary("application container", status, ["docker"], INTERNAL, parent=True))


def app_json(f, kind: str, k: int, o: dict) -> str | None:
    a = AppFacts(f, k, o)
    if not _SAFE.match(a.name):
        return None
    host = a.host
    name = '"' + a.name + '"'
    cid = a.cid
    running = a.running
    podman = host.runtime == "podman"
    out = ['{"id":"', a.id, '","type":"app-container","technology":"', host.runtime, '","name":', name, ',"status":"',
           a.status, '","lastSeen":"', a.ls, '","updatedAt":"', f.clock.updated_at,
           '","discoveryTarget":{"resourceType":"app-container","agentId":"', host.agent_id, '","resourceId":', name,
           ',"hostname":"', host.name, '"},"metricsTarget":{"resourceType":"app-container","resourceId":"', cid,
           '"},"canonicalIdentity":{"displayName":', name, ',"hostname":', name, ',"platformId":"', host.name,
           '","primaryId":"app-container:', cid, '","aliases":["app-container:', cid, '","', cid, '","', host.agent_id,
           '",', name, ',"', host.source_id, '","', host.name, '","', a.id, '","agent:', host.agent_id,
           '"]},"policy":{"sensitivity":"internal","routing":{"scope":"cloud-summary"}},"aiSafeSummary":',
           _app_summary(a.status), ',"platformScopes":["docker"],"sources":["docker"],"sourceStatus":{"docker":{"status":"online","lastSeen":"',
           a.ls, '"}},"identity":{"hostnames":[', name, ']},"metrics":{"cpu":', _cpu(a.cpu)]
    if running:
        out += [',"memory":', _bytes(a.mem_used, a.mem_total), ',"netIn":{"value":', str(a.net_in),
                ',"unit":"bytes/s"},"netOut":{"value":', str(a.net_out), ',"unit":"bytes/s"}']
    out.append('}')
    if a.uptime:
        out += [',"uptime":', str(a.uptime)]
    out += [',"parentId":"', host.id, '","parentName":"', host.name, '"', _docker_caps(running, a.update, host.runtime, host.connected),
            ',"facetCounts":{"recentChanges":0},"docker":{"hostSourceId":"', host.source_id, '","agentId":"', host.agent_id,
            '","containerId":"', cid, '","hostname":"', host.name, '","image":"', a.image, '","runtime":"', host.runtime,
            '","runtimeVersion":"', "5.6.1" if podman else "28.3.3", '"']
    if not podman:
        out.append(',"dockerVersion":"28.3.3"')
    if a.uptime:
        out += [',"uptimeSeconds":', str(a.uptime)]
    out += [',"containerState":"', "running" if running else "exited", '"']
    if running:
        out.append(',"health":"healthy"')
        raw, capacity = gojson.num(round(a.cpu * 4, 2)), gojson.num(round(a.cpu, 2))
        if raw:
            out += [',"cpuRawPercent":', jnum(raw)]
        if capacity:
            out += [',"cpuCapacityPercent":', jnum(capacity)]
        out += [',"cpuCapacityCores":4,"startedAt":"', f.clock.at(-a.uptime), '"']
    project = a.name.split("-")[0]
    out += [',"ports":[{"privatePort":80,"publicPort":', str(a.port), ',"protocol":"tcp","ip":"127.0.0.1"}],"labels":{"com.docker.compose.project":"',
            project, '","com.docker.compose.service":', name, '},"networks":[{"name":"bridge","ipv4":"', a.ip,
            '"}],"updateStatus":{"updateAvailable":', "true" if a.update else "false", ',"currentDigest":"', a.digest, '"']
    if a.update:
        out += [',"latestDigest":"', a.latest, '"']
    out += [',"lastChecked":"', f.clock.at(-5400), '"},"createdAt":"', f.clock.at(-86400 * 21), '"}}']
    return "".join(out)


FAST = {"vm": guest_json, "ct": guest_json, "appct": app_json}
