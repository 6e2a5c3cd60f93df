"""Pull the plug on the real server in the middle of a room's burst of answers (SIGKILL, no shutdown): the
database must be intact and hold every answer a phone was told was saved, as it was saved.

Participants speak Streamlit's own protocol over websockets (the client of ``benchmarks/load.py``); an
answer counts as confirmed only when the server's run that answered the click showed "Saved".
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sys
import time

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
pytestmark = pytest.mark.slow  # a real server (no browser): run with -m slow or the whole suite


def test_a_killed_server_loses_no_confirmed_answer(tmp_path, monkeypatch):
    pytest.importorskip("websockets")
    from sqlalchemy import select
    from websockets.exceptions import ConnectionClosed

    from load import BrowserSession, ProtocolError, Server
    from room_load import answer_weights, phone_address, room_apps
    from store.rooms import Rooms, make_engine, rooms_table, submissions_table

    url = f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_TRUSTED_PROXIES", "127.0.0.1")  # each phone its own client, as on a room's Wi-Fi
    join, room = room_apps()
    confirmed: dict[int, tuple[float, ...]] = {}
    pending: dict[int, list[tuple[float, ...]]] = {}  # sent after the last confirmation; may have been saved
    with Server(join) as server:

        async def burst() -> None:
            facilitator = BrowserSession(server.port, room)
            await facilitator.connect()
            await facilitator.load_page()
            await facilitator.click("room_open")
            with Rooms(make_engine(url)).engine.connect() as c:
                code = c.execute(select(rooms_table.c.code)).scalar_one()

            async def participant(i: int) -> None:
                rng = random.Random(i)
                s = BrowserSession(server.port, join)
                s.query_string = f"room={code}"
                s.forwarded_for = phone_address(i)
                try:
                    await s.connect()
                    await s.load_page()
                    await s.click("join_button")
                    while True:
                        await s.rerun(s.move(rng))
                        weights = answer_weights(s)
                        pending.setdefault(i, []).append(weights)
                        await s.click("answer_submit")
                        if any("Saved for round" in body for _f, body in s.alerts):
                            confirmed[i], pending[i] = weights, []
                        await asyncio.sleep(1.05)  # the store takes one answer a second from each
                except (ProtocolError, OSError, ConnectionClosed):
                    return  # the server is gone

            async def killer() -> None:
                while len(confirmed) < 20:
                    await asyncio.sleep(0.05)
                await asyncio.sleep(random.Random(7).uniform(0.5, 1.5))  # mid-burst
                os.kill(server.proc.pid, signal.SIGKILL)

            await asyncio.wait_for(asyncio.gather(killer(), *(participant(i) for i in range(20))), 90)

        start = time.perf_counter()
        asyncio.run(burst())
        assert server.proc.wait(10) == -signal.SIGKILL and time.perf_counter() - start < 90
    store = Rooms(make_engine(url))
    assert store.integrity_ok()
    with store.engine.connect() as c:
        rows = c.execute(select(submissions_table.c.scenario)).scalars().all()
    saved = [tuple(float(w) for w in json.loads(r)["weights"].values()) for r in rows]
    assert len(confirmed) == 20 and len(saved) == 20
    for i, weights in confirmed.items():
        # The last answer the phone saw confirmed, or one it sent later whose reply the kill cut off.
        assert weights in saved or any(w in saved for w in pending[i]), i
