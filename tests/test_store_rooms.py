"""The seminar store, against SQLite and against a real PostgreSQL: rooms, keys, answers that are never lost
or doubled, a crash in the middle of a burst, and a database that refuses to write.

PostgreSQL runs when ``DASHBOARD_TEST_POSTGRES`` holds its URL (``.ci/run`` starts one on loopback and sets
it); without it those cases skip, unless ``DASHBOARD_REQUIRE_POSTGRES=1``, when they fail.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from conftest import DASHBOARD
from store import rooms as store
from store.rooms import NotSaved, RoomClosed, RoomNotFound, Rooms, TooFast, WrongKey, make_engine, new_participant

POSTGRES = os.environ.get("DASHBOARD_TEST_POSTGRES")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
    if not POSTGRES:
        if os.environ.get("DASHBOARD_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required here: set DASHBOARD_TEST_POSTGRES")
        pytest.skip("no PostgreSQL: set DASHBOARD_TEST_POSTGRES to run these cases against one")
    engine = make_engine(POSTGRES)
    store.metadata.drop_all(engine)  # a clean database for each test
    engine.dispose()
    return POSTGRES


@pytest.fixture
def rooms(url):
    made = Rooms(make_engine(url))
    yield made
    made.engine.dispose()


@pytest.fixture(autouse=True)
def no_wait(monkeypatch):
    monkeypatch.setattr(store, "MIN_SECONDS_BETWEEN_SUBMISSIONS", 0.0)


def test_a_room_opens_with_a_short_code_and_a_key_that_alone_opens_it(rooms):
    code, key = rooms.open_room('{"weights": {}}')
    assert len(code) == 6 and set(code) <= set(store.CODE_ALPHABET)
    assert len(key) >= 20
    rooms.check_key(code, key)
    for wrong in ("", key[:-1], key + "x", "x" * len(key)):
        with pytest.raises(WrongKey):
            rooms.check_key(code, wrong)
    with pytest.raises(WrongKey):
        rooms.reveal(code, "nope")
    with pytest.raises(WrongKey):
        rooms.answers(code, "nope")
    with pytest.raises(RoomNotFound):
        rooms.room("ZZZZZZ")
    # The key itself is never stored, only its hash.
    with rooms.engine.connect() as c:
        stored = c.execute(text("SELECT key_hash FROM rooms")).scalar()
    assert key not in stored and len(stored) == 64


def test_a_resubmission_replaces_the_answer_of_the_round_and_a_new_round_keeps_both(rooms):
    code, key = rooms.open_room("{}")
    me = new_participant()
    rooms.join(code, me, "Ana")
    rooms.join(code, me, "Ana again")  # a reconnect joins once
    assert rooms.submit(code, me, '{"n": 1}') == 1
    assert rooms.submit(code, me, '{"n": 2}') == 1
    assert [a.scenario for a in rooms.answers(code, key)] == ['{"n": 2}']
    assert rooms.new_round(code, key) == 2
    rooms.submit(code, me, '{"n": 3}')
    assert [(a.round, a.scenario) for a in rooms.answers(code, key)] == [(1, '{"n": 2}'), (2, '{"n": 3}')]
    assert rooms.counts(code) == (1, 1)


def test_a_double_tap_saves_once_and_says_so(rooms, monkeypatch):
    monkeypatch.setattr(store, "MIN_SECONDS_BETWEEN_SUBMISSIONS", 5.0)
    code, key = rooms.open_room("{}")
    me = new_participant()
    rooms.join(code, me, None)
    rooms.submit(code, me, '{"n": 1}')
    with pytest.raises(TooFast, match="Already saved"):
        rooms.submit(code, me, '{"n": 1}')
    assert len(rooms.answers(code, key)) == 1


def test_closed_rooms_take_no_answers_and_only_the_key_clears_them(rooms):
    code, key = rooms.open_room("{}")
    me = new_participant()
    rooms.join(code, me, None)
    rooms.submit(code, me, "{}")
    with pytest.raises(RoomNotFound, match="Join the room"):
        rooms.submit(code, new_participant(), "{}")  # never joined
    rooms.close(code, key)
    with pytest.raises(RoomClosed):
        rooms.submit(code, me, "{}")
    with pytest.raises(RoomClosed):
        rooms.join(code, new_participant(), None)
    with pytest.raises(WrongKey):
        rooms.clear(code, "guess")
    rooms.clear(code, key)
    assert rooms.answers(code, key) == [] and rooms.counts(code) == (0, 0)


def test_forty_writers_over_ten_rounds_leave_exactly_four_hundred_answers(rooms):
    code, key = rooms.open_room("{}")
    people = [new_participant() for _ in range(40)]
    for person in people:
        rooms.join(code, person, None)
    confirmed: list[tuple[int, str]] = []
    lock = threading.Lock()

    def answer(person: str, round_: int) -> None:
        for tap in range(2):  # each answers twice a round (a change of mind, or a double tap)
            saved = rooms.submit(code, person, json.dumps({"who": person, "round": round_, "tap": tap}))
            with lock:
                confirmed.append((saved, person))

    with ThreadPoolExecutor(max_workers=40) as pool:
        for round_ in range(1, 11):
            list(pool.map(lambda p, r=round_: answer(p, r), people))
            if round_ < 10:
                rooms.new_round(code, key)
    rows = rooms.answers(code, key)
    assert len(rows) == 400
    assert len({(a.round, a.participant) for a in rows}) == 400
    assert all(json.loads(a.scenario)["tap"] == 1 for a in rows)  # the later answer of each round won
    assert len(confirmed) == 800 and rooms.integrity_ok()


def test_a_database_that_refuses_to_write_gives_not_saved_and_keeps_nothing_half_done(tmp_path):
    path = tmp_path / "rooms.sqlite3"
    writer = Rooms(make_engine(f"sqlite:///{path}"))
    code, _key = writer.open_room("{}")
    me = new_participant()
    writer.join(code, me, None)
    writer.engine.dispose()
    read_only = Rooms(make_engine(f"sqlite:///file:{path}?mode=ro&uri=true"))
    with pytest.raises(NotSaved, match=r"Not saved.*Try again"):
        read_only.submit(code, me, "{}")
    # A full disk: the database may not grow past its current pages.
    full = Rooms(make_engine(f"sqlite:///{path}"))
    with full.engine.begin() as c:
        pages = c.exec_driver_sql("PRAGMA page_count").scalar()

    from sqlalchemy import event

    @event.listens_for(full.engine, "connect")
    def _cap(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    full.engine.dispose()
    with pytest.raises(NotSaved, match="Not saved"):
        full.submit(code, me, json.dumps({"pad": "x" * 60_000}))
    assert full.counts(code) == (1, 0)


def test_a_crash_in_a_burst_loses_no_confirmed_answer_and_leaves_an_intact_database(tmp_path):
    path = tmp_path / "rooms.sqlite3"
    rooms = Rooms(make_engine(f"sqlite:///{path}"))
    code, key = rooms.open_room("{}")
    rooms.engine.dispose()
    # A writer process prints each answer's number only after submit() returned (after the commit),
    # and is killed with SIGKILL in the middle of its burst.
    script = f"""
import sys
sys.path.insert(0, {str(DASHBOARD)!r})
from store import rooms as store
from store.rooms import Rooms, make_engine, new_participant
store.MIN_SECONDS_BETWEEN_SUBMISSIONS = 0.0
rooms = Rooms(make_engine({f"sqlite:///{path}"!r}))
people = [new_participant() for _ in range(50)]
for p in people:
    rooms.join({code!r}, p, None)
k = 0
while True:
    person = people[k % 50]
    rooms.submit({code!r}, person, '{{"k": %d}}' % k)
    print(person, k, flush=True)
    k += 1
"""
    writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    confirmed: dict[str, int] = {}
    deadline = time.time() + 60
    while time.time() < deadline:
        line = writer.stdout.readline()
        if not line:
            break
        person, k = line.split()
        confirmed[person] = int(k)
        if int(k) >= 300:  # six answers each, then the plug is pulled mid-burst
            break
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    for line in writer.stdout:  # answers confirmed before the kill landed
        person, k = line.split()
        confirmed[person] = int(k)
    after = Rooms(make_engine(f"sqlite:///{path}"))
    assert after.integrity_ok() and len(confirmed) == 50
    saved = {a.participant: json.loads(a.scenario)["k"] for a in after.answers(code, key)}
    for person, k in confirmed.items():
        assert saved[person] >= k, (person, k, saved.get(person))  # the confirmed answer, or a later one


def test_one_participant_answering_from_twenty_tabs_at_once_holds_one_answer_and_sees_no_error(rooms):
    code, key = rooms.open_room("{}")
    me = new_participant()
    barrier = threading.Barrier(20)

    def join_and_answer(n: int):
        barrier.wait()
        rooms.join(code, me, None)  # every tab joins at the same instant: one participant
        try:
            return rooms.submit(code, me, json.dumps({"tab": n}))
        except TooFast:
            return "too fast"  # another tab's answer was saved

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(join_and_answer, range(20)))
    assert set(outcomes) <= {1, "too fast"} and 1 in outcomes
    assert len(rooms.answers(code, key)) == 1 and rooms.counts(code) == (1, 1)
