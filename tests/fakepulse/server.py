"""The HTTP side: Pulse's routes, auth, org binding and fault switches, plus `/_fake/*` controls.

One `Handler` per connection (HTTP/1.1 keep-alive). Every `/api` call is logged without the
token value (only whether one was sent).
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

import gojson
from errors import (SCOPE_READ, SCOPES_DECIDE, SCOPES_DETAIL, SCOPES_EXECUTE, SCOPES_PLAN, PulseError, json_error,
                    missing_scope, text_error)
from faults import FaultError
from listing import parse_int, parse_list_query

ALL_SCOPES = frozenset({"*"})
READ_ONLY = frozenset({"monitoring:read"})
MISSING_TOKEN_REALM = 'Bearer realm="API token required; supply via Authorization header or X-API-Token header"'
LOG_LIMIT = 200_000


class App:
    """Everything a request needs; shared by all handler threads."""

    def __init__(self, source, lifecycle, faults, token: str | None, read_only_token: str | None, org: str | None,
                 verbose: bool = False):
        self.source = source
        self.lifecycle = lifecycle
        self.faults = faults
        self.token = token
        self.read_only_token = read_only_token
        self.org = org
        self.verbose = verbose
        self.log: list[dict] = []
        self.log_lock = threading.Lock()
        self.pages_served = 0
        self.bytes_served = 0
        self.requests = 0
        self.secrets = [t for t in (token, read_only_token) if t]

    def redact(self, value):
        if isinstance(value, str):
            for secret in self.secrets:
                value = value.replace(secret, "[redacted]")
            return value
        if isinstance(value, dict):
            return {k: self.redact(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.redact(v) for v in value]
        return value


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakepulse"
    app: App

    # -- plumbing -----------------------------------------------------------------------------
    def setup(self):
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def log_message(self, fmt, *args):
        if self.app.verbose:
            line = fmt % args
            for secret in self.app.secrets:
                line = line.replace(secret, "[redacted]")
            sys.stderr.write("fakepulse: " + line + "\n")

    def send_response(self, code, message=None):
        # Go's net/http sends Date but no Server header.
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def _send(self, status: int, body: bytes, kind: str = "json", headers: dict | None = None) -> None:
        self.send_response(status)
        if kind == "json":
            self.send_header("Content-Type", "application/json")
        elif kind == "html":
            self.send_header("Content-Type", "text/html; charset=utf-8")
        else:
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        # headers and body in one write: two small writes meet Nagle and delayed ACKs (40 ms stalls)
        self._headers_buffer.append(b"\r\n")
        if self.command != "HEAD":
            self._headers_buffer.append(body)
        self._status = status
        # On the log before the answer leaves: a client that reads /_fake/log next must find this call.
        self._record_pending()
        self.flush_headers()
        if self.path.startswith("/api"):
            with self.app.log_lock:
                self.app.bytes_served += len(body)

    def _drop(self) -> None:
        """Close the connection without an answer (an unreachable or crashed Pulse)."""
        self.close_connection = True
        self._status = None
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    # -- dispatch -----------------------------------------------------------------------------
    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def do_DELETE(self):
        self._handle()

    def do_PUT(self):
        self._handle()

    def _handle(self) -> None:
        self._status = None
        body = self._body()
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query: dict[str, str] = {}
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            query.setdefault(name, value)       # Go's Query().Get: the first value wins
        if path.startswith("/_fake/"):
            return self._control(path, body)
        token = self._token()
        self._query = query
        self._pending = (path, query, body, token)
        try:
            self._api(path, query, body, token)
        except PulseError as err:
            self._send(err.status, err.body, err.kind, err.headers)
        except (BrokenPipeError, ConnectionResetError):
            self._status = None
        except Exception as exc:   # a bug in the fake must still answer, like Go's recover
            sys.stderr.write(f"fakepulse: internal error on {self.command} {path}: {exc!r}\n")
            self._send(500, b"Internal server error\n", "text")
        finally:
            self._record_pending()

    def _record_pending(self) -> None:
        """Logs the API call being answered, once (a dropped one when the handler ends)."""
        pending = getattr(self, "_pending", None)
        if pending is not None:
            self._pending = None
            self._record(*pending)

    def _record(self, path: str, query: dict, body: bytes, token: str | None) -> None:
        try:
            parsed = json.loads(body) if body.strip() else None
        except ValueError:
            parsed = None
        entry = {"method": self.command, "path": path,
                 "query": {k: ("[redacted]" if k == "token" else self.app.redact(v)) for k, v in query.items()},
                 "body": self.app.redact(parsed), "status": self._status, "tokenPresent": token is not None,
                 "orgId": self.headers.get("X-Pulse-Org-ID"), "dropped": self._status is None,
                 "at": round(time.time(), 3)}
        with self.app.log_lock:
            self.app.requests += 1
            self.app.log.append(entry)
            if len(self.app.log) > LOG_LIMIT:
                del self.app.log[: len(self.app.log) - LOG_LIMIT]

    def _token(self) -> str | None:
        value = self.headers.get("X-API-Token")
        if value and value.strip():
            return value.strip()
        auth = self.headers.get("Authorization") or ""
        if auth[:7].lower() == "bearer " and auth[7:].strip():
            return auth[7:].strip()
        return None

    def _scopes(self, token: str | None) -> tuple[frozenset, bool]:
        app = self.app
        if not app.token and not app.read_only_token:
            return ALL_SCOPES, False
        if token is None:
            raise text_error(401, "API token required via Authorization header or X-API-Token header",
                             {"WWW-Authenticate": MISSING_TOKEN_REALM})
        if app.token and token == app.token:
            return ALL_SCOPES, True
        if app.read_only_token and token == app.read_only_token:
            return READ_ONLY, True
        raise text_error(401, "Invalid API token")

    def _api(self, path: str, query: dict, body: bytes, token: str | None) -> None:
        app = self.app
        if app.faults.get("down"):
            return self._drop()
        scopes, authenticated = self._scopes(token)
        if app.org and (self.headers.get("X-Pulse-Org-ID") or "").strip() != app.org:
            raise json_error(403, "access_denied", "Token is not authorized for this organization")

        def need(required: list[str]) -> None:
            if "*" not in scopes and not any(s in scopes for s in required):
                raise missing_scope(required)

        method = self.command
        src = app.source
        if path == "/api/resources":
            need(SCOPE_READ)
            if method != "GET":
                raise text_error(405, "Method not allowed")
            return self._list(query)
        if path.startswith("/api/resources/"):
            need(SCOPE_READ)
            if method != "GET":
                raise text_error(405, "Method not allowed")
            rid = path[len("/api/resources/"):].strip("/").strip()
            if not rid:
                raise text_error(400, "Resource ID required")
            row = src.get(rid)
            if row is None:
                raise text_error(404, "Resource not found")
            return self._send(200, gojson.encode(row))
        if path == "/api/alerts/active":
            need(SCOPE_READ)
            return self._send(200, src.alerts_bytes())
        if path == "/api/recovery/points":
            need(SCOPE_READ)
            page = parse_int(query.get("page", "").strip(), 1)
            limit = parse_int(query.get("limit", "").strip(), 100)
            return self._send(200, src.recovery_page(page, limit))
        if path == "/api/metrics-store/history":
            need(SCOPE_READ)
            status, data, kind = src.metrics_history(query)
            return self._send(status, data, kind)
        if path == "/api/state":
            need(SCOPE_READ)
            if getattr(src, "state", None) is None:
                raise text_error(404, "Not modelled by the fake for a generated fleet (use --fixtures)")
            return self._send(200, gojson.encode(src.state))
        if path == "/api/agent/fleet-context":
            need(SCOPE_READ)
            if getattr(src, "fleet_context", None) is None:
                raise text_error(404, "Not modelled by the fake for a generated fleet (use --fixtures)")
            return self._send(200, gojson.encode(src.fleet_context))
        if path.startswith("/api/agent/resource-capabilities/"):
            need(SCOPE_READ)
            return self._capabilities(path.rsplit("/", 1)[1])
        if path.startswith("/api/actions"):
            return self._actions(method, path, body, need, authenticated)
        raise text_error(404, "404 page not found")

    def _list(self, query: dict) -> None:
        app = self.app
        lq = parse_list_query(query)
        if lq.unsupported:
            raise text_error(400, "unsupported type filter token(s): " + ", ".join(lq.unsupported))
        page = lq.page
        delay = app.faults.page_delay(page)
        if delay > 0:
            time.sleep(delay)
        if app.faults.page_drop(page):
            return self._drop()
        error = app.faults.page_error(page)
        if error:
            status = int(error.get("status", 500))
            text = "Internal server error" if status == 500 else HTTPStatus(status).phrase
            raise text_error(status, text)
        broken = app.faults.page_broken(page)
        body, _, _ = app.source.list_page(lq)
        if broken:
            mode = broken.get("mode", "truncated")
            if mode == "missingMeta":
                doc = json.loads(body)
                doc.pop("meta", None)
                body = gojson.encode(doc)
            elif mode == "html":
                return self._send(200, b"<html><body>502 Bad Gateway</body></html>\n", "html")
            else:
                body = body[: max(1, len(body) // 2)]
        self._send(200, body)
        with app.log_lock:
            app.pages_served += 1
        for key in ("churn", "vanish"):
            event = app.faults.after_page(key, page)
            if event and key == "churn":
                app.source.churn(float(event.get("percent", 1)))
            elif event:
                app.source.vanish(int(event.get("count", 1)))

    def _capabilities(self, ref: str) -> None:
        src = self.app.source
        now = self.app.lifecycle.now()
        stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        if hasattr(src, "capabilities_doc"):
            doc = src.capabilities_doc(ref, stamp)
        else:
            row = src.get(ref)
            doc = None if row is None else {"resourceId": row["id"], "capabilities": list(row.get("capabilities", [])),
                                            "generatedAt": stamp}
        if doc is None:
            raise json_error(404, "resource_not_found", "No resource is registered with this canonical id.")
        self._send(200, gojson.encode(doc))

    def _actions(self, method: str, path: str, body: bytes, need, authenticated: bool) -> None:
        lc = self.app.lifecycle
        parts = path.strip("/").split("/")   # api, actions, id, verb
        if method == "POST" and parts == ["api", "actions", "plan"]:
            need(SCOPES_PLAN)
            return self._send(200, lc.plan(body, authenticated))
        if method == "GET" and parts == ["api", "actions"]:
            need(SCOPES_DETAIL)
            return self._send(200, lc.listing((self._query.get("view") or "pending").strip(), self._query.get("limit")))
        if method == "GET" and parts == ["api", "actions", "pending"]:
            need(SCOPES_DETAIL)
            return self._send(200, lc.listing(None, None))
        if len(parts) == 3 and method == "GET":
            need(SCOPES_DETAIL)
            return self._send(200, lc.detail(parts[2]))
        if len(parts) == 4 and method == "POST":
            verb = parts[3]
            if verb == "decision":
                need(SCOPES_DECIDE)
                return self._send(200, lc.decide(parts[2], body, authenticated))
            if verb == "execute":
                need(SCOPES_EXECUTE)
                mode, answer, _ = lc.execute(parts[2], body, authenticated)
                if mode == "drop":
                    return self._drop()
                if mode == "timeout":
                    hold = float(self.app.faults.get("executeHoldSeconds", 600) or 600)
                    time.sleep(hold)
                    return self._send(200, lc.detail(parts[2]))
                return self._send(200, answer)
            if verb == "refresh":
                need(SCOPES_PLAN)
                return self._send(200, lc.refresh(parts[2], body, authenticated))
        raise text_error(404 if method in ("GET", "POST") else 405, "404 page not found" if method in ("GET", "POST") else "Method not allowed")

    # -- test controls ------------------------------------------------------------------------
    def _control(self, path: str, body: bytes) -> None:
        app = self.app
        try:
            doc = json.loads(body) if body.strip() else {}
        except ValueError:
            return self._send(400, gojson.encode({"error": "invalid JSON"}))
        try:
            if path == "/_fake/faults" and self.command == "POST":
                if doc.get("clear"):
                    app.source.clear_malformed()
                keys = app.faults.update(doc)
                malformed = doc.get("malformedRow")
                if isinstance(malformed, dict) and malformed.get("id"):
                    app.source.set_malformed(str(malformed["id"]), str(malformed.get("mode", "name")))
                return self._send(200, gojson.encode({"set": keys, "faults": app.faults.snapshot()}))
            if path == "/_fake/faults" and self.command == "GET":
                return self._send(200, gojson.encode(app.faults.snapshot()))
            if path == "/_fake/churn" and self.command == "POST":
                changed = app.source.churn(float(doc.get("percent", 0)))
                return self._send(200, gojson.encode({"changed": changed, "resources": app.source.live_count()}))
            if path == "/_fake/vanish" and self.command == "POST":
                gone = app.source.vanish(int(doc.get("count", 1)))
                return self._send(200, gojson.encode({"vanished": gone, "resources": app.source.live_count()}))
            if path == "/_fake/log" and self.command == "GET":
                with app.log_lock:
                    return self._send(200, gojson.encode(list(app.log)))
            if path == "/_fake/log" and self.command == "DELETE":
                with app.log_lock:
                    app.log.clear()
                return self._send(200, gojson.encode({"cleared": True}))
            if path == "/_fake/stats" and self.command == "GET":
                with app.log_lock:
                    stats = {"resources": app.source.live_count(), "pagesServed": app.pages_served,
                             "bytesServed": app.bytes_served, "requests": app.requests, "mode": app.source.mode,
                             **{k: v for k, v in app.source.stats().items() if k != "resources"}}
                return self._send(200, gojson.encode(stats))
            if path == "/_fake/actions" and self.command == "GET":
                return self._send(200, gojson.encode(app.lifecycle.snapshot()))
        except (FaultError, ValueError, TypeError) as err:
            return self._send(400, gojson.encode({"error": str(err)}))
        self._send(404, gojson.encode({"error": f"no control route {self.command} {path}"}))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def make_server(app: App, host: str, port: int, ssl_context=None) -> Server:
    handler = type("BoundHandler", (Handler,), {"app": app})
    cls = type("Server6", (Server,), {"address_family": socket.AF_INET6}) if ":" in host else Server
    server = cls((host, port), handler)
    if ssl_context is not None:
        server.socket = ssl_context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    return server
