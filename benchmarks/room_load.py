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
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from load import ROOT, AppSpec, BrowserSession, ProtocolError, Server, criterion_ids

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


async def _participant(port: int, app: AppSpec, code: str, i: int, end: float, out: dict) -> None:  # noqa: PLR0913
    rng = random.Random(1000 + i)
    s = BrowserSession(port, app)
    s.query_string = f"room={code}"
    s.forwarded_for = phone_address(i)
    reruns, submits = out["reruns"], out["submits"]
    try:
        await asyncio.sleep(i * 0.05)  # people arrive over a couple of seconds
        await s.connect()
        out["loads"].append(await s.load_page())
        reruns.append(await s.click("join_button"))
        if len(s.sliders) != len(criterion_ids()):
            raise ProtocolError("joining drew no weight sliders")
        action = 0
        next_at = time.perf_counter() + rng.uniform(0, PERIOD_S)
        while next_at < end:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            sent = time.perf_counter()
            action += 1
            if action % SUBMIT_EVERY == 0:
                weights = answer_weights(s)
                submits.append(await s.click("answer_submit"))
                if any("Saved for round" in body for _fmt, body in s.alerts):
                    out["confirmed"][i] = weights
                else:
                    out["unconfirmed"] += 1
            else:
                reruns.append(await s.rerun(s.move(rng)))
            next_at = sent + rng.uniform(0.75 * PERIOD_S, 1.25 * PERIOD_S)
    except (ProtocolError, OSError) as err:
        out["failures"].append(f"participant {i}: {err}")
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


def room_load(participants: int = 40, seconds: float = 30) -> dict[str, float]:
    from sqlalchemy import select

    from store.rooms import Rooms, make_engine, rooms_table

    join, room = room_apps()
    folder = tempfile.mkdtemp(prefix="room-load-")
    url = f"sqlite:///{Path(folder) / 'rooms.sqlite3'}"
    os.environ["DATABASE_URL"] = url  # the server inherits it
    os.environ["DASHBOARD_TRUSTED_PROXIES"] = "127.0.0.1"  # the phones' addresses come as a proxy's header
    out: dict = {"reruns": [], "submits": [], "loads": [], "refresh": [], "screen": [], "failures": [], "confirmed": {}}
    out["unconfirmed"] = 0
    with Server(join) as server:

        async def run() -> tuple[float, float]:
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
            if code is None:
                raise SystemExit("The facilitator's session opened no room.\n" + server.log_tail())
            await asyncio.gather(
                _screen(server.port, code, end, out),
                *(_participant(server.port, join, code, i, end, out) for i in range(participants)),
            )
            peak = server.rss_mb()
            await facilitator
            return base, peak

        base, peak = asyncio.run(run())
    store = Rooms(make_engine(url))
    with store.engine.connect() as c:
        from store.rooms import submissions_table

        rows = c.execute(
            select(submissions_table.c.participant, submissions_table.c.round, submissions_table.c.scenario)
        )
        rows = rows.all()
    keys = Counter((r.participant, r.round) for r in rows)
    duplicated = sum(n - 1 for n in keys.values() if n > 1)
    saved = Counter(tuple(float(w) for w in json.loads(r.scenario)["weights"].values()) for r in rows)
    confirmed = Counter(out["confirmed"].values())
    lost = sum((confirmed - saved).values())
    mb = (peak - base) / participants
    every = out["reruns"] + out["submits"]
    print(f"A seminar room: {participants} participants on phones and a facilitator's view, {seconds:g} s")
    print("  participants join from the link, move a weight every ~2 s and submit every third action;")
    print(f"  the facilitator's view is redrawn whole every {REFRESH_S:g} s, the answers revealed half-way through")
    print(
        f"  participant reruns: p50 {_pct(out['reruns'], 50):.3f} s, p95 {_pct(out['reruns'], 95):.3f} s "
        f"({len(out['reruns'])})"
    )
    print(
        f"  submissions:        p50 {_pct(out['submits'], 50):.3f} s, p95 {_pct(out['submits'], 95):.3f} s "
        f"({len(out['submits'])}, {len(out['confirmed'])} participants confirmed, {out['unconfirmed']} not)"
    )
    print(f"  facilitator redraw: p50 {_pct(out['refresh'], 50):.3f} s, p95 {_pct(out['refresh'], 95):.3f} s")
    print(f"  projector redraw:   p50 {_pct(out['screen'], 50):.3f} s, p95 {_pct(out['screen'], 95):.3f} s")
    print(
        f"  failed sessions {len(out['failures'])}, lost answers {lost}, duplicated {duplicated}, "
        f"{mb:.2f} MB per session (server {base:.0f} -> {peak:.0f} MB)"
    )
    for reason in sorted(set(out["failures"]))[:3]:
        print(f"      failed: {reason}")
    print("  targets: 0 failed, 0 lost, p95 <= 1 s, <= 15 MB per session")
    return {
        f"room{participants}_p50_s": round(_pct(every, 50), 3),
        f"room{participants}_p95_s": round(_pct(every, 95), 3),
        f"room{participants}_submit_p95_s": round(_pct(out["submits"], 95), 3),
        f"room{participants}_facilitator_p95_s": round(_pct(out["refresh"], 95), 3),
        f"room{participants}_projector_p95_s": round(_pct(out["screen"], 95), 3),
        f"room{participants}_failed_sessions": len(out["failures"]),
        f"room{participants}_lost_submissions": lost,
        f"room{participants}_duplicated_submissions": duplicated,
        f"room{participants}_confirmed_participants": len(out["confirmed"]),
        f"room{participants}_mb_per_session": round(mb, 2),
        f"room{participants}_page_load_p50_s": round(statistics.median(out["loads"]), 3) if out["loads"] else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    print(json.dumps(room_load(args.participants, args.seconds)))


if __name__ == "__main__":
    main()
