"""The store's plumbing: one transaction per write, reads that never wait, the limits' counts, expiry,
and the hashes under which secrets and network addresses are kept."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from store.records import CODE_ALPHABET, CODE_LENGTH, Answer, Limits, NotSaved, Room, RoomNotFound, StoreError
from store.schema import (
    attempts_table,
    facilitators_table,
    make_engine,
    metadata,
    migrate,
    participants_table,
    rooms_table,
    submissions_table,
)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def client_hash(address: str, room: str = "") -> str:
    """A short hash of a network address (per room when ``room`` is given, so rooms cannot be linked)."""
    return hashlib.sha256(f"{room}|{address or 'unknown'}".encode()).hexdigest()[:32]


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_participant() -> str:
    """A participant's token: random, kept by their browser, never shown to anyone."""
    return secrets.token_hex(16)


def in_minutes(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def reason(err: BaseException) -> str:
    message = str(getattr(err, "orig", err) or err).splitlines()[0]
    return message[:120]


def round_answers(c: Connection, code: str, round_: int | None) -> list[Answer]:
    """The answers of a round (all rounds if None) of the people still in room ``code``, as first given."""
    s, p = submissions_table, participants_table
    query = (
        select(s.c.participant, p.c.number, s.c.round, s.c.scenario, s.c.submitted_at)
        .join(p, (p.c.room_code == s.c.room_code) & (p.c.participant == s.c.participant))
        .where(s.c.room_code == code, p.c.removed.isnot(True))
    )
    if round_ is not None:
        query = query.where(s.c.round == round_)
    rows = c.execute(query.order_by(s.c.id)).all()
    return [Answer(r.participant, int(r.number or 0), r.round, r.scenario, r.submitted_at) for r in rows]


class Store:
    """The database behind the rooms, with the limits that bound what strangers can create."""

    def __init__(
        self, engine: Engine | None = None, limits: Limits | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self.engine = engine or make_engine()
        self.limits = limits or Limits.from_environment()
        self.clock = clock
        migrate(self.engine)
        metadata.create_all(self.engine)
        self._last_purge = 0.0

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One transaction; a database that refuses the write becomes :class:`NotSaved`."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except StoreError:
            raise
        except IntegrityError:
            raise
        except (DBAPIError, SQLAlchemyError, OSError) as err:
            raise NotSaved(f"Not saved: the database refused the write ({reason(err)}). Try again.") from None

    def _read(self) -> Connection:
        try:
            return self.engine.connect().execution_options(read_only=True)
        except (DBAPIError, SQLAlchemyError, OSError) as err:
            raise NotSaved(f"The room's database cannot be reached ({reason(err)}). Try again.") from None

    # ----------------------------------------------------------------------- limits
    def _window(self) -> float:
        return self.limits.window_minutes * 60.0

    def _count(self, c: Connection, kind: str, since: float, client: str | None = None, room: str | None = None) -> int:
        query = (
            select(func.count())
            .select_from(attempts_table)
            .where(attempts_table.c.kind == kind, attempts_table.c.at >= since)
        )
        if client is not None:
            query = query.where(attempts_table.c.client == client)
        if room is not None:
            query = query.where(attempts_table.c.room_code == room)
        return int(c.execute(query).scalar_one())

    def _note(self, kind: str, client: str, room: str | None = None) -> None:
        with self._write() as c:
            c.execute(attempts_table.insert().values(kind=kind, client=client, room_code=room, at=self.clock()))

    def _touch(self, c: Connection, code: str) -> None:
        c.execute(rooms_table.update().where(rooms_table.c.code == code).values(last_active_at=self.clock()))

    def purge(self) -> int:
        """Delete the rooms idle for longer than the limit (with everything in them) and old attempts."""
        now = self.clock()
        idle = now - self.limits.room_idle_hours * 3600.0
        with self._write() as c:
            expired = [r for (r,) in c.execute(select(rooms_table.c.code).where(rooms_table.c.last_active_at < idle))]
            for table in (submissions_table, participants_table, facilitators_table):
                c.execute(delete(table).where(table.c.room_code.in_(expired)))
            c.execute(delete(rooms_table).where(rooms_table.c.code.in_(expired)))
            keep = max(self._window(), 3600.0)
            c.execute(delete(attempts_table).where(attempts_table.c.at < now - keep))
        self._last_purge = now
        return len(expired)

    def _purge_now_and_then(self) -> None:
        if self.clock() - self._last_purge > 300:
            self.purge()

    # ----------------------------------------------------------------------- facilitator
    def counts(self, code: str) -> tuple[int, int]:
        """(participants in the room, answers in the current round)."""
        p, s = participants_table, submissions_table
        with self._read() as c:
            room = c.execute(select(rooms_table.c.round).where(rooms_table.c.code == code)).scalar()
            if room is None:
                raise RoomNotFound(f"There is no room {code}.")
            present = p.c.removed.isnot(True)
            joined = c.execute(select(func.count()).select_from(p).where(p.c.room_code == code, present)).scalar_one()
            answered = c.execute(
                select(func.count())
                .select_from(s.join(p, (p.c.room_code == s.c.room_code) & (p.c.participant == s.c.participant)))
                .where(s.c.room_code == code, s.c.round == room, present)
            ).scalar_one()
        return int(joined), int(answered)

    # ----------------------------------------------------------------------- participants
    def room(self, code: str) -> Room:
        with self._read() as c:
            row = c.execute(select(rooms_table).where(rooms_table.c.code == code)).mappings().first()
        if row is None or self._expired(row["last_active_at"]):
            raise RoomNotFound(f"There is no room {code}: check the code on the screen.")
        return Room(row["code"], row["scenario"], row["round"], bool(row["revealed"]), bool(row["closed"]))

    def _expired(self, last_active_at: float | None) -> bool:
        return last_active_at is not None and last_active_at < self.clock() - self.limits.room_idle_hours * 3600.0

    def integrity_ok(self) -> bool:
        """SQLite's own integrity check (always true elsewhere: PostgreSQL checks as it writes)."""
        if self.engine.dialect.name != "sqlite":
            return True
        with self.engine.connect() as c:
            return c.execute(text("PRAGMA integrity_check")).scalar() == "ok"
