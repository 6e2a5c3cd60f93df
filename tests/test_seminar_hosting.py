"""A seminar hosted as ``deploy/`` hosts it, proven on loopback: two app processes sharing one PostgreSQL behind
Debian's HAProxy running ``deploy/haproxy.cfg`` (``benchmarks/balancer.py``), 200 phones speaking Streamlit's own
protocol (the client of ``benchmarks/load.py``, which plays the seminar memory's script on each phone's own
localStorage and carries its cookies), and one process killed (SIGKILL) in the middle of the round.

Speed is reported by ``benchmarks/room_load.py --through`` (the same run); here only what must hold is asserted.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
pytestmark = pytest.mark.slow  # real servers (no browser): run with -m slow or the whole suite
POSTGRES = os.environ.get("DASHBOARD_TEST_POSTGRES")
PHONES = 200


def _need(what: str, present: bool) -> None:
    if present:
        return
    if os.environ.get("DASHBOARD_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{what} is required here (.ci/run provides it)")
    pytest.skip(f"no {what}: set DASHBOARD_TEST_POSTGRES to a PostgreSQL URL and install haproxy")


@pytest.fixture
def postgres() -> str:
    _need("PostgreSQL (DASHBOARD_TEST_POSTGRES)", bool(POSTGRES))
    _need("HAProxy", bool(shutil.which("haproxy") or os.path.exists("/usr/sbin/haproxy")))
    pytest.importorskip("websockets")
    return POSTGRES


def test_moving_a_weight_on_a_phone_costs_one_run(tmp_path):
    """The phone's memory of its room (its token and weights, in localStorage) is written on every move; the
    script must not answer each write with a report of its own (which made the server run the page twice)."""
    pytest.importorskip("websockets")
    from sqlalchemy import select

    from load import BrowserSession, Server
    from room_load import room_apps, token_of
    from store.rooms import Rooms, make_engine, rooms_table

    url = f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
    join, room = room_apps()
    with Server(join, env={"DATABASE_URL": url}) as server:

        async def phone() -> tuple[int, int, str | None, str]:
            facilitator = BrowserSession(server.port, room)
            await facilitator.connect()
            await facilitator.load_page()
            await facilitator.click("room_open")
            with Rooms(make_engine(url)).engine.connect() as c:
                code = c.execute(select(rooms_table.c.code)).scalar_one()
            s = BrowserSession(server.port, join)
            s.query_string = f"room={code}"
            await s.connect()
            await s.load_page()
            await s.click("join_button")
            before, rng = s._runs, random.Random(3)
            for _ in range(6):
                await s.rerun(s.move(rng))
            runs = s._runs - before
            await s.close()
            await facilitator.close()
            return runs, 6, token_of(s, code), s.storage.get("participant", "")

        runs, moves, token, storage = asyncio.run(phone())
    assert runs == moves
    assert token and token in storage  # the memory was written all the same


def test_two_hundred_phones_through_the_balancer_survive_a_killed_process(postgres):
    from room_load import room_load

    figures = room_load(PHONES, seconds=40, through=postgres, kill_after=25)
    # Every phone joined through the balancer, each as its own client although every one wrote the same
    # X-Forwarded-For of its own (HAProxy's entry counts, not the phone's: 20 joins a minute per client).
    assert figures[f"room{PHONES}_failed_sessions"] == 0
    assert figures[f"room{PHONES}_participants_in_store"] == PHONES
    assert figures[f"room{PHONES}_distinct_clients"] == PHONES
    confirmed = figures[f"room{PHONES}_confirmed_participants"]
    assert confirmed > 0
    assert figures[f"room{PHONES}_facilitator_answers"] >= confirmed  # the facilitator counts every one
    # About half the phones were on the killed process; each came back through the balancer to the other one,
    # as the same participant, with its answer.
    assert 0.25 * PHONES <= figures["failover_dropped_sessions"] <= 0.75 * PHONES
    assert figures["failover_identities_changed"] == 0
    assert figures["failover_recovery_s"] is not None
    assert figures["failover_lost"] == 0
    assert figures["failover_duplicated"] == 0
