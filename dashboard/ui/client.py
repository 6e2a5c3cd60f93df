"""What the server cannot see: the width of the user's screen, and a link the server dropped.

A tiny script in the page (a Streamlit v2 component: inline code, no frame, nothing fetched)
reports whether the screen is narrow (a phone), so pages can draw a layout made for it, and
whether the address had more parts than Streamlit reads (it drops such a query without a
word); it also marks the verdict as a live region for screen readers. It reports only when
something differs from what the server already believes, so it costs no rerun in the common
case.
"""

from __future__ import annotations

import os

import streamlit as st

from ui import state

NARROW_PX = 640
LARGE_PX = (1600, 900)  # a screen at least this wide and tall gets the larger projector look
MAX_QUERY_PARTS = 1000  # Streamlit ignores a query string with more parameters than this

_JS = f"""
export default function (component) {{
  const {{ data, setStateValue }} = component;
  const query = window.matchMedia("(max-width: {NARROW_PX}px)");
  let narrow = data.narrow;
  const report = () => {{
    if (query.matches !== narrow) {{
      narrow = query.matches;
      setStateValue("narrow", narrow);
    }}
  }};
  report();
  query.addEventListener("change", report);
  // Presenter mode only: whether the screen is a large one (its charts are then drawn larger).
  const big = window.matchMedia("(min-width: {LARGE_PX[0]}px) and (min-height: {LARGE_PX[1]}px)");
  let large = data.large;
  const reportLarge = () => {{
    if (data.watch_large && big.matches !== large) {{
      large = big.matches;
      setStateValue("large", large);
    }}
  }};
  reportLarge();
  big.addEventListener("change", reportLarge);
  // The address the page was opened with (the app rewrites the visible one as settings change).
  const opened = (performance.getEntriesByType("navigation")[0] || {{}}).name || window.location.href;
  const search = new URL(opened).search;
  const parts = search.length > 1 ? search.slice(1).split("&").length : 0;
  if (parts > {MAX_QUERY_PARTS} && data.dropped !== parts) setStateValue("dropped", parts);
  // Containers keyed "live_..." (the verdict) become polite live regions, so a screen reader
  // announces the new verdict after each change of weights.
  const tag = () => document.querySelectorAll('[class*="st-key-live_"]').forEach((el) => {{
    if (el.getAttribute("aria-live") !== "polite") {{
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      el.setAttribute("aria-atomic", "true");
    }}
  }});
  tag();
  const watcher = new MutationObserver(tag);
  watcher.observe(document.body, {{ childList: true, subtree: true }});
  return () => {{
    query.removeEventListener("change", report);
    big.removeEventListener("change", reportLarge);
    watcher.disconnect();
  }};
}}
"""

_PROBE = st.components.v2.component("dashboard_client_probe", js=_JS)


def _ignore() -> None:
    """Registers the component's values; the rerun that follows a report is all that is needed."""


def probe(watch_large: bool = False) -> None:
    """Mount the probe (hidden) and keep :data:`state.NARROW` in step with the screen; with
    ``watch_large`` (presenter mode), :data:`state.LARGE` too."""
    with st.container(key="client_probe"):
        result = _PROBE(
            key="client",
            data={
                "narrow": bool(st.session_state.get(state.NARROW)),
                "dropped": st.session_state.get(state.CLIENT_DROPPED),
                "large": st.session_state.get(state.LARGE),
                "watch_large": watch_large,
            },
            default={"narrow": None, "dropped": None, "large": None},
            on_narrow_change=_ignore,
            on_dropped_change=_ignore,
            on_large_change=_ignore,
            height=0,
        )
    narrow = result.get("narrow") if result is not None else None
    if narrow is not None:
        st.session_state[state.NARROW] = bool(narrow)
    large = result.get("large") if result is not None else None
    if large is not None:
        st.session_state[state.LARGE] = bool(large)
    dropped = result.get("dropped") if result is not None else None
    if dropped and st.session_state.get(state.CLIENT_DROPPED) != dropped:
        st.session_state[state.CLIENT_DROPPED] = dropped
        st.warning(
            f"The link had {int(dropped):,} parts, more than the {MAX_QUERY_PARTS:,} the server reads, so it was "
            "ignored and the dashboard opened with its starting settings.",
            icon=":material/link_off:",
        )


def large() -> bool:
    """True on a screen of at least :data:`LARGE_PX` (reported in presenter mode only)."""
    return bool(st.session_state.get(state.LARGE))


def narrow() -> bool:
    """True on a phone-sized screen (as last reported by the browser)."""
    return bool(st.session_state.get(state.NARROW))


# Proxies (a load balancer) whose X-Forwarded-For header is believed: a comma-separated list of addresses.
TRUSTED_PROXIES_VARIABLE = "DASHBOARD_TRUSTED_PROXIES"


def address() -> str:
    """The network address of the user's connection, for the seminar's limits (per client).

    Behind a trusted proxy (``DASHBOARD_TRUSTED_PROXIES``) the address the proxy saw, from the last entry of
    ``X-Forwarded-For`` (the one it appended); any other client's forwarding header is ignored, since a
    client may write anything there."""
    try:
        remote = st.context.ip_address
        forwarded = st.context.headers.get_all("X-Forwarded-For")
    except Exception:  # no connection
        remote, forwarded = None, []
    remote = remote if isinstance(remote, str) and remote else "127.0.0.1"  # None on loopback (or no browser)
    return client_address(remote, forwarded, os.environ.get(TRUSTED_PROXIES_VARIABLE, ""))


def client_address(remote: str, forwarded: list[str], trusted: str) -> str:
    """The client's address: ``remote``, or, when ``remote`` is a trusted proxy, the last hop it forwarded.

    HAProxy's ``option forwardfor`` (and nginx's ``$proxy_add_x_forwarded_for``) add the address they saw
    after whatever the client sent, as one more header line or one more comma-separated entry. Every line is
    read, in order: the last entry is the proxy's, and a phone that writes its own header cannot choose it."""
    proxies = {p.strip() for p in trusted.split(",") if p.strip()}
    if remote in proxies:
        hops = [h.strip() for line in forwarded if isinstance(line, str) for h in line.split(",") if h.strip()]
        if hops:
            return hops[-1]
    return remote
