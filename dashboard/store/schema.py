"""The seminar store's tables and its database engine: SQLite by default, PostgreSQL with ``DATABASE_URL``."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    inspect,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from store.records import CODE_LENGTH, MAX_NAME_CHARS

DATABASE_VARIABLE = "DATABASE_URL"
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "var" / "seminar.sqlite3"

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
    Column("last_active_at", Float, nullable=True),  # expiry counts from here
)
participants_table = Table(
    "participants",
    metadata,
    Column("room_code", String(CODE_LENGTH), ForeignKey("rooms.code", ondelete="CASCADE"), primary_key=True),
    Column("participant", String(64), primary_key=True),  # SHA-256 of the participant's token
    Column("name", String(MAX_NAME_CHARS), nullable=True),
    Column("joined_at", Float, nullable=False),
    Column("number", Integer, nullable=True),  # 1, 2, 3 ... in the order of joining: anonymous and stable
    Column("client", String(32), nullable=True),  # a hash of the network address, per room: bursts
    Column("removed", Boolean, nullable=True, default=False),  # by the facilitator: cannot rejoin
    UniqueConstraint("room_code", "number", name="one_number_per_room"),
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
facilitators_table = Table(
    "facilitator_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("room_code", String(CODE_LENGTH), ForeignKey("rooms.code", ondelete="CASCADE"), nullable=False),
    Column("created_at", Float, nullable=False),
)
attempts_table = Table(
    "attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(8), nullable=False),  # "open", "join", "code" (wrong), "key" (wrong)
    Column("client", String(32), nullable=False),
    Column("room_code", String(CODE_LENGTH), nullable=True),
    Column("at", Float, nullable=False),
    Index("attempts_by_client", "kind", "client", "at"),
    Index("attempts_by_room", "kind", "room_code", "at"),
)
# Columns added since the first release, for a store made by it (added in place, nothing is lost).
_ADDED = {
    "rooms": (("last_active_at", "FLOAT"),),
    "participants": (("number", "INTEGER"), ("client", "VARCHAR(32)"), ("removed", "BOOLEAN")),
}


def database_url() -> str:
    """``DATABASE_URL`` if set, else the SQLite file ``var/seminar.sqlite3`` (made on first use)."""
    url = os.environ.get(DATABASE_VARIABLE)
    if url:
        return url.replace("postgres://", "postgresql+psycopg://", 1).replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    DEFAULT_FILE.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return f"sqlite:///{DEFAULT_FILE}"


def _private_file(url: str) -> None:
    """Create the SQLite file readable and writable by its owner only (names and answers are in it).

    SQLite gives its journal files the database file's permissions."""
    if url.startswith("sqlite:///file:") or "mode=ro" in url or url in ("sqlite://", "sqlite:///:memory:"):
        return
    path = Path(url.removeprefix("sqlite:///").split("?", 1)[0])
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)


def make_engine(url: str | None = None, busy_timeout_s: float = 30.0) -> Engine:
    """An engine for ``url``: SQLite in WAL mode with immediate transactions, or PostgreSQL."""
    url = url or database_url()
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    _private_file(url)
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
        # failing with "database is locked" when it upgrades a read lock. Reads never wait (WAL), and need no
        # BEGIN of their own: each statement reads one consistent snapshot (a phone's redraw reads once).
        if not connection.get_execution_options().get("read_only", False):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def migrate(engine: Engine) -> None:
    """Add the columns a store made by an earlier release lacks (nothing in it is lost)."""
    try:
        present = inspect(engine)
        missing = [
            (table, name, kind)
            for table, added in _ADDED.items()
            if present.has_table(table)
            for name, kind in added
            if name not in {c["name"] for c in present.get_columns(table)}
        ]
    except (DBAPIError, SQLAlchemyError):
        return
    if not missing:
        return
    with engine.begin() as c:
        for table, name, kind in missing:
            c.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        c.execute(
            rooms_table.update()
            .where(rooms_table.c.last_active_at.is_(None))
            .values(last_active_at=rooms_table.c.created_at)
        )
        rows = c.execute(
            select(participants_table.c.room_code, participants_table.c.participant)
            .where(participants_table.c.number.is_(None))
            .order_by(participants_table.c.room_code, participants_table.c.joined_at)
        ).all()
        counters: dict[str, int] = {}
        for row in rows:
            counters[row.room_code] = counters.get(row.room_code, 0) + 1
            c.execute(
                participants_table.update()
                .where(
                    participants_table.c.room_code == row.room_code,
                    participants_table.c.participant == row.participant,
                )
                .values(number=counters[row.room_code], removed=False)
            )
