"""Where links, QR codes and files send people: the public address when one is set, else the address the server
listens on (never the one a browser claims), and a plain notice with the server's own port when only this
computer can reach it."""

from __future__ import annotations

import pytest
from streamlit import config

from ui import links


@pytest.fixture
def serving(monkeypatch):
    """Set the server's address and port as ``streamlit run --server.address A --server.port P`` would."""
    saved = {name: config.get_option(name) for name in ("server.address", "server.port", "server.baseUrlPath")}

    def serve(address: str | None, port: int, base: str = "") -> None:
        config.set_option("server.address", address)
        config.set_option("server.port", port)
        config.set_option("server.baseUrlPath", base)

    monkeypatch.delenv(links.PUBLIC_URL_VARIABLE, raising=False)
    yield serve
    for name, value in saved.items():
        config.set_option(name, value)


def test_a_server_on_loopback_links_to_itself_and_says_phones_cannot_reach_it(serving):
    serving("127.0.0.1", 8765)
    where = links.origin()
    assert where.url == "http://127.0.0.1:8765/" and not where.reachable and where.port == 8765


def test_a_server_on_every_interface_links_to_its_network_address(serving, monkeypatch):
    monkeypatch.setattr(links, "network_address", lambda: "192.0.2.10")
    for bind in (None, "", "0.0.0.0"):
        serving(bind, 9001, "seminar")
        where = links.origin()
        assert where.url == "http://192.0.2.10:9001/seminar/" and where.reachable
    monkeypatch.setattr(links, "network_address", lambda: None)  # no network: loopback, and said so
    assert not links.origin().reachable


def test_the_public_address_wins_and_a_bad_one_is_named(serving, monkeypatch):
    serving("127.0.0.1", 8765)
    monkeypatch.setenv(links.PUBLIC_URL_VARIABLE, "https://seminar.example.edu/fentanyl")
    assert links.origin().url == "https://seminar.example.edu/fentanyl/" and links.origin().reachable
    monkeypatch.setenv(links.PUBLIC_URL_VARIABLE, "javascript:alert(1)")
    where = links.origin()
    assert where.bad_public == "javascript:alert(1)" and where.url == "http://127.0.0.1:8765/"


def test_the_loopback_notice_advises_the_servers_own_port_whatever_a_browser_claims(tmp_path, monkeypatch):
    """A page opened as http://localhost:8501 of a server on 127.0.0.1:8765: the notice names 8765, and the
    room's join link is the server's, not the address the browser claimed."""
    from app_kit import launch
    from store import rooms as store
    from ui import seminar

    monkeypatch.setenv(store.DATABASE_VARIABLE, f"sqlite:///{tmp_path / 'rooms.sqlite3'}")
    seminar.forget_stores()
    saved = config.get_option("server.port"), config.get_option("server.address")
    config.set_option("server.port", 8765)
    config.set_option("server.address", "127.0.0.1")
    try:
        at = launch("app_pages/room.py")
        next(b for b in at.button if b.key == "room_open").click().run()
        notice = " ".join(i.value for i in at.info)
        assert "--server.port 8765" in notice and "8501" not in notice
        assert "0.0.0.0" in notice
    finally:
        config.set_option("server.port", saved[0])
        config.set_option("server.address", saved[1])
        seminar.forget_stores()
