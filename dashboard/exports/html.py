"""The briefing as one self-contained HTML file: it opens offline in any browser and prints cleanly.

plotly.js is inlined once in the head (never fetched, never repeated per chart); every string from
the data or the user is escaped; nothing in the file loads anything from anywhere. Printed, or saved
as PDF from the browser, it gives the one-page summary first, then a scene per page, on A4 or US
Letter alike (the page size is the printer's).
"""

from __future__ import annotations

import hashlib
import html
import json
from functools import lru_cache

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from charts.briefing import scene_figure
from charts.theme import DESK
from core.briefing import Briefing, Scene

TITLE = "Fentanyl precursors from China: weighing the policy options"
CHART_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}

_STYLE = """
:root { color-scheme: light; }
body { font-family: "Source Sans Pro", Arial, sans-serif; color: #1A1A1A; background: #FFFFFF;
       max-width: 1100px; margin: 0 auto; padding: 24px; line-height: 1.45; font-size: 17px; }
h1 { font-size: 30px; margin: 0 0 8px 0; }
h2 { font-size: 24px; margin: 28px 0 8px 0; }
.meta, .note, .caption { color: #4D4D4D; }
.meta { font-size: 15px; }
.link { word-break: break-all; font-family: monospace; font-size: 13px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { text-align: left; padding: 3px 12px 3px 0; border-bottom: 1px solid #D0D0D0; }
.scene { border-top: 2px solid #1A1A1A; margin-top: 32px; }
.scene .kicker { text-transform: uppercase; letter-spacing: 0.05em; font-size: 13px; color: #4D4D4D; margin-top: 12px; }
.chart { width: 100%; }
.caption { font-size: 14px; }
ol.sources li { margin-bottom: 4px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .summary { break-after: page; }
  .scene { break-before: page; border-top: none; margin-top: 0; }
  .chart, table, li { break-inside: avoid; }
  .sources-section { break-before: page; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 14mm; }
"""


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    """plotly.js as shipped with plotly (about 4.7 MB), read once per process."""
    return get_plotlyjs().replace("</script>", "<\\/script>")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _chart_div(fig: go.Figure, index: int) -> str:
    """A chart's div and the script that draws it with the plotly.js in the head (nothing fetched)."""
    spec = fig.to_dict()
    payload = json.dumps({"data": spec["data"], "layout": spec["layout"], "config": CHART_CONFIG}, default=str)
    payload = payload.replace("</", "<\\/")  # no text in the data can close the script
    div = f"chart-{index}"
    return (
        f'<div class="chart" id="{div}" role="img"></div>\n'
        f"<script>(function(){{var f={payload};Plotly.newPlot('{div}',f.data,f.layout,f.config);}})();</script>"
    )


def briefing_html(briefing: Briefing, figures: list[go.Figure | None], *, link: str, made: str) -> str:
    """The briefing as one HTML document; ``figures`` are the scenes' charts in order (None for text scenes)."""
    number = {sid: k + 1 for k, (sid, _c, _u) in enumerate(briefing.sources)}
    parts = [*_head(), *_summary_section(briefing, link=link, made=made)]
    for index, (scene, fig) in enumerate(zip(briefing.scenes, figures, strict=True)):
        parts += _scene_section(scene, fig, index, number)
    parts += [*_sources_section(briefing), "</body></html>"]
    return "\n".join(parts)


def _head() -> list[str]:
    """The document's head: its title, the style sheet and plotly.js, inlined."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(TITLE)}</title>",
        f"<style>{_STYLE}</style>",
        f"<script>{_plotly_js()}</script>",
        "</head><body>",
    ]


def _summary_section(briefing: Briefing, *, link: str, made: str) -> list[str]:
    """The one-page summary: the briefing in brief, the scenes that follow, the weights and the settings."""
    summaries = "".join(f"<li>{_e(line)}</li>" for line in briefing.summary)
    contents = "".join(
        f'<li><a href="#scene-{_e(scene.scene_id)}">{_e(scene.headline)}</a></li>' for scene in briefing.scenes
    )
    weights = "".join(f"<tr><td>{_e(name)}</td><td>{share:g}%</td></tr>" for name, share in briefing.weights)
    settings = "".join(f"<tr><td>{_e(what)}</td><td>{_e(value)}</td></tr>" for what, value in briefing.settings)
    return [
        '<section class="summary" aria-label="One-page summary">',
        f"<h1>{_e(TITLE)}</h1>",
        f'<p class="meta">Briefing made {_e(made)} · {_e(briefing.stamp)} · {_e(briefing.evidence_view)}</p>',
        "<h2>In brief</h2>",
        f"<ul>{summaries}</ul>",
        "<h2>The scenes that follow</h2>",
        f"<ol>{contents}</ol>",
        "<h2>The weights used</h2>",
        "<table><thead><tr><th>Criterion</th><th>Share of the weight</th></tr></thead>",
        f"<tbody>{weights}</tbody></table>",
        f"<table><tbody>{settings}</tbody></table>",
        f'<p class="note">{_e(briefing.caveat)}</p>',
        f'<p class="meta">Open this view in the app: <span class="link">{_e(link)}</span></p>',
        "</section>",
    ]


def _scene_section(scene: Scene, fig: go.Figure | None, index: int, number: dict[str, int]) -> list[str]:
    """A scene: its headline, points, chart and its words, notes, and sources with their footnote numbers."""
    parts = [
        f'<section class="scene" id="scene-{_e(scene.scene_id)}">',
        f'<p class="kicker">{index + 1}. {_e(scene.name)}</p>',
        f"<h2>{_e(scene.headline)}</h2>",
    ]
    if scene.points:
        parts.append("<ul>" + "".join(f"<li>{_e(p)}</li>" for p in scene.points) + "</ul>")
    if fig is not None:
        parts.append(_chart_div(fig, index))
        parts.append(f'<p class="caption">{_e(scene.chart_summary)}</p>')
    if scene.notes:
        parts.append("".join(f'<p class="note">{_e(n)}</p>' for n in scene.notes))
    if scene.sources:
        notes = "".join(
            f'<sup><a href="#source-{number[sid]}">[{number[sid]}]</a></sup>'
            for sid in scene.source_ids
            if sid in number
        )
        parts.append(f'<p class="caption">Source: {_e("; ".join(scene.sources))} {notes}</p>')
    parts.append("</section>")
    return parts


def _sources_section(briefing: Briefing) -> list[str]:
    """The numbered sources the footnotes point at."""
    sources = "".join(
        f'<li id="source-{k + 1}">{_e(citation)}' + (f' <span class="link">{_e(url)}</span>' if url else "") + "</li>"
        for k, (_sid, citation, url) in enumerate(briefing.sources)
    )
    return [
        '<section class="sources-section">',
        "<h2>Sources</h2>",
        f'<ol class="sources">{sources}</ol>',
        f"<p class=\"note\">Every score's own quotes, with their sources, are in the app's evidence cards. "
        f"{_e(briefing.stamp)}. Facts dated after March 2022 are marked as such.</p>",
        "</section>",
    ]


def fingerprinted(page: str) -> str:
    """``page`` with the SHA-256 of its whole text written near its start.

    The file is mostly plotly.js, the same in every briefing: a server that tells large files apart by
    their length and a few samples (Streamlit's media store does) would otherwise take two briefings of
    the same length for one, and hand one user's file to another. The fingerprint makes the start differ
    whenever anything in the file does."""
    digest = hashlib.sha256(page.encode("utf-8")).hexdigest()
    head, sep, rest = page.partition("\n")
    return f"{head}{sep}<!-- content sha256:{digest} -->\n{rest}"


def briefing_file(briefing: Briefing, *, link: str, made: str) -> bytes:
    """The HTML briefing, its charts drawn in the desk look (it is read on a screen or on paper), as UTF-8."""
    figures = [scene_figure(scene, DESK) for scene in briefing.scenes]
    return fingerprinted(briefing_html(briefing, figures, link=link, made=made)).encode("utf-8")
