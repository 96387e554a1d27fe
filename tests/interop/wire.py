"""A raw JSON-RPC-over-pipes driver for the server: no SDK, every byte visible.

`RawServer` spawns the binary with stdin/stdout/stderr pipes, writes lines with
`os.write` and reads stdout with `os.read` into a line buffer, so tests see
exactly what the server wrote, in order, including anything that is not JSON.
stderr is drained by a thread so a chatty log level can never block the server.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from typing import Any

DEFAULT_TIMEOUT = 10.0


def initialize_params(version: str) -> dict[str, Any]:
    return {
        "protocolVersion": version,
        "capabilities": {},
        "clientInfo": {"name": "pulse-interop-tests", "version": "1.0"},
    }


class RawServer:
    """The server as a child process, driven line by line over pipes."""

    def __init__(self, argv: Sequence[str], env: dict[str, str] | None = None) -> None:
        self.argv = list(argv)
        self.process = subprocess.Popen(
            self.argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
            env=env,
        )
        assert self.process.stdin and self.process.stdout and self.process.stderr
        self._in = self.process.stdin.fileno()
        self._out = self.process.stdout.fileno()
        self._buffer = b""
        self._eof = False
        #: Every complete line the server wrote on stdout, raw, newline stripped.
        self.lines: list[bytes] = []
        self._stderr_chunks: list[bytes] = []
        self._stderr_thread = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_thread.start()
        self._next_id = 1000

    # MARK: - writing

    def write_raw(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._in, view)
            view = view[written:]

    def send(self, message: dict[str, Any] | list[Any] | str) -> None:
        """Write one message as one line; a `str` is written verbatim (plus newline)."""
        line = message if isinstance(message, str) else json.dumps(message, separators=(",", ":"))
        self.write_raw(line.encode() + b"\n")

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def request(self, method: str, params: dict[str, Any] | None = None, id: int | str | None = None,
                timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
        """Send a request and return its response (other lines read meanwhile stay in `lines`)."""
        rid = self.new_id() if id is None else id
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return self.response_to(rid, timeout=timeout)

    def close_stdin(self) -> None:
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()

    # MARK: - reading

    def read_line(self, timeout: float = DEFAULT_TIMEOUT) -> bytes | None:
        """The next line from stdout, or None at end of file; raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            if self._eof:
                if self._buffer:
                    raise AssertionError(f"stdout ended mid-line: {self._buffer[:200]!r}")
                return None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no complete line from the server within {timeout}s")
            ready, _, _ = select.select([self._out], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._out, 65536)
            if chunk:
                self._buffer += chunk
            else:
                self._eof = True
        line, _, self._buffer = self._buffer.partition(b"\n")
        self.lines.append(line)
        return line

    def response_to(self, rid: int | str, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
        for line in self.lines:
            message = _try_json(line)
            if isinstance(message, dict) and message.get("id") == rid and "method" not in message:
                return message
        deadline = time.monotonic() + timeout
        while True:
            line = self.read_line(max(0.0, deadline - time.monotonic()))
            if line is None:
                raise AssertionError(f"stdout closed before the response to id {rid!r}")
            message = _try_json(line)
            if isinstance(message, dict) and message.get("id") == rid and "method" not in message:
                return message

    def read_to_eof(self, timeout: float = DEFAULT_TIMEOUT) -> list[bytes]:
        """Read every remaining line until the server closes stdout; returns all lines so far."""
        deadline = time.monotonic() + timeout
        while self.read_line(max(0.0, deadline - time.monotonic())) is not None:
            pass
        return self.lines

    def messages(self) -> list[Any]:
        """Every line read so far, parsed (raises on a line that is not JSON)."""
        return [json.loads(line) for line in self.lines]

    # MARK: - lifecycle

    def wait(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        return self.process.wait(timeout=timeout)

    def terminate(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    @property
    def stderr(self) -> str:
        self._stderr_thread.join(timeout=0.1 if self.process.poll() is None else DEFAULT_TIMEOUT)
        return b"".join(self._stderr_chunks).decode(errors="replace")

    def _drain_stderr(self) -> None:
        assert self.process.stderr
        fd = self.process.stderr.fileno()
        while chunk := os.read(fd, 65536):
            self._stderr_chunks.append(chunk)

    def close(self) -> None:
        """Kill the process if it is still running and release the pipes."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=DEFAULT_TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout):
            if stream and not stream.closed:
                stream.close()
        self._stderr_thread.join(timeout=DEFAULT_TIMEOUT)
        if self.process.stderr and not self.process.stderr.closed:
            self.process.stderr.close()

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _try_json(line: bytes) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None
