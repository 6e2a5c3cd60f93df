"""A seminar room on the real server: ``python benchmarks/room_load.py --participants 40 --seconds 30``.

One ``streamlit run`` process with its own SQLite store (a temporary file). A facilitator session opens
a room on the room page, redraws it every 3 s and reveals the answers half-way through (the browser
redraws only the live part on that timer; a whole-page rerun is measured here, which costs more); the
projector's session shows the room's screen and redraws it every 3 s too (the counts, then the results). N
participant sessions, speaking Streamlit's protocol as in ``benchmarks/load.py``, open the join link,
join, and then every ~2 s move a weight slider, submitting their answer every third action. Each rerun
is timed from the message sent to the server's ``script_finished``; a submission counts as confirmed
only when the run that answers it says "Saved". At the end the store is read directly: every confirmed
answer must be there as it was last confirmed (lost otherwise), and no participant may hold two answers
in a round (duplicated).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from balancer import Seminar
from load import ROOT, AppSpec, BrowserSession, ProtocolError, Server, criterion_ids, machine_busy_seconds

sys.path.insert(0, str(ROOT / "dashboard"))
REFRESH_S = 3.0
PERIOD_S = 2.0
SUBMIT_EVERY = 3  # actions


def room_apps() -> tuple[AppSpec, AppSpec]:
    keys = tuple(f"answer_{cid}" for cid in criterion_ids())
    join = AppSpec("Join page", ROOT / "dashboard" / "app.py", "join", keys, by_prefix=True)
    room = AppSpec("Room page", ROOT / "dashboard" / "app.py", "room", ())
    return join, room


SCREEN = AppSpec("Room screen", ROOT / "dashboard" / "app.py", "screen", ())


def phone_address(i: int) -> str:
    """Phone ``i``'s address on the room's network, as a load balancer in front of the app reports it: each
    phone is a client of its own for the seminar's per-client limits, as in a room on its own Wi-Fi."""
    return f"10.20.{i // 250}.{i % 250 + 1}"


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def answer_weights(s: BrowserSession) -> tuple[float, ...]:
    """The participant's weights as the browser holds them, in the criteria's order."""
    out = []
    for cid in criterion_ids():
        slider = s.sliders[f"answer_{cid}"]
        out.append(float(s.states[slider.id].double_array_value.data[0]))
    return tuple(out)


def phone_source(i: int) -> str:
    """Phone ``i``'s own loopback address, which it connects from when a balancer is in front: the balancer
    sees it and appends it to X-Forwarded-For, as it would a phone's address on the room's Wi-Fi."""
    return f"127.20.{i // 250}.{i % 250 + 1}"


FORGED = "203.0.113.66"  # what every phone writes in its own X-Forwarded-For through the balancer: never counted
RECOVERY_LIMIT_S = 60.0  # a phone that cannot get back into its room within this long has failed
MAX_RETRY_DELAY_S = 5.0


def token_of(s: BrowserSession, code: str) -> str | None:
    """The participant token this phone's browser holds for room ``code`` (its localStorage)."""
    try:
        return json.loads(s.storage.get("participant", "{}")).get(code, {}).get("token")
    except (ValueError, AttributeError):
        return None


async def _come_back(s: BrowserSession, out: dict, reason: Exception) -> None:
    """The phone's websocket dropped (its process was killed): reconnect as the browser does, with growing
    pauses, through the balancer to whichever process it picks, and check it is back in its room as itself."""
    dropped = time.perf_counter()
    delay = 0.5
    while True:
        try:
            await s.reconnect()
            break
        except (ProtocolError, OSError) as err:
            if time.perf_counter() - dropped > RECOVERY_LIMIT_S:
                raise ProtocolError(f"no way back within {RECOVERY_LIMIT_S:.0f} s after '{reason}': {err}") from None
            await asyncio.sleep(delay)
            delay = min(2 * delay, MAX_RETRY_DELAY_S)
    if len(s.sliders) != len(criterion_ids()):
        raise ProtocolError(f"after '{reason}' the phone came back to the join form, not to its room")
    out["recovered"].append(time.perf_counter() - out["killed_at"])


async def _participant(  # noqa: PLR0913
    port: int, app: AppSpec, code: str, i: int, end: float, out: dict, through: bool = False
) -> None:
    rng = random.Random(1000 + i)
    s = BrowserSession(port, app)
    s.query_string = f"room={code}"
    if through:
        s.source, s.forwarded_for = phone_source(i), FORGED
    else:
        s.forwarded_for = phone_address(i)
    pending = out["pending"].setdefault(i, [])  # answers sent since the last confirmation: may have been saved
    tokens = out["tokens"].setdefault(i, [])
    try:
        await asyncio.sleep(i * 0.05)  # people arrive over a couple of seconds
        await s.connect()
        out["loads"].append(await s.load_page())
        out["reruns"].append((time.perf_counter(), await s.click("join_button")))
        if len(s.sliders) != len(criterion_ids()):
            raise ProtocolError("joining drew no weight sliders: " + "; ".join(body for _f, body in s.alerts))
        tokens.append(token_of(s, code))
        action = 0
        next_at = time.perf_counter() + rng.uniform(0, PERIOD_S)
        while next_at < end:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            sent = time.perf_counter()
            action += 1
            try:
                if action % SUBMIT_EVERY == 0:
                    weights = answer_weights(s)
                    pending.append(weights)
                    out["submits"].append((sent, await s.click("answer_submit")))
                    if any("Saved for round" in body for _fmt, body in s.alerts):
                        out["confirmed"][i] = weights
                        pending.clear()
                    else:
                        out["unconfirmed"] += 1
                else:
                    out["reruns"].append((sent, await s.rerun(s.move(rng))))
            except (ProtocolError, OSError) as err:
                if out.get("killed_at") is None:
                    raise
                out["dropped"] += 1
                await _come_back(s, out, err)
                tokens.append(token_of(s, code))
                action = SUBMIT_EVERY - 1  # and submit again at once
                next_at = time.perf_counter()
                continue
            next_at = sent + rng.uniform(0.75 * PERIOD_S, 1.25 * PERIOD_S)
    except (ProtocolError, OSError) as err:
        out["failures"].append(f"participant {i}: {err}")
    finally:
        await s.close()


async def _warm(port: int, app: AppSpec) -> None:
    """One page load on a process, so that its imports and caches are paid before the room starts (the
    facilitator's session does this on the first process)."""
    s = BrowserSession(port, app)
    try:
        await s.connect()
        await s.load_page()
    finally:
        await s.close()


async def _facilitator(port: int, app: AppSpec, times: tuple[float, float], out: dict, opened: asyncio.Event) -> None:
    reveal_at, end = times
    s = BrowserSession(port, app)
    try:
        await s.connect()
        await s.load_page()
        await s.click("room_open")
        opened.set()
        revealed = False
        while time.perf_counter() < end:
            await asyncio.sleep(REFRESH_S)
            if not revealed and time.perf_counter() > reveal_at:
                await s.click("room_reveal")  # from here the view ranks every answer on each redraw
                revealed = True
            out["refresh"].append(await s.rerun(list(s.states.values())))
    except (ProtocolError, OSError) as err:
        out["failures"].append(f"facilitator: {err}")
        opened.set()
    finally:
        await s.close()


async def _screen(port: int, code: str, end: float, out: dict) -> None:
    """The projector: the room's screen, redrawn every few seconds (the code and counts, then the results)."""
    s = BrowserSession(port, SCREEN)
    s.query_string = f"room={code}"
    try:
        await s.connect()
        await s.load_page()
        while time.perf_counter() < end:
            await asyncio.sleep(REFRESH_S)
            out["screen"].append(await s.rerun(list(s.states.values())))
    except (ProtocolError, OSError) as err:
        out["failures"].append(f"screen: {err}")
    finally:
        await s.close()


def _split(timed: list[tuple[float, float]], at: float | None) -> tuple[list[float], list[float]]:
    """Latencies of the actions sent before ``at`` (the kill) and from it on."""
    if at is None:
        return [x for _t, x in timed], []
    return [x for t, x in timed if t < at], [x for t, x in timed if t >= at]


def _check_store(url: str, code: str, out: dict) -> dict[str, int]:
    """Read the store as the facilitator's view does: every answer a phone was told was saved must be there as
    it was saved (or as one it sent later whose reply was cut off), and each phone must have one answer."""
    from sqlalchemy import select

    from store.base import secret_hash
    from store.rooms import Rooms, make_engine, participants_table, submissions_table

    store = Rooms(make_engine(url))
    try:
        with store.engine.connect() as c:
            rows = c.execute(
                select(submissions_table.c.participant, submissions_table.c.scenario).where(
                    submissions_table.c.room_code == code
                )
            ).all()
            people = c.execute(
                select(participants_table.c.participant, participants_table.c.client).where(
                    participants_table.c.room_code == code
                )
            ).all()
        counts = store.counts(code)
    finally:
        store.engine.dispose()
    phone_of = {secret_hash(t): i for i, ts in out["tokens"].items() for t in ts if t}
    answers = Counter(phone_of.get(r.participant, -1) for r in rows)
    duplicated = sum(n - 1 for phone, n in answers.items() if phone >= 0 and n > 1) + answers.get(-1, 0)
    saved = {
        phone_of.get(r.participant): tuple(float(w) for w in json.loads(r.scenario)["weights"].values()) for r in rows
    }
    missing = [
        i
        for i, weights in out["confirmed"].items()
        if saved.get(i) != weights and saved.get(i) not in out["pending"].get(i, [])
    ]
    lost = len(missing)
    return {
        "lost": lost,
        "duplicated": duplicated,
        "participants": len(people),
        "clients": len({p.client for p in people}),  # the addresses the per-client limits saw, hashed
        "phones_joined": sum(1 for ts in out["tokens"].values() if ts),
        "identities_changed": sum(1 for ts in out["tokens"].values() if len(set(ts)) > 1),
        "facilitator_answers": counts[1],
    }


def room_load(
    participants: int = 40, seconds: float = 30, through: str | None = None, kill_after: float | None = None
) -> dict[str, float]:
    """A room of ``participants`` phones for ``seconds``. With ``through`` (a PostgreSQL administrator's URL), two
    app processes on a fresh database behind HAProxy (``benchmarks/balancer.py``), the phones connecting through
    it from their own loopback addresses and the facilitator's view and the projector on the first process;
    with ``kill_after``, the second process is killed (SIGKILL) that many seconds into the round."""
    from sqlalchemy import select

    from store.rooms import Rooms, make_engine, rooms_table

    join, room = room_apps()
    out: dict = {"reruns": [], "submits": [], "loads": [], "refresh": [], "screen": [], "failures": []}
    out |= {"confirmed": {}, "pending": {}, "tokens": {}, "recovered": [], "unconfirmed": 0, "dropped": 0}
    out["killed_at"] = None
    if kill_after is not None and not through:
        raise SystemExit("--kill-after needs --through: killing the only process ends the room.")
    with ExitStack() as stack:
        if through:
            seminar = stack.enter_context(Seminar(join, through, replicas=2))
            url, phones_port, server = seminar.database.url, seminar.port, seminar.servers[0]
            victim, others, processes = seminar.servers[1], seminar.servers[1:], seminar.servers
        else:
            folder = tempfile.mkdtemp(prefix="room-load-")
            url = f"sqlite:///{Path(folder) / 'rooms.sqlite3'}"
            env = {"DATABASE_URL": url, "DASHBOARD_TRUSTED_PROXIES": "127.0.0.1"}  # phones' addresses from a proxy
            server = stack.enter_context(Server(join, env=env))
            phones_port, victim, others, processes = server.port, None, [], [server]

        async def killer(at: float) -> None:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            out["victim_cpu_s"] = victim.cpu_seconds()  # what it used, read before it goes
            out["killed_at"] = time.perf_counter()
            os.kill(victim.proc.pid, signal.SIGKILL)

        async def run() -> tuple[float, float, str]:
            for other in others:
                await _warm(other.port, join)
            opened = asyncio.Event()
            start = time.perf_counter()
            end = start + seconds
            times = (start + seconds / 2, end + 5)  # the answers are revealed half-way through
            facilitator = asyncio.create_task(_facilitator(server.port, room, times, out, opened))
            await opened.wait()
            base = server.rss_mb()  # the app's imports and caches are paid by the facilitator's first runs
            store = Rooms(make_engine(url))
            with store.engine.connect() as c:
                code = c.execute(select(rooms_table.c.code)).scalar()
            store.engine.dispose()
            if code is None:
                raise SystemExit("The facilitator's session opened no room.\n" + server.log_tail())
            kill = [killer(start + kill_after)] if kill_after is not None else []
            cpu0, busy0, wall0 = sum(p.cpu_seconds() for p in processes), machine_busy_seconds(), time.perf_counter()
            await asyncio.gather(
                *kill,
                _screen(server.port, code, end, out),
                *(_participant(phones_port, join, code, i, end, out, bool(through)) for i in range(participants)),
            )
            peak = server.rss_mb()
            await facilitator
            alive = [p for p in processes if p is not victim or out["killed_at"] is None]
            used = sum(p.cpu_seconds() for p in alive) + out.get("victim_cpu_s", 0.0) - cpu0
            wall = time.perf_counter() - wall0
            out["cpu"] = (used, (machine_busy_seconds() - busy0) / wall, wall)
            return base, peak, code

        base, peak, code = asyncio.run(run())
        checked = _check_store(url, code, out)
    return _report(participants, seconds, through, out, checked, (base, peak))


def _report(  # noqa: PLR0913
    participants: int, seconds: float, through: str | None, out: dict, checked: dict, rss: tuple[float, float]
) -> dict[str, float]:
    base, peak = rss
    before, after = _split(out["reruns"] + out["submits"], out["killed_at"])
    submits, _ = _split(out["submits"], out["killed_at"])
    mb = (peak - base) / participants
    used, cores, wall = out["cpu"]
    runs = len(out["reruns"]) + len(out["submits"]) + len(out["loads"]) + len(out["refresh"]) + len(out["screen"])
    per_run = used / max(runs, 1) * 1000
    where = "through HAProxy to two processes on one PostgreSQL" if through else "on one process"
    print(f"A seminar room: {participants} participants on phones, {where}, and a facilitator's view, {seconds:g} s")
    print("  participants join from the link, move a weight every ~2 s and submit every third action;")
    print(f"  the facilitator's view is redrawn whole every {REFRESH_S:g} s, the answers revealed half-way through")
    if out["killed_at"] is not None:
        print("  figures below are for the actions sent before the kill; the failover's follow")
    print(f"  participant actions: p50 {_pct(before, 50):.3f} s, p95 {_pct(before, 95):.3f} s ({len(before)})")
    print(
        f"  submissions:         p50 {_pct(submits, 50):.3f} s, p95 {_pct(submits, 95):.3f} s "
        f"({len(out['confirmed'])} participants confirmed, {out['unconfirmed']} submissions not)"
    )
    print(f"  facilitator redraw:  p50 {_pct(out['refresh'], 50):.3f} s, p95 {_pct(out['refresh'], 95):.3f} s")
    print(f"  projector redraw:    p50 {_pct(out['screen'], 50):.3f} s, p95 {_pct(out['screen'], 95):.3f} s")
    print(
        f"  failed sessions {len(out['failures'])}, lost answers {checked['lost']}, "
        f"duplicated {checked['duplicated']}, "
        f"{mb:.2f} MB per session on the facilitator's process ({base:.0f} -> {peak:.0f} MB)"
    )
    print(
        f"  the store: {checked['participants']} participants for {checked['phones_joined']} phones, "
        f"{checked['facilitator_answers']} answers in the facilitator's count"
    )
    print(
        f"  server CPU {per_run:.1f} ms per run ({runs} runs, {used / wall:.2f} cores of app processes); "
        f"the whole machine busy {cores:.2f} cores of {os.cpu_count()}"
    )
    for reason in sorted(set(out["failures"]))[:3]:
        print(f"      failed: {reason}")
    n = participants
    figures = {
        f"room{n}_p50_s": round(_pct(before, 50), 3),
        f"room{n}_p95_s": round(_pct(before, 95), 3),
        f"room{n}_submit_p95_s": round(_pct(submits, 95), 3),
        f"room{n}_facilitator_p95_s": round(_pct(out["refresh"], 95), 3),
        f"room{n}_projector_p95_s": round(_pct(out["screen"], 95), 3),
        f"room{n}_failed_sessions": len(out["failures"]),
        f"room{n}_lost_submissions": checked["lost"],
        f"room{n}_duplicated_submissions": checked["duplicated"],
        f"room{n}_confirmed_participants": len(out["confirmed"]),
        f"room{n}_mb_per_session": round(mb, 2),
        f"room{n}_participants_in_store": checked["participants"],
        f"room{n}_distinct_clients": checked["clients"],
        f"room{n}_facilitator_answers": checked["facilitator_answers"],
        f"room{n}_server_cpu_ms_per_run": round(per_run, 1),
        f"room{n}_machine_busy_cores": round(cores, 2),
        f"room{n}_page_load_p50_s": round(statistics.median(out["loads"]), 3) if out["loads"] else None,
    }
    if out["killed_at"] is not None:
        recovered = out["recovered"]
        print(
            f"  failover: {out['dropped']} phones dropped by the kill, {len(recovered)} back in their room "
            f"(p50 {_pct(recovered, 50):.2f} s, last {max(recovered, default=float('nan')):.2f} s after the kill), "
            f"{checked['identities_changed']} came back as someone else; "
            f"actions after the kill p95 {_pct(after, 95):.3f} s"
        )
        figures |= {
            "failover_dropped_sessions": out["dropped"],
            "failover_lost": checked["lost"],
            "failover_duplicated": checked["duplicated"],
            "failover_identities_changed": checked["identities_changed"],
            "failover_recovery_s": round(max(recovered), 2) if recovered else None,
            "failover_recovery_p50_s": round(_pct(recovered, 50), 2) if recovered else None,
            "failover_after_p95_s": round(_pct(after, 95), 3),
        }
    print("  targets: 0 failed, 0 lost, 0 duplicated; p95 <= 1 s on one process, <= 0.5 s for 200 on two")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--through",
        nargs="?",
        const=os.environ.get("DASHBOARD_TEST_POSTGRES", ""),
        metavar="POSTGRES_URL",
        help="two app processes on a fresh database on this PostgreSQL server, behind HAProxy "
        "(default: $DASHBOARD_TEST_POSTGRES)",
    )
    parser.add_argument("--kill-after", type=float, help="with --through: SIGKILL the second process this long in")
    args = parser.parse_args()
    if args.through == "":
        raise SystemExit("--through needs a PostgreSQL URL, or DASHBOARD_TEST_POSTGRES set to one.")
    print(json.dumps(room_load(args.participants, args.seconds, args.through, args.kill_after)))


if __name__ == "__main__":
    main()
