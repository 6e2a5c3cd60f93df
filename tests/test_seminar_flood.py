"""A student's script floods a room with fake participants from one address, over Streamlit's own protocol (the
client of ``benchmarks/load.py``), against the real server with its documented limits: only as many join as
the per-address limit allows in a minute, each of the rest is told why, and a real student on another
address still joins."""

from __future__ import annotations

import asyncio
import sys

import pytest

from conftest import ROOT
from strategies import EVIDENCE

sys.path.insert(0, str(ROOT / "benchmarks"))
pytestmark = pytest.mark.slow  # a real server (no browser): run with -m slow or the whole suite
FAKES = 30


def test_a_flood_of_joins_from_one_address_is_held_to_the_documented_rate(tmp_path, monkeypatch):
    pytest.importorskip("websockets")
    from core.scenario import default_scenario
    from core.scenario_io import to_json
    from load import BrowserSession, ProtocolError, Server
    from room_load import room_apps
    from store.rooms import Limits, Rooms, make_engine

    url = f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_TRUSTED_PROXIES", "127.0.0.1")
    for name in ("SEMINAR_JOINS_PER_CLIENT_PER_MINUTE",):
        monkeypatch.delenv(name, raising=False)  # the documented default
    limit = Limits().joins_per_client_per_minute
    start = to_json(default_scenario(EVIDENCE), EVIDENCE)
    code = Rooms(make_engine(url)).open_room(start, "192.0.2.1").code
    join, _room = room_apps()
    outcomes: list[str] = []
    with Server(join) as server:

        async def fake(address: str) -> None:
            s = BrowserSession(server.port, join)
            s.query_string = f"room={code}"
            s.forwarded_for = address
            try:
                await s.connect()
                await s.load_page()
                await s.click("join_button")
                bodies = " ".join(body for _fmt, body in s.alerts)
                outcomes.append("joined" if "answer_submit" in s.buttons else bodies)
            except (ProtocolError, OSError) as err:
                outcomes.append(f"failed: {err}")
            finally:
                await s.close()

        async def flood() -> None:
            await asyncio.gather(*(fake("203.0.113.66") for _ in range(FAKES)))  # six at a time is no different
            await fake("198.51.100.20")  # a real student, on another address

        asyncio.run(flood())
    joined = outcomes.count("joined")
    refused = [o for o in outcomes if o != "joined"]
    assert joined == limit + 1, outcomes  # the limit from the flooding address, and the real student
    assert len(refused) == FAKES - limit
    assert all("joined from your network in the last minute" in o for o in refused), refused
    assert Rooms(make_engine(url)).counts(code) == (limit + 1, 0)
