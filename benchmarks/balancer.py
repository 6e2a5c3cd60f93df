"""The seminar's topology on loopback, without containers: app processes sharing one database behind HAProxy.

The balancer's configuration is ``deploy/haproxy.cfg`` itself (the one the compose file mounts), with only what
names the machines changed: it listens on a loopback port instead of :80, and its servers are the app processes'
loopback ports instead of Docker's DNS names. Stickiness, health checks, redispatch, websocket timeouts and
``option forwardfor`` are the shipped ones, so what is proven here is what is deployed.

A fresh PostgreSQL database is made for each run from an administrator's URL and dropped afterwards.
"""

from __future__ import annotations

import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from load import ROOT, AppSpec, Server, free_port

CONFIG = ROOT / "deploy" / "haproxy.cfg"
PROXY = "127.0.0.1"  # where HAProxy's connections to the app processes come from: the app's only trusted proxy


def loopback_config(port: int, servers: list[int]) -> str:
    """``deploy/haproxy.cfg`` listening on ``127.0.0.1:port`` in front of the app processes on ``servers``."""
    text = CONFIG.read_text(encoding="utf-8")
    steps = [
        (r"(?ms)^resolvers docker\n.*?\n\n", ""),  # Docker's DNS: the servers are named below instead
        (r"(?m)^(\s*bind )\S+", rf"\g<1>127.0.0.1:{port}"),
        (
            r"(?m)^(\s*)server-template \S+ \S+ \S+ (check[^\n]*?) resolvers docker init-addr none$",
            lambda m: "\n".join(f"{m[1]}server app{i + 1} 127.0.0.1:{p} {m[2]}" for i, p in enumerate(servers)),
        ),
    ]
    for pattern, replacement in steps:
        text, n = re.subn(pattern, replacement, text)
        if n != 1:
            raise SystemExit(f"deploy/haproxy.cfg has changed: the pattern {pattern!r} matched {n} times, not once.")
    return text


def haproxy() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if not found:
        raise SystemExit("HAProxy is not installed: apt-get install haproxy (the loopback seminar needs it).")
    return found


class Balancer:
    """HAProxy in the foreground on a free loopback port, from :func:`loopback_config`."""

    def __init__(self, servers: list[int], port: int | None = None):
        self.port = port or free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="balancer-"))
        self.config = self.folder / "haproxy.cfg"
        self.config.write_text(loopback_config(self.port, servers), encoding="utf-8")
        self.log = self.folder / "haproxy.log"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Balancer:
        checked = subprocess.run([haproxy(), "-c", "-f", str(self.config)], capture_output=True, text=True)
        if checked.returncode != 0:
            raise SystemExit(f"HAProxy refused the loopback configuration:\n{checked.stdout}{checked.stderr}")
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen([haproxy(), "-db", "-f", str(self.config)], stdout=log, stderr=log)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("HAProxy exited:\n" + self.log.read_text(errors="replace"))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise SystemExit("HAProxy did not listen within 10 s:\n" + self.log.read_text(errors="replace"))

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


class FreshDatabase:
    """A new PostgreSQL database on the server ``admin_url`` names, dropped (connections and all) on exit."""

    def __init__(self, admin_url: str):
        from sqlalchemy.engine import make_url

        self.admin = make_url(admin_url)
        if not self.admin.drivername.startswith("postgresql"):
            raise SystemExit(f"--through needs a PostgreSQL URL (postgresql+psycopg://...), not {self.admin!r}.")
        self.name = f"room_load_{secrets.token_hex(4)}"
        self.url = self.admin.set(database=self.name).render_as_string(hide_password=False)

    def _admin(self, sql: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.admin, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as c:
                c.execute(text(sql))
        finally:
            engine.dispose()

    def __enter__(self) -> FreshDatabase:
        self._admin(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Seminar(ExitStack):
    """``replicas`` app processes on one fresh PostgreSQL database behind HAProxy, as ``deploy/compose.yaml``
    starts them: the same cookie secret on each, HAProxy their only trusted proxy, the public address set once."""

    def __init__(self, app: AppSpec, admin_url: str, replicas: int = 2, env: dict[str, str] | None = None):
        super().__init__()
        self.app, self.admin_url, self.replicas, self.extra = app, admin_url, replicas, env or {}
        self.servers: list[Server] = []
        self.database: FreshDatabase | None = None
        self.balancer: Balancer | None = None

    def __enter__(self) -> Seminar:
        super().__enter__()
        try:
            self.database = self.enter_context(FreshDatabase(self.admin_url))
            secret = secrets.token_urlsafe(32)
            ports = [free_port() for _ in range(self.replicas)]
            lb_port = free_port()
            env = {
                "DATABASE_URL": self.database.url,
                "DASHBOARD_TRUSTED_PROXIES": PROXY,
                "STREAMLIT_SERVER_COOKIE_SECRET": secret,
                "DASHBOARD_PUBLIC_URL": f"http://127.0.0.1:{lb_port}/",
                **self.extra,
            }
            self.servers = [self.enter_context(Server(self.app, env=env, port=port)) for port in ports]
            self.balancer = self.enter_context(Balancer(ports, port=lb_port))
        except BaseException:
            self.close()
            raise
        return self

    @property
    def port(self) -> int:
        return self.balancer.port
