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
from store.rooms import (
    Limits,
    NotSaved,
    Removed,
    RoomClosed,
    RoomNotFound,
    Rooms,
    TooFast,
    TooLarge,
    TooMany,
    WrongKey,
    make_engine,
    new_participant,
)

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


def _open(rooms, scenario="{}"):
    opened = rooms.open_room(scenario, "192.0.2.1")
    return opened.code, opened.token


def test_a_room_opens_with_a_short_code_and_a_key_that_alone_claims_its_controls(rooms):
    opened = rooms.open_room('{"weights": {}}', "192.0.2.1")
    code, key = opened.code, opened.key
    assert len(code) == 6 and set(code) <= set(store.CODE_ALPHABET)
    assert len(key) >= 20 and opened.token != key
    rooms.facilitator(code, opened.token)  # the device that opened it holds the controls
    other = rooms.claim(code, key, "198.51.100.7")  # another device, with the key
    rooms.reveal(code, other)
    for wrong in ("", key[:-1], key + "x", "x" * len(key)):
        with pytest.raises(WrongKey):
            rooms.claim(code, wrong, "198.51.100.8")
    for action in (lambda t: rooms.reveal(code, t), lambda t: rooms.answers(code, t), lambda t: rooms.clear(code, t)):
        for not_a_token in ("nope", key, ""):  # the key itself is no token: it only claims one
            with pytest.raises(WrongKey):
                action(not_a_token)
    with pytest.raises(RoomNotFound):
        rooms.room("ZZZZZZ")
    # Neither the key nor a token is stored, only their hashes.
    with rooms.engine.connect() as c:
        stored = c.execute(text("SELECT key_hash FROM rooms")).scalar()
        tokens = c.execute(text("SELECT token_hash FROM facilitator_tokens")).scalars().all()
    assert key not in stored and len(stored) == 64
    assert opened.token not in tokens and other not in tokens and len(tokens) == 2


def test_a_resubmission_replaces_the_answer_of_the_round_and_a_new_round_keeps_both(rooms):
    code, key = _open(rooms)
    me = new_participant()
    rooms.join(code, me, "Ana")
    again = rooms.join(code, me, "Ana again")  # a reconnect joins once
    assert again.resumed and again.number == 1
    assert rooms.submit(code, me, '{"n": 1}') == 1
    assert rooms.submit(code, me, '{"n": 2}') == 1
    assert [a.scenario for a in rooms.answers(code, key)] == ['{"n": 2}']
    assert rooms.new_round(code, key) == 2
    rooms.submit(code, me, '{"n": 3}')
    assert [(a.round, a.scenario) for a in rooms.answers(code, key)] == [(1, '{"n": 2}'), (2, '{"n": 3}')]
    assert rooms.counts(code) == (1, 1)


def test_a_double_tap_saves_once_and_says_so(rooms, monkeypatch):
    monkeypatch.setattr(store, "MIN_SECONDS_BETWEEN_SUBMISSIONS", 5.0)
    code, key = _open(rooms)
    me = new_participant()
    rooms.join(code, me, None)
    rooms.submit(code, me, '{"n": 1}')
    with pytest.raises(TooFast, match="Already saved"):
        rooms.submit(code, me, '{"n": 1}')
    assert len(rooms.answers(code, key)) == 1


def test_closed_rooms_take_no_answers_and_only_the_key_clears_them(rooms):
    code, key = _open(rooms)
    me = new_participant()
    rooms.join(code, me, None)
    rooms.submit(code, me, "{}")
    with pytest.raises(RoomNotFound, match="Join again"):
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


@pytest.mark.slow  # many writers at once
def test_forty_writers_over_ten_rounds_leave_exactly_four_hundred_answers(rooms):
    code, key = _open(rooms)
    people = [new_participant() for _ in range(40)]
    for k, person in enumerate(people):
        rooms.join(code, person, None, f"10.0.0.{k}")
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
    code, _key = _open(writer)
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


@pytest.mark.slow  # a writer process killed mid-burst
def test_a_crash_in_a_burst_loses_no_confirmed_answer_and_leaves_an_intact_database(tmp_path):
    path = tmp_path / "rooms.sqlite3"
    rooms = Rooms(make_engine(f"sqlite:///{path}"))
    code, key = _open(rooms)
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
for k, p in enumerate(people):
    rooms.join({code!r}, p, None, "10.0.1.%d" % k)
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
        person = store.secret_hash(person)  # the store knows a participant by the hash of their token
        assert saved[person] >= k, (person, k, saved.get(person))  # the confirmed answer, or a later one


def test_one_participant_answering_from_twenty_tabs_at_once_holds_one_answer_and_sees_no_error(rooms):
    code, key = _open(rooms)
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


class Clock:
    """A clock the test moves by hand, for the limits' windows and the rooms' expiry."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clocked(url):
    clock = Clock()
    made = Rooms(make_engine(url), Limits(), clock)
    yield made, clock
    made.engine.dispose()


def test_sixty_people_joining_at_once_through_two_processes_all_get_in_with_their_own_numbers(url):
    """A lecture arriving at once, spread by a balancer over two app processes on one database: nobody is told
    to try again, and the numbers the facilitator calls people by are 1..60, none twice."""
    processes = [Rooms(make_engine(url)), Rooms(make_engine(url))]
    code, token = _open(processes[0])
    start = threading.Barrier(60)

    def arrive(k: int) -> int:
        start.wait()
        return processes[k % 2].join(code, new_participant(), None, f"10.1.{k // 250}.{k % 250 + 1}").number

    with ThreadPoolExecutor(max_workers=60) as pool:
        numbers = list(pool.map(arrive, range(60)))
    assert sorted(numbers) == list(range(1, 61))
    assert processes[1].counts(code) == (60, 0)
    assert [p.number for p in processes[0].people(code, token)] == list(range(1, 61))


def test_a_phone_is_one_participant_across_reloads_tabs_and_app_processes(url):
    first, second = Rooms(make_engine(url)), Rooms(make_engine(url))  # two app processes, one database
    code, token = _open(first)
    phone = new_participant()
    joined = first.join(code, phone, "Ana", "10.0.0.5")
    assert (joined.number, joined.resumed, joined.last_answer) == (1, False, None)
    first.submit(code, phone, '{"n": 1}')
    for rooms in (first, second, second):  # a reload, a second tab, a move to the other process
        again = rooms.join(code, phone, None, "10.0.0.5")
        assert again.resumed and again.number == 1 and again.last_answer == (1, '{"n": 1}')
        assert rooms.status(code, phone) == "member"
    second.join(code, new_participant(), None, "10.0.0.6")
    assert first.counts(code) == (2, 1) and [p.number for p in second.people(code, token)] == [1, 2]
    # Another phone cannot be Ana without her token: a guess is a new participant, never her.
    assert first.join(code, "guess" * 8, None, "10.0.0.7").number == 3 and first.counts(code) == (3, 1)


def test_new_people_from_one_address_are_limited_per_minute_and_others_are_not(clocked):
    rooms, clock = clocked
    code, _token = _open(rooms)
    limit = rooms.limits.joins_per_client_per_minute
    for _ in range(limit):
        rooms.join(code, new_participant(), None, "203.0.113.9")
    with pytest.raises(TooMany, match=f"the most we allow \\({limit}\\)"):
        rooms.join(code, new_participant(), None, "203.0.113.9")
    rooms.join(code, new_participant(), None, "198.51.100.1")  # a student on another address is not held up
    back = rooms.join(code, _first_token(rooms, code), None, "203.0.113.9")  # rejoining is never limited
    assert back.resumed
    clock.now += 61
    rooms.join(code, new_participant(), None, "203.0.113.9")  # a minute later, the next one may join
    assert rooms.counts(code)[0] == limit + 3  # the limit, two from other addresses, one a minute later


def _first_token(rooms, code):
    """A token that is already in the room: join one from another address and return it."""
    token = new_participant()
    rooms.join(code, token, None, "192.0.2.200")
    return token


def test_wrong_room_codes_are_limited_per_address_so_live_rooms_cannot_be_enumerated(clocked):
    rooms, clock = clocked
    code, _token = _open(rooms)
    for k in range(rooms.limits.wrong_codes_per_client):
        with pytest.raises(RoomNotFound):
            rooms.join(f"ZZZZZ{k}", new_participant(), None, "203.0.113.9")
    with pytest.raises(TooMany, match="wrong room codes"):
        rooms.join(code, new_participant(), None, "203.0.113.9")  # even a right one, until the window passes
    rooms.join(code, new_participant(), None, "198.51.100.1")
    clock.now += rooms.limits.window_minutes * 60 + 1
    rooms.join(code, new_participant(), None, "203.0.113.9")


def test_wrong_keys_are_limited_and_cannot_lock_the_facilitator_out(clocked):
    rooms, clock = clocked
    opened = rooms.open_room("{}", "192.0.2.1")
    code = opened.code
    for _ in range(rooms.limits.wrong_keys_per_client):
        with pytest.raises(WrongKey):
            rooms.claim(code, "guess", "203.0.113.9")
    with pytest.raises(TooMany, match="wrong keys from your network"):
        rooms.claim(code, opened.key, "203.0.113.9")  # this address is locked out, even with the right key
    # A flood from many addresses passes the room's own limit...
    for k in range(rooms.limits.wrong_keys_per_room):
        with pytest.raises((WrongKey, TooMany)):
            rooms.claim(code, "guess", f"198.51.100.{k}")
    with pytest.raises(TooMany, match="for this room"):
        rooms.claim(code, "guess", "198.51.100.0")  # an address that already guessed wrong here may not again
    # ...yet the facilitator's own device keeps its controls, and a new device of theirs still gets in.
    rooms.reveal(code, opened.token)
    phone = rooms.claim(code, opened.key, "192.0.2.50")
    rooms.reveal(code, phone, False)
    clock.now += rooms.limits.window_minutes * 60 + 1
    rooms.claim(code, opened.key, "203.0.113.9")  # the window passed


def test_rooms_are_bounded_in_size_number_and_lifetime(clocked):
    rooms, clock = clocked
    limit = rooms.limits.max_room_scenario_bytes
    with pytest.raises(TooLarge, match=f"the limit is {limit:,}"):
        rooms.open_room("x" * (limit + 1), "192.0.2.1")
    for _ in range(rooms.limits.rooms_per_client_per_hour):
        rooms.open_room("{}", "203.0.113.9")
    with pytest.raises(TooMany, match="in the last hour"):
        rooms.open_room("{}", "203.0.113.9")
    code, _token = _open(rooms)  # another address may
    me = new_participant()
    rooms.join(code, me, None, "10.0.0.1")
    rooms.submit(code, me, "{}")
    clock.now += rooms.limits.room_idle_hours * 3600 - 60
    rooms.room(code)  # still there a minute before it expires; activity would keep it
    clock.now += 120
    with pytest.raises(RoomNotFound):
        rooms.room(code)
    assert rooms.purge() >= 1
    with rooms.engine.connect() as c:
        left = {
            t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in ("rooms", "participants", "submissions")
        }
    assert left == {"rooms": 0, "participants": 0, "submissions": 0}


def test_a_room_full_of_strangers_has_a_limit_and_the_store_a_limit_of_rooms(url):
    rooms = Rooms(make_engine(url), Limits(max_participants=3, live_rooms=2, joins_per_client_per_minute=100))
    code, _token = _open(rooms)
    for _ in range(3):
        rooms.join(code, new_participant(), None, "10.0.0.1")
    with pytest.raises(TooMany, match=r"full \(3 people\)"):
        rooms.join(code, new_participant(), None, "10.0.0.1")
    _open(rooms)
    with pytest.raises(TooMany, match="as many rooms as it can"):
        _open(rooms)


def test_the_facilitator_removes_people_one_by_one_and_they_cannot_come_back(rooms):
    code, token = _open(rooms)
    phones = [new_participant() for _ in range(3)]
    for k, phone in enumerate(phones):
        rooms.join(code, phone, None, f"10.0.0.{k}")
        rooms.submit(code, phone, json.dumps({"k": k}))
    assert rooms.remove(code, token, [2]) == 1
    assert rooms.counts(code) == (2, 2) and [a.number for a in rooms.answers(code, token)] == [1, 3]
    assert rooms.status(code, phones[1]) == "removed"
    with pytest.raises(Removed):
        rooms.join(code, phones[1], None, "10.0.0.1")
    with pytest.raises(Removed):
        rooms.submit(code, phones[1], "{}")
    assert rooms.join(code, new_participant(), None, "10.0.0.9").number == 4  # numbers are never reused
    with pytest.raises(WrongKey):
        rooms.remove(code, "guess", [1])


def test_the_revealed_results_need_no_key_and_nothing_is_shown_before(rooms):
    code, token = _open(rooms)
    me = new_participant()
    rooms.join(code, me, None, "10.0.0.1")
    rooms.submit(code, me, '{"n": 1}')
    assert rooms.revealed(code) is None
    rooms.reveal(code, token)
    shown = rooms.revealed(code)
    assert [a.scenario for a in shown.answers] == ['{"n": 1}'] and shown.before == [] and len(shown.joins) == 1
    rooms.new_round(code, token)  # a new round hides the answers again
    assert rooms.revealed(code) is None


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "rooms.sqlite3"
    rooms = Rooms(make_engine(f"sqlite:///{path}"))
    code, _token = _open(rooms)
    rooms.join(code, new_participant(), "Ana", "10.0.0.1")
    for made in tmp_path.iterdir():  # the database and its journal files
        assert made.stat().st_mode & 0o077 == 0, (made.name, oct(made.stat().st_mode))


def test_a_store_made_by_the_first_release_gains_the_new_columns_and_keeps_its_rooms(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        """
        CREATE TABLE rooms (code VARCHAR(6) PRIMARY KEY, key_hash VARCHAR(64) NOT NULL, scenario TEXT NOT NULL,
            round INTEGER NOT NULL, revealed BOOLEAN NOT NULL, closed BOOLEAN NOT NULL, created_at FLOAT NOT NULL);
        CREATE TABLE participants (room_code VARCHAR(6) NOT NULL, participant VARCHAR(64) NOT NULL,
            name VARCHAR(40), joined_at FLOAT NOT NULL, PRIMARY KEY (room_code, participant));
        CREATE TABLE submissions (id INTEGER PRIMARY KEY, room_code VARCHAR(6) NOT NULL, round INTEGER NOT NULL,
            participant VARCHAR(64) NOT NULL, scenario TEXT NOT NULL, submitted_at FLOAT NOT NULL);
        """
    )
    now = time.time()
    old.execute("INSERT INTO rooms VALUES ('ABC234', 'x', '{}', 1, 0, 0, ?)", (now,))
    old.executemany("INSERT INTO participants VALUES ('ABC234', ?, NULL, ?)", [("p1", now), ("p2", now + 1)])
    old.execute("INSERT INTO submissions VALUES (1, 'ABC234', 1, 'p2', '{}', ?)", (now,))
    old.commit()
    old.close()
    rooms = Rooms(make_engine(f"sqlite:///{path}"))
    assert rooms.room("ABC234").round == 1 and rooms.counts("ABC234") == (2, 1)
    rooms.join("ABC234", new_participant(), None, "10.0.0.1")
    with rooms.engine.connect() as c:
        numbers = dict(c.execute(text("SELECT participant, number FROM participants")).all())
    assert numbers["p1"] == 1 and numbers["p2"] == 2 and sorted(numbers.values()) == [1, 2, 3]
