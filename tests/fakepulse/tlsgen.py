"""A throwaway CA and a server certificate for 127.0.0.1/localhost, made with the `openssl`
CLI (the standard library cannot mint certificates). Like Pulse's usual self-signed setup,
clients trust it only through the printed CA file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

EXTENSIONS = """basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost
"""


class OpenSSLMissing(RuntimeError):
    pass


def make_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """(ca.pem, server.pem, server.key) inside `directory`."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise OpenSSLMissing("--tls needs the openssl command-line tool, which is not on PATH")
    ca_key, ca_pem = directory / "ca.key", directory / "ca.pem"
    key, csr, pem, ext = directory / "server.key", directory / "server.csr", directory / "server.pem", directory / "server.ext"
    ext.write_text(EXTENSIONS)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], check=True, capture_output=True)

    run("req", "-x509", *ec, "-keyout", str(ca_key), "-out", str(ca_pem), "-days", "7", "-subj", "/CN=fakepulse test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", *ec, "-keyout", str(key), "-out", str(csr), "-subj", "/CN=localhost")
    run("x509", "-req", "-in", str(csr), "-CA", str(ca_pem), "-CAkey", str(ca_key), "-CAcreateserial",
        "-out", str(pem), "-days", "7", "-extfile", str(ext))
    for secret in (ca_key, key):
        secret.chmod(0o600)
    return ca_pem, pem, key
