"""The briefing as one self-contained HTML file: it opens offline in any browser and prints cleanly.

plotly.js is inlined once in the head (never fetched, never repeated per chart); every string from
the data or the user is escaped; nothing in the file loads anything from anywhere (its only links are
to the sources' own pages, followed only when a reader clicks one). Printed, or saved as PDF from the
browser, it gives the cover and one-page summary first, then a scene per page, then the quotes behind
every score shown and the sources, on A4 or US Letter alike: when printing starts, each chart is drawn
again at a width that fits both pages (:data:`PRINT_WIDTH_MM`), and back at the window's width after.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from functools import lru_cache
from itertools import groupby
from urllib.parse import urlsplit

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from charts.briefing import scene_figure
from charts.theme import PAPER
from core.briefing import NO_LINK, Briefing, CellQuotes, QuoteShown, Scene, count_quotes

CHART_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}
# The page's margins and the printed charts' largest size: 180 mm fits inside A4's printable width (210 - 2 x 14
# = 182 mm) and US Letter's (215.9 - 2 x 14 = 187.9 mm), so a chart drawn at it is never cut by the page; 240 mm
# fits inside both printable heights (269 and 251.4 mm), so a taller chart is never split across two pages.
PAGE_MARGIN_MM = 14
PRINT_WIDTH_MM = 180
PRINT_HEIGHT_MM = 240
PRINT_WIDTH_PX = int(PRINT_WIDTH_MM * 96 / 25.4)  # CSS pixels: 96 to the inch
PRINT_HEIGHT_PX = int(PRINT_HEIGHT_MM * 96 / 25.4)
_WEB_ADDRESS = re.compile(r"https?://[^\s\"'<>\\`]+", re.IGNORECASE)

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
.byline { font-size: 19px; margin: 0 0 4px 0; }
ol.sources li { margin-bottom: 4px; }
.quotes-section h3 { font-size: 20px; margin: 22px 0 4px 0; }
.cell { margin: 10px 0 14px 0; }
.cell h4 { font-size: 16px; margin: 0 0 4px 0; }
.cell .score { font-weight: normal; color: #4D4D4D; }
blockquote { margin: 6px 0 2px 18px; }
.cite { font-size: 14px; color: #4D4D4D; margin: 0 0 8px 18px; }
.against { font-weight: bold; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .summary { break-after: page; font-size: 9.5pt; line-height: 1.3; }
  .summary h1 { font-size: 17pt; margin-bottom: 2px; }
  .summary h2 { font-size: 12pt; margin: 9px 0 3px 0; }
  .summary .byline { font-size: 11pt; }
  .summary .meta { font-size: 8.5pt; margin: 2px 0; }
  .summary ul, .summary ol { margin: 2px 0; }
  .summary table { font-size: 8.5pt; margin: 4px 0; }
  .summary th, .summary td { padding: 1px 10px 1px 0; }
  .summary .note { font-size: 8.5pt; margin: 4px 0; }
  .scene { break-before: page; border-top: none; margin-top: 0; }
  .chart { width: PRINT_WIDTHmm; max-width: 100%; }
  .chart, table, li, blockquote, .cite, .cell h4 { break-inside: avoid; }
  .cell h4, .quotes-section h3 { break-after: avoid; }
  .quotes-section, .sources-section { break-before: page; }
  .quotes-section { font-size: 10pt; }
  .cite, ol.sources { font-size: 9pt; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: PAGE_MARGINmm; }
""".replace("PRINT_WIDTH", str(PRINT_WIDTH_MM)).replace("PAGE_MARGIN", str(PAGE_MARGIN_MM))

# Printing lays the page out at the paper's width, but a plotly chart keeps the width it was drawn at:
# wider than the paper, its labels were cut ("2023" became "20"). So every chart is drawn again at the
# print width (and, if taller than a page, at the print height) when printing starts (browsers send
# "beforeprint"), narrower still if the printed page's column is (the print media query then applies),
# and at the window's width and its own height again after (it stays responsive).
_PRINT_SCRIPT = """<script>(function(){
var WIDTH=PRINT_WIDTH, HEIGHT=PRINT_HEIGHT, query=window.matchMedia('print'), fitted=false;
function charts(){return Array.prototype.slice.call(document.querySelectorAll('.chart.js-plotly-plot'));}
function fit(){fitted=true;charts().forEach(function(gd){
var box=gd.parentElement.getBoundingClientRect().width,change={},h=gd.layout.height,
w=query.matches&&box>0?Math.min(WIDTH,Math.floor(box)):WIDTH;
if(gd.layout.width!==w){change.width=w;}
if(h>HEIGHT&&!gd.hasAttribute('data-screen-height')){gd.setAttribute('data-screen-height',h);change.height=HEIGHT;}
if(change.width||change.height){Plotly.relayout(gd,change);}});}
function free(){if(!fitted||query.matches)return;fitted=false;charts().forEach(function(gd){
var change={width:null,autosize:true},h=gd.getAttribute('data-screen-height');
if(h){change.height=Number(h);gd.removeAttribute('data-screen-height');}Plotly.relayout(gd,change);});}
window.addEventListener('beforeprint',fit);window.addEventListener('afterprint',free);
var change=function(e){if(e.matches){fit();}else{free();}};
if(query.addEventListener){query.addEventListener('change',change);}else{query.addListener(change);}
if(query.matches){fit();}
})();</script>""".replace("PRINT_WIDTH", str(PRINT_WIDTH_PX)).replace("PRINT_HEIGHT", str(PRINT_HEIGHT_PX))


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    """plotly.js as shipped with plotly (about 4.7 MB), read once per process."""
    return get_plotlyjs().replace("</script>", "<\\/script>")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def web_address(url: object) -> str:
    """``url`` if it is a plain http(s) address of a host, else "" (then it is shown as text, never linked)."""
    text = str(url or "")
    if not _WEB_ADDRESS.fullmatch(text):
        return ""
    try:
        return text if urlsplit(text).hostname else ""
    except ValueError:
        return ""


def _link(url: object, text: object | None = None) -> str:
    """A link to a web page when ``url`` is one, with ``text`` (the address itself by default); otherwise the
    text, escaped."""
    address = web_address(url)
    shown = _e(url if text is None else text)
    if not address:
        return shown
    return f'<a href="{_e(address)}" rel="noopener noreferrer">{shown}</a>'


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
    number = {sid: k + 1 for k, (sid, _c, _u) in enumerate(briefing.listed_sources)}
    parts = [*_head(briefing), *_summary_section(briefing, link=link, made=made)]
    for index, (scene, fig) in enumerate(zip(briefing.scenes, figures, strict=True)):
        parts += _scene_section(scene, fig, index, number)
    parts += [*_quotes_section(briefing, number), *_sources_section(briefing), _PRINT_SCRIPT, "</body></html>"]
    return "\n".join(parts)


def _head(briefing: Briefing) -> list[str]:
    """The document's head: its title (the cover's), the style sheet and plotly.js, inlined."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(briefing.cover.title)}</title>",
        f"<style>{_STYLE}</style>",
        f"<script>{_plotly_js()}</script>",
        "</head><body>",
    ]


def _summary_section(briefing: Briefing, *, link: str, made: str) -> list[str]:
    """The cover and one-page summary: the title, who presents it and when, the briefing in brief, the scenes
    that follow, the weights and the settings, and the link back to the app (or why there is none)."""
    summaries = "".join(f"<li>{_e(line)}</li>" for line in briefing.summary)
    contents = "".join(
        f'<li><a href="#scene-{_e(scene.scene_id)}">{_e(scene.headline)}</a></li>' for scene in briefing.scenes
    )
    weights = "".join(f"<tr><td>{_e(name)}</td><td>{share:g}%</td></tr>" for name, share in briefing.weights)
    settings = "".join(f"<tr><td>{_e(what)}</td><td>{_e(value)}</td></tr>" for what, value in briefing.settings)
    cover = briefing.cover
    byline = cover.byline()
    made_on = f" (file made {_e(made)})" if cover.dated(made) != made else ""
    back = f'Open this view in the app: <span class="link">{_link(link)}</span>' if link else _e(NO_LINK)
    return [
        '<section class="summary" aria-label="Cover and one-page summary">',
        f"<h1>{_e(cover.title)}</h1>",
        *([f'<p class="byline">{_e(byline)}</p>'] if byline else []),
        f'<p class="meta"><time>{_e(cover.dated(made))}</time>{made_on} · {_e(briefing.stamp)} · '
        f"{_e(briefing.evidence_view)}</p>",
        "<h2>In brief</h2>",
        f"<ul>{summaries}</ul>",
        "<h2>The scenes that follow</h2>",
        f"<ol>{contents}</ol>",
        "<h2>The weights used</h2>",
        "<table><thead><tr><th>Criterion</th><th>Share of the weight</th></tr></thead>",
        f"<tbody>{weights}</tbody></table>",
        f"<table><tbody>{settings}</tbody></table>",
        f'<p class="note">{_e(briefing.caveat)}</p>',
        f'<p class="meta link-back">{back}</p>',
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
    notes = [n for n in scene.notes if not (fig is not None and n == scene.chart_summary)]  # said once
    if notes:
        parts.append("".join(f'<p class="note">{_e(n)}</p>' for n in notes))
    if scene.sources:
        notes = "".join(
            f'<sup><a href="#source-{number[sid]}">[{number[sid]}]</a></sup>'
            for sid in scene.source_ids
            if sid in number
        )
        parts.append(f'<p class="caption">Source: {_e("; ".join(scene.sources))} {notes}</p>')
    parts.append("</section>")
    return parts


def _quote_block(quote: QuoteShown, number: dict[str, int]) -> str:
    """A quote (or a marked summary), then who said it, where, its source linked to the publisher's page with
    the source's date, and whether it came after the article."""
    words = f"\u201c{_e(quote.text)}\u201d" if quote.verbatim else f"Summary, not a quotation: {_e(quote.text)}"
    against = '<span class="against">Against this score:</span> ' if quote.against else ""
    kind = ' class="against"' if quote.against else ""
    who = f"{_e(quote.speaker)}. " if quote.speaker else ""
    where = f"; {_e(quote.locator)}" if quote.locator else ""
    n = number.get(quote.source_id)
    note = f' <sup><a href="#source-{n}">[{n}]</a></sup>' if n else ""
    later = " <strong>\u2020 After the article (March 2022).</strong>" if quote.later else ""
    caveat = f" Caveat: {_e(quote.caveat)}" if quote.caveat else ""
    return (
        f'<blockquote data-quote="{_e(quote.quote_id)}"{kind}>{against}{words}</blockquote>'
        f'<p class="cite">{who}{_link(quote.url, quote.source)}{where}.{note}{later}{caveat}</p>'
    )


def _cell_block(cell: CellQuotes, number: dict[str, int]) -> str:
    note = f'<p class="note">{_e(cell.note)}</p>' if cell.note else ""
    quotes = "".join(_quote_block(q, number) for q in cell.quotes)
    return (
        f'<div class="cell"><h4>{_e(cell.criterion)}: <span class="score">{_e(cell.score)}</span></h4>'
        f"{note}{quotes}</div>"
    )


def _quotes_section(briefing: Briefing, number: dict[str, int]) -> list[str]:
    """The appendix: every score shown, by option and criterion, with the quotes behind it and their sources."""
    if not briefing.quotes:
        return []
    shown = count_quotes(briefing.quotes)
    more = f", and {shown.against} more against them" if shown.against else ""
    parts = [
        '<section class="quotes-section" id="quotes" aria-label="Appendix: the quotes behind the scores">',
        "<h2>Appendix: the quotes behind the scores</h2>",
        f'<p class="note">Every score shown, by option and criterion, with the {shown.behind} quotes behind the '
        f"scores{more}, each with its source ({shown.sources} sources, {shown.linked} with a link to the "
        "publisher's page). Scores run from 0 to 4; each is our reading of its quotes, not a number any source "
        "gives.</p>",
    ]
    for option, cells in groupby(briefing.quotes, key=lambda c: c.option):
        parts.append(f"<h3>{_e(option)}</h3>")
        parts += [_cell_block(cell, number) for cell in cells]
    parts.append("</section>")
    return parts


def _sources_section(briefing: Briefing) -> list[str]:
    """The numbered sources the footnotes and the quotes point at, each once, linked to its own page."""
    sources = "".join(
        f'<li id="source-{k + 1}">{_e(citation)}'
        + (f' <span class="link">{_link(url)}</span>' if url else "")
        + "</li>"
        for k, (_sid, citation, url) in enumerate(briefing.listed_sources)
    )
    return [
        '<section class="sources-section" id="sources">',
        "<h2>Sources</h2>",
        f'<ol class="sources">{sources}</ol>',
        f'<p class="note">Sources, and quotes, dated after March 2022 (the article\'s date) are marked as such. '
        f"{_e(briefing.stamp)}.</p>",
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
    figures = [scene_figure(scene, PAPER) for scene in briefing.scenes]
    return fingerprinted(briefing_html(briefing, figures, link=link, made=made)).encode("utf-8")
