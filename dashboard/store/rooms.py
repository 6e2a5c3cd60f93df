"""The seminar rooms' store: the one module that talks to the database (SQLAlchemy Core).

An SQLite file by default (no set-up: WAL journal, ``BEGIN IMMEDIATE`` transactions so writers queue
instead of failing, a busy timeout, full sync so a confirmed answer survives a crash), or PostgreSQL
when ``DATABASE_URL`` is given (several app replicas behind a load balancer share one database).

A participant's answer is a scenario in its file form (:mod:`core.scenario_io`), validated by the
caller before it reaches here. Every write is one transaction, and :meth:`Rooms.submit` returns only
after the commit, so an answer confirmed to a participant is on disk. The facilitator key is a random
token shown once; only its SHA-256 is stored, and it is compared in constant time. Nothing here is
cached: every read goes to the database.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

DATABASE_VARIABLE = "DATABASE_URL"
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "var" / "seminar.sqlite3"
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a projector
CODE_LENGTH = 6
MAX_ANSWER_BYTES = 64_000
MAX_NAME_CHARS = 40
MIN_SECONDS_BETWEEN_SUBMISSIONS = 1.0  # per participant: a double tap saves once, a script cannot flood a room
MAX_PARTICIPANTS = 500

metadata = MetaData()
rooms_table = Table(
    "rooms",
    metadata,
    Column("code", String(CODE_LENGTH), primary_key=True),
    Column("key_hash", String(64), nullable=False),
    Column("scenario", Text, nullable=False),  # the starting scenario, as a scenario file
    Column("round", Integer, nullable=False, default=1),
    Column("revealed", Boolean, nullable=False, default=False),
    Column("closed", Boolean, nullable=False, default=False),
    Column("created_at", Float, nullable=False),
)
participants_table = Table(
    "participants",
    metadata,
    Column("room_code", String(CODE_LENGTH), ForeignKey("rooms.code", ondelete="CASCADE"), primary_key=True),
    Column("participant", String(64), primary_key=True),
    Column("name", String(MAX_NAME_CHARS), nullable=True),
    Column("joined_at", Float, nullable=False),
)
submissions_table = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("room_code", String(CODE_LENGTH), ForeignKey("rooms.code", ondelete="CASCADE"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("participant", String(64), nullable=False),
    Column("scenario", Text, nullable=False),
    Column("submitted_at", Float, nullable=False),
    UniqueConstraint("room_code", "round", "participant", name="one_answer_per_round"),
)


class StoreError(Exception):
    """A problem the user can act on; the message says what happened and what to do."""


class RoomNotFound(StoreError):
    pass


class RoomClosed(StoreError):
    pass


class WrongKey(StoreError):
    pass


class TooFast(StoreError):
    pass


class NotSaved(StoreError):
    """The database refused the write (read-only, full, unreachable): nothing was saved."""


@dataclass(frozen=True)
class Room:
    code: str
    scenario: str
    round: int
    revealed: bool
    closed: bool


@dataclass(frozen=True)
class Answer:
    participant: str
    round: int
    scenario: str
    submitted_at: float


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def database_url() -> str:
    """``DATABASE_URL`` if set, else the SQLite file ``var/seminar.sqlite3`` (made on first use)."""
    url = os.environ.get(DATABASE_VARIABLE)
    if url:
        return url.replace("postgres://", "postgresql+psycopg://", 1).replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    DEFAULT_FILE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_FILE}"


def make_engine(url: str | None = None, busy_timeout_s: float = 30.0) -> Engine:
    """An engine for ``url``: SQLite in WAL mode with immediate transactions, or PostgreSQL."""
    url = url or database_url()
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    engine = create_engine(url, connect_args={"timeout": busy_timeout_s, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let the "begin" event below issue BEGIN itself
        cursor = dbapi_connection.cursor()
        for pragma in (
            f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}",
            "PRAGMA foreign_keys=ON",
            "PRAGMA synchronous=FULL",
        ):
            cursor.execute(pragma)
        if "mode=ro" not in url:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A write takes the write lock at the start: two writers queue on the busy timeout instead of one
        # failing with "database is locked" when it upgrades a read lock. Reads never wait (WAL).
        read_only = connection.get_execution_options().get("read_only", False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


class Rooms:
    """Rooms, participants and their answers, in one database."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine or make_engine()
        metadata.create_all(self.engine)

    @contextmanager
    def _write(self) -> Iterator:
        """One transaction; a database that refuses the write becomes :class:`NotSaved`."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except StoreError:
            raise
        except IntegrityError:
            raise
        except (DBAPIError, SQLAlchemyError, OSError) as err:
            raise NotSaved(f"Not saved: the database refused the write ({_reason(err)}). Try again.") from None

    def _read(self):
        try:
            return self.engine.connect().execution_options(read_only=True)
        except (DBAPIError, SQLAlchemyError, OSError) as err:
            raise NotSaved(f"The room's database cannot be reached ({_reason(err)}). Try again.") from None

    # ----------------------------------------------------------------------- facilitator
    def open_room(self, scenario: str) -> tuple[str, str]:
        """A new room starting from ``scenario`` (a scenario file): its code and its facilitator key."""
        key = secrets.token_urlsafe(18)
        for _ in range(20):
            code = new_code()
            try:
                with self._write() as c:
                    c.execute(
                        rooms_table.insert().values(
                            code=code, key_hash=_hash(key), scenario=scenario, round=1, created_at=time.time()
                        )
                    )
                return code, key
            except IntegrityError:
                continue  # the code was taken: draw another
        raise NotSaved("Not saved: no free room code was found. Try again.")

    def check_key(self, code: str, key: str) -> None:
        """Raise :class:`WrongKey` unless ``key`` is the room's facilitator key (compared in constant time)."""
        with self._read() as c:
            stored = c.execute(select(rooms_table.c.key_hash).where(rooms_table.c.code == code)).scalar()
        given = _hash(key or "")
        if stored is None or not hmac.compare_digest(stored, given):
            raise WrongKey("That facilitator key does not open this room.")

    def _update(self, code: str, key: str, **values) -> None:
        self.check_key(code, key)
        with self._write() as c:
            c.execute(rooms_table.update().where(rooms_table.c.code == code).values(**values))

    def reveal(self, code: str, key: str, revealed: bool = True) -> None:
        self._update(code, key, revealed=revealed)

    def new_round(self, code: str, key: str) -> int:
        self.check_key(code, key)
        with self._write() as c:
            c.execute(
                rooms_table.update()
                .where(rooms_table.c.code == code)
                .values(round=rooms_table.c.round + 1, revealed=False)
            )
            return int(c.execute(select(rooms_table.c.round).where(rooms_table.c.code == code)).scalar_one())

    def close(self, code: str, key: str) -> None:
        self._update(code, key, closed=True)

    def clear(self, code: str, key: str) -> None:
        """Delete the room's answers and participants (the room stays, at round 1, hidden)."""
        self.check_key(code, key)
        with self._write() as c:
            c.execute(submissions_table.delete().where(submissions_table.c.room_code == code))
            c.execute(participants_table.delete().where(participants_table.c.room_code == code))
            c.execute(rooms_table.update().where(rooms_table.c.code == code).values(round=1, revealed=False))

    def answers(self, code: str, key: str, round_: int | None = None) -> list[Answer]:
        """The answers of a round (all rounds if None), for the facilitator only."""
        self.check_key(code, key)
        query = select(submissions_table).where(submissions_table.c.room_code == code)
        if round_ is not None:
            query = query.where(submissions_table.c.round == round_)
        with self._read() as c:
            rows = c.execute(query.order_by(submissions_table.c.id)).mappings().all()
        return [Answer(r["participant"], r["round"], r["scenario"], r["submitted_at"]) for r in rows]

    def counts(self, code: str) -> tuple[int, int]:
        """(participants joined, answers in the current round)."""
        with self._read() as c:
            room = c.execute(select(rooms_table.c.round).where(rooms_table.c.code == code)).scalar()
            if room is None:
                raise RoomNotFound(f"There is no room {code}.")
            joined = c.execute(
                select(func.count()).select_from(participants_table).where(participants_table.c.room_code == code)
            ).scalar_one()
            answered = c.execute(
                select(func.count())
                .select_from(submissions_table)
                .where(submissions_table.c.room_code == code, submissions_table.c.round == room)
            ).scalar_one()
        return int(joined), int(answered)

    # ----------------------------------------------------------------------- participants
    def room(self, code: str) -> Room:
        with self._read() as c:
            row = c.execute(select(rooms_table).where(rooms_table.c.code == code)).mappings().first()
        if row is None:
            raise RoomNotFound(f"There is no room {code}: check the code on the screen.")
        return Room(row["code"], row["scenario"], row["round"], bool(row["revealed"]), bool(row["closed"]))

    def join(self, code: str, participant: str, name: str | None) -> Room:
        """Join ``code`` (joining again changes nothing but the name)."""
        room = self.room(code)
        if room.closed:
            raise RoomClosed("This room is closed.")
        name = (name or "").strip()[:MAX_NAME_CHARS] or None
        try:
            with self._write() as c:
                count = c.execute(
                    select(func.count()).select_from(participants_table).where(participants_table.c.room_code == code)
                ).scalar_one()
                exists = c.execute(
                    select(participants_table.c.participant).where(
                        participants_table.c.room_code == code, participants_table.c.participant == participant
                    )
                ).first()
                if exists:
                    c.execute(
                        participants_table.update()
                        .where(participants_table.c.room_code == code, participants_table.c.participant == participant)
                        .values(name=name)
                    )
                elif count >= MAX_PARTICIPANTS:
                    raise RoomClosed(f"This room is full ({MAX_PARTICIPANTS} people).")
                else:
                    c.execute(
                        participants_table.insert().values(
                            room_code=code, participant=participant, name=name, joined_at=time.time()
                        )
                    )
        except IntegrityError:
            pass  # the same participant joined from another tab at the same instant: joined once
        return room

    def submit(self, code: str, participant: str, scenario: str) -> int:
        """Save ``participant``'s answer for the room's current round, replacing an earlier one; return the round.

        Returns only after the commit. Raises :class:`TooFast` within a second of the last answer.
        """
        if len(scenario.encode("utf-8")) > MAX_ANSWER_BYTES:
            raise NotSaved("Not saved: the answer is too large.")
        now = time.time()
        try:
            with self._write() as c:
                room = c.execute(
                    select(rooms_table.c.round, rooms_table.c.closed).where(rooms_table.c.code == code)
                ).first()
                if room is None:
                    raise RoomNotFound(f"There is no room {code}.")
                if room.closed:
                    raise RoomClosed("This room is closed: your answer was not saved.")
                joined = c.execute(
                    select(participants_table.c.participant).where(
                        participants_table.c.room_code == code, participants_table.c.participant == participant
                    )
                ).first()
                if joined is None:
                    raise RoomNotFound("Join the room before answering.")
                last = c.execute(
                    select(submissions_table.c.id, submissions_table.c.submitted_at).where(
                        submissions_table.c.room_code == code,
                        submissions_table.c.round == room.round,
                        submissions_table.c.participant == participant,
                    )
                ).first()
                if last is not None and now - last.submitted_at < MIN_SECONDS_BETWEEN_SUBMISSIONS:
                    raise TooFast("Already saved a moment ago; wait a second before saving again.")
                if last is None:
                    c.execute(
                        submissions_table.insert().values(
                            room_code=code,
                            round=room.round,
                            participant=participant,
                            scenario=scenario,
                            submitted_at=now,
                        )
                    )
                else:
                    c.execute(
                        submissions_table.update()
                        .where(submissions_table.c.id == last.id)
                        .values(scenario=scenario, submitted_at=now)
                    )
                return int(room.round)
        except IntegrityError:
            # Two answers from one participant at the same instant (a double tap from two tabs, on a database
            # that does not queue writers): the other one was saved, and this one is not needed.
            raise TooFast("Already saved a moment ago; wait a second before saving again.") from None

    def integrity_ok(self) -> bool:
        """SQLite's own integrity check (always true elsewhere: PostgreSQL checks as it writes)."""
        if self.engine.dialect.name != "sqlite":
            return True
        with self.engine.connect() as c:
            return c.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def _reason(err: BaseException) -> str:
    message = str(getattr(err, "orig", err) or err).splitlines()[0]
    return message[:120]


def new_participant() -> str:
    """A participant's token: random, kept in their session, never shown to anyone."""
    return secrets.token_hex(16)
