"""A throwaway redis-server on 127.0.0.1 for tests: free port, no persistence, stopped after."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REDIS_SERVER = shutil.which("redis-server")
SKIP_REASON = (
    "redis-server is not installed (Debian: apt-get install redis-server); "
    "the distributed-mode tests need a real Redis"
)
needs_redis = pytest.mark.skipif(REDIS_SERVER is None, reason=SKIP_REASON)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_certificates(workdir: Path) -> tuple[Path, Path, Path]:
    """Write a throwaway CA and a server certificate for 127.0.0.1; return (ca, cert, key)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed; the TLS test makes its certificates with it")
    ca, ca_key = workdir / "ca.pem", workdir / "ca.key"
    cert, key, csr = workdir / "server.pem", workdir / "server.key", workdir / "server.csr"
    ext = workdir / "ext.cnf"
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n", encoding="utf-8")
    quiet = {"check": True, "capture_output": True}
    new_key = ["-newkey", "rsa:2048", "-nodes"]
    subprocess.run(
        [openssl, "req", "-x509", *new_key, "-keyout", ca_key, "-out", ca, "-days", "2"]
        + ["-subj", "/CN=newsdedup test CA"],
        **quiet,
    )
    subprocess.run(
        [openssl, "req", *new_key, "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1"],
        **quiet,
    )
    subprocess.run(
        [openssl, "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial"]
        + ["-out", cert, "-days", "2", "-extfile", ext],
        **quiet,
    )
    return ca, cert, key


@contextmanager
def redis_server(workdir: Path, *, password: str | None = None, tls: bool = False) -> Iterator[str]:
    """Run redis-server until the block ends; yield its URL (with the password).

    With ``tls`` the server speaks only TLS, with a certificate signed by ``workdir/ca.pem``,
    and the URL is ``rediss://``.
    """
    if REDIS_SERVER is None:
        pytest.skip(SKIP_REASON)
    port = free_port()
    args = [REDIS_SERVER, "--bind", "127.0.0.1"]
    if tls:
        ca, cert, key = make_certificates(workdir)
        args += ["--port", "0", "--tls-port", str(port), "--tls-auth-clients", "no"]
        args += ["--tls-cert-file", str(cert), "--tls-key-file", str(key)]
        args += ["--tls-ca-cert-file", str(ca)]
    else:
        args += ["--port", str(port)]
    args += [
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(workdir),
    ]
    if password:
        args += ["--requirepass", password]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on port {port}") from None
                time.sleep(0.05)
        auth = f":{password}@" if password else ""
        yield f"{'rediss' if tls else 'redis'}://{auth}127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
