"""The container and the balancer, checked as files (this machine has no container daemon to run them): the
Dockerfile passes hadolint and keeps to what the app needs, HAProxy accepts its configuration, and the compose
file keeps every secret in the environment and sets the public address once."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "deploy" / "compose.yaml"
HAPROXY = ROOT / "deploy" / "haproxy.cfg"


def _tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None)
    if found is None:
        if os.environ.get("DASHBOARD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{name} is needed to check the deployment files, and it is missing")
        pytest.skip(f"no {name}")
    return found


def test_the_dockerfile_passes_hadolint():
    result = subprocess.run([_tool("hadolint"), str(DOCKERFILE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_as_a_user_checks_its_health_and_keeps_the_store_on_a_volume():
    text = DOCKERFILE.read_text()
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*_stcore/health", text, re.MULTILINE | re.DOTALL)
    assert re.search(r'^VOLUME \["/app/var"\]', text, re.MULTILINE)  # store/schema.py's SQLite file lives in var/
    assert re.search(r"^FROM python:3\.\d+-slim", text, re.MULTILINE)
    copied = re.findall(r"^COPY (?:--chown=\S+ )?(\S+)", text, re.MULTILINE)
    assert set(copied) == {"requirements.txt", ".streamlit/", "dashboard/", "data/"}  # no tests, no .git


def test_haproxy_accepts_the_balancers_configuration():
    result = subprocess.run([_tool("haproxy"), "-c", "-f", str(HAPROXY)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    text = HAPROXY.read_text()
    assert re.search(r"^\s*cookie \S+ insert .*dynamic", text, re.MULTILINE)  # one browser, one replica
    assert re.search(r"^\s*timeout tunnel\s+\d+h", text, re.MULTILINE)  # an open websocket lasts a seminar
    assert "option httpchk GET /_stcore/health" in text


def test_the_compose_file_keeps_secrets_in_the_environment_and_sets_the_address_once():
    text = COMPOSE.read_text()
    spec = yaml.safe_load(text)
    services = spec["services"]
    assert {"db", "app", "lb"} <= set(services)
    app = services["app"]["environment"]
    # Every secret is a required variable from the environment, never a value written here.
    for where, key in (("db", "POSTGRES_PASSWORD"), ("app", "STREAMLIT_SERVER_COOKIE_SECRET")):
        value = services[where]["environment"][key]
        assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", value), (where, key, value)
    assert re.search(r"postgresql://dashboard:\$\{POSTGRES_PASSWORD:\?[^}]+\}@db:5432/", app["DATABASE_URL"])
    holders = [name for name, service in services.items() if "DASHBOARD_PUBLIC_URL" in service.get("environment", {})]
    assert holders == ["app"] and app["DASHBOARD_PUBLIC_URL"].startswith("${DASHBOARD_PUBLIC_URL:?")
    # Only the balancer's forwarding header is believed, and the balancer has that address.
    assert app["DASHBOARD_TRUSTED_PROXIES"] == services["lb"]["networks"]["front"]["ipv4_address"]
    assert services["app"]["deploy"]["replicas"] >= 2
    assert services["app"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in services["lb"]["volumes"]
