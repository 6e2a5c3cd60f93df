"""The briefing as a PowerPoint deck (python-pptx), 16:9: a title slide, "In brief", a slide per scene, the
sources.

The title slide carries the briefer's title, name, organisation and date (the scenario's cover settings).
Each scene's slide has its headline as the title, its points under it and its chart under them, drawn by
kaleido (see :mod:`exports.images`) at a size that makes the chart's smallest text at least
:data:`CHART_PT` points on the slide. Its notes give the briefer two or three talking points, then the data
and the sources. The last slides list the sources at :data:`SOURCES_PT` points (as many slides as they
take), the weights and settings, when and from which evidence, and the link back to the app when a
public address is configured (:data:`core.briefing.NO_LINK` says how to set one otherwise).
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from dataclasses import dataclass
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from charts.briefing import scene_figure
from charts.theme import PROJECTOR, wrap_lines
from core.briefing import NO_LINK, Briefing, Scene
from exports.images import png

WIDE = (Inches(13.333), Inches(7.5))  # 16:9
MARGIN = Inches(0.5)
TOP = Inches(0.3)
GAP = Inches(0.1)
FOOTER_ROOM = Inches(0.55)  # the footer line and the margin under it
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x4D, 0x4D, 0x4D)
LINK_BLUE = RGBColor(0x00, 0x5A, 0x9C)

TITLE_PT, POINTS_PT, TEXT_SLIDE_PT = 28, 18, 24
COVER_TITLE_PT, COVER_BYLINE_PT, COVER_DATE_PT = 40, 28, 24
CHART_PT = 18  # the smallest chart text on a slide, in points: readable on a 16:9 slide across a room
SOURCES_PT = 14  # the sources and settings: read close up, or printed
FOOTER_PT = 14
PICTURE_SCALE = 2  # device pixels per CSS pixel of a chart picture: sharp on a 4K projector
LEGEND_CHARS = 38  # letters to a line of a legend beside a chart
MIN_CHART_IN = 4.5  # inches of height a chart keeps; points that would leave it less go to the notes
SUBJECT = (
    "The policy options of the Brookings report on China's role in the fentanyl supply (March 2022), weighed "
    "against the tradeoffs its sources state"
)


def _height(lines: list[str], size: int, width: Emu, bold: bool = False) -> Emu:
    """The height that ``lines`` of ``size`` points need across ``width``, wrapped: an estimate on the safe side
    (an average letter taken as 0.55 em wide, 0.65 em in bold, lines 1.2 em apart), as a deck has no layout
    engine of its own. The rendered deck is checked against it (LibreOffice, in the tests)."""
    inner = width - Inches(0.2)  # the text frame's own left and right insets
    per_line = max(1, int(inner / Pt(size * (0.65 if bold else 0.55))))
    rows = sum(_rows(line, per_line) for line in lines)
    return Emu(int(Pt(size * 1.2) * rows + Inches(0.15)))


def _rows(line: str, per_line: int) -> int:
    """Lines that ``line`` takes when wrapped at word boundaries, ``per_line`` letters to a line."""
    return max(1, len(textwrap.wrap(line, per_line, break_long_words=True, break_on_hyphens=False)))


def _fitting(lines: list[str], width: Emu, room: Emu, largest: int = TEXT_SLIDE_PT, smallest: int = POINTS_PT) -> int:
    """The largest type, from ``largest`` down to ``smallest``, at which ``lines`` fit ``room``."""
    for size in range(largest, smallest, -1):
        if _height(lines, size, width) <= room:
            return size
    return smallest


def _text(frame, lines: list[str], size: int, bold: bool = False, colour: RGBColor = INK) -> None:
    frame.word_wrap = True
    for k, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour


def _box(slide, name: str, top: Emu, lines: list[str], size: int, *, bold: bool = False, colour: RGBColor = INK):  # noqa: PLR0913
    """A text box across the slide at ``top``, as tall as ``lines`` need; returns its bottom edge."""
    width = WIDE[0] - 2 * MARGIN
    height = _height(lines, size, width, bold)
    box = slide.shapes.add_textbox(MARGIN, top, width, height)
    box.name = name
    _text(box.text_frame, lines, size, bold, colour)
    return top + height


def _blank(deck):
    return deck.slides.add_slide(deck.slide_layouts[6])


# --------------------------------------------------------------------------- the charts
def smallest_font(spec: Any) -> float:
    """The smallest text size (px) anywhere in a figure's dict: fonts of the layout, template, axes, legend,
    annotations and traces (a list of sizes counts each)."""
    found: list[float] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key.endswith("font") and isinstance(value, dict) and "size" in value:
                    size = value["size"]
                    found.extend(float(s) for s in (size if isinstance(size, list) else [size]))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return min(found) if found else float(PROJECTOR.small)


def needed_height_px(spec: dict) -> float:
    """The height (CSS px) a chart needs so that plotly labels every row of a category axis instead of every
    other one: two lines of its smallest type a row, and the room of a heatmap's column headings."""
    rows, heading = 0, 0
    for trace in spec.get("data", []):
        if trace.get("type") == "bar" and trace.get("orientation") == "h":
            rows = max(rows, len(set(map(str, trace.get("y") or []))))
        elif trace.get("type") == "heatmap":
            rows, heading = max(rows, len(trace.get("y") or [])), 150
    return rows * 2 * smallest_font(spec) + heading + 20 if rows else 0.0


@dataclass(frozen=True)
class Chart:
    """A scene's chart as the deck draws it: the figure and its size in CSS pixels, for a box of ``inches``."""

    spec: dict
    width_px: int
    height_px: int


def deck_spec(scene: Scene) -> dict | None:
    """The scene's chart as the deck draws it (None for a scene of text)."""
    fig = scene_figure(scene, PROJECTOR, fill=True)
    if fig is None:
        return None
    spec = fig.to_dict()
    legend = spec["layout"].get("legend")
    if isinstance(legend, dict) and legend.get("orientation") == "v":
        # Beside the plot, its entries wrapped: a slide is wide and short, and a column of long entries above
        # the plot would squeeze it flat.
        legend = {**legend, "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"}
        data = [
            {**t, "name": "<br>".join(wrap_lines(str(t["name"]).replace("<br>", " "), LEGEND_CHARS))}
            if isinstance(t.get("name"), str)
            else t
            for t in spec["data"]
        ]
        spec = {"data": data, "layout": {**spec["layout"], "legend": legend}}
    return spec


def px_per_inch(spec: dict) -> float:
    """CSS pixels to an inch of the slide that make the chart's smallest text :data:`CHART_PT` points."""
    return smallest_font(spec) * 72 / CHART_PT


def sized(spec: dict, box: tuple[float, float]) -> Chart:
    """``spec`` laid out for a picture of ``box`` = (width, height) inches on the slide."""
    per_inch = px_per_inch(spec)
    return Chart(spec, round(box[0] * per_inch), round(box[1] * per_inch))


def chart_for(scene: Scene, box: tuple[float, float]) -> Chart | None:
    """The scene's chart laid out for a picture of ``box`` inches on the slide (None for a scene of text)."""
    spec = deck_spec(scene)
    return None if spec is None else sized(spec, box)


# --------------------------------------------------------------------------- the slides
def talking_points(scene: Scene) -> list[str]:
    """Two or three things to say: the headline, then the scene's first points."""
    return [scene.headline, *scene.points[:2]]


def _notes(scene: Scene, caveat: str, moved: list[str]) -> str:
    says = [f"{k + 1}. {point}" for k, point in enumerate(talking_points(scene))]
    parts = ["Talking points:", *says]
    data = [*moved, *scene.notes]
    if scene.chart_summary:
        data.append(f"The chart in words: {scene.chart_summary}")
    if data:
        parts += ["", "The data:", *data]
    if scene.sources:
        parts += ["", "Source: " + "; ".join(scene.sources)]
    parts += ["", caveat]
    return "\n".join(parts)


def _footer(deck, slide, text: str) -> None:
    width = deck.slide_width - 2 * MARGIN
    footer = slide.shapes.add_textbox(MARGIN, deck.slide_height - Inches(0.5), width, Inches(0.4))
    footer.name = "Footer"
    _text(footer.text_frame, [text], FOOTER_PT, colour=MUTED)


def _cover_slide(deck, briefing: Briefing, *, link: str, made: str) -> None:
    """The title slide: the briefer's title, name and organisation, the date, and what the deck rests on,
    centred on the slide; the largest type at which all of it fits."""
    cover = briefing.cover
    about = [
        f"Options from the Brookings report (March 2022), weighed with {briefing.evidence_view.lower()}. "
        f"{briefing.stamp}.",
        briefing.caveat,
    ]
    blocks = [  # (name, lines, size, bold, colour, space after)
        ("Title", [cover.title], COVER_TITLE_PT, True, INK, GAP),
        ("Byline", [cover.byline()] if cover.byline() else [], COVER_BYLINE_PT, False, INK, GAP),
        ("Date", [cover.dated(made)], COVER_DATE_PT, False, INK, Inches(0.35)),
        ("About", about, SOURCES_PT + 2, False, MUTED, GAP),
        ("Link", [f"Open this briefing in the app: {link}" if link else NO_LINK], SOURCES_PT, False, MUTED, 0),
    ]
    width, room = deck.slide_width - 2 * MARGIN, deck.slide_height - 2 * Inches(0.4)
    for shrink in (0, 4, 8, 12, 16):  # points off the title, the byline and the date, until it fits
        sized = [
            (n, lines, size - shrink if size > SOURCES_PT + 2 else size, *rest) for n, lines, size, *rest in blocks
        ]
        total = sum(_height(lines, size, width, bold) + after for _n, lines, size, bold, _c, after in sized if lines)
        if total <= room:
            break
    slide = _blank(deck)
    top = Emu(max(Inches(0.4), int((deck.slide_height - total) / 2)))
    for name, lines, size, bold, colour, after in sized:
        if lines:
            top = _box(slide, name, top, lines, size, bold=bold, colour=colour) + after
    slide.notes_slide.notes_text_frame.text = "\n".join(
        ["Talking points:", f"1. {cover.title}", f"2. {briefing.caveat}"]
    )


def _in_brief_slide(deck, briefing: Briefing, number: str) -> None:
    """What a reader must take away whatever scenes follow: the verdict, what the leader adds over doing
    nothing new, how sure, what would change it, and whether the methods agree."""
    slide = _blank(deck)
    top = _box(slide, "Title", TOP, ["In brief"], TITLE_PT, bold=True) + GAP
    lines = [f"• {line}" for line in briefing.summary]
    width = deck.slide_width - 2 * MARGIN
    size = _fitting(lines, width, deck.slide_height - top - FOOTER_ROOM)
    _box(slide, "Points", top, lines, size)
    _footer(deck, slide, number)
    says = [f"{k + 1}. {line}" for k, line in enumerate(briefing.summary[:3])]
    slide.notes_slide.notes_text_frame.text = "\n".join(["Talking points:", *says, "", briefing.caveat])


def _scene_slide(deck, scene: Scene, number: str, caveat: str) -> Chart | None:
    """A slide with the scene's headline, its points under it and its chart under them, one under another;
    returns the chart as drawn (None for a scene of text)."""
    slide = _blank(deck)
    width = deck.slide_width - 2 * MARGIN
    top = _box(slide, "Title", TOP, [scene.headline], TITLE_PT, bold=True) + GAP
    lines = [f"• {p}" for p in scene.points]
    moved: list[str] = []
    spec = deck_spec(scene)
    has_chart = spec is not None
    if has_chart:
        # Points that would leave the chart less than it needs (every row labelled, and MIN_CHART_IN) go to the
        # notes.
        need = max(Inches(MIN_CHART_IN), int(needed_height_px(spec) / px_per_inch(spec) * 914400))
        while lines and deck.slide_height - top - _height(lines, POINTS_PT, width) - GAP - FOOTER_ROOM < need:
            moved.insert(0, lines.pop()[2:])
    if lines:
        room = deck.slide_height - top - FOOTER_ROOM
        size = POINTS_PT if has_chart else _fitting(lines, width, room)
        top = _box(slide, "Points", top, lines, size) + GAP
    chart = None
    if has_chart:
        box = (width / 914400, (deck.slide_height - top - FOOTER_ROOM) / 914400)
        chart = sized(spec, box)
        image = png(chart.spec, chart.width_px, chart.height_px, scale=PICTURE_SCALE)
        picture = slide.shapes.add_picture(io.BytesIO(image), MARGIN, top, width=Inches(box[0]))
        picture.name = "Chart"
        picture._element.nvPicPr.cNvPr.set("descr", scene.chart_summary[:1000])  # the picture's alt text
    _footer(deck, slide, number)
    slide.notes_slide.notes_text_frame.text = _notes(scene, caveat, moved)
    return chart


def _sources_lines(briefing: Briefing, *, link: str, made: str) -> list[tuple[str, str]]:
    """The sources slides' lines as (text, link address or "")."""
    lines = [
        (f"{k + 1}. {citation}" + (f" {url}" if url else ""), url if url.startswith(("http://", "https://")) else "")
        for k, (_sid, citation, url) in enumerate(briefing.sources)
    ]
    weights = "Weights: " + ", ".join(f"{name} {share:g}%" for name, share in briefing.weights)
    settings = "; ".join(f"{what}: {value}" for what, value in briefing.settings)
    made_line = f"Made {made} · {briefing.stamp} · {briefing.evidence_view}"
    back = (f"Open this briefing in the app: {link}", link) if link else (NO_LINK, "")
    return [*lines, (weights, ""), (settings, ""), (made_line, ""), back]


def _sources_slides(deck, briefing: Briefing, *, link: str, made: str) -> None:
    """The sources, the weights and settings, the date and the link, at :data:`SOURCES_PT`, on as many slides
    as they need."""
    width = deck.slide_width - 2 * MARGIN
    title_height = _height(["Sources (continued)"], TITLE_PT, width, bold=True)
    room = deck.slide_height - TOP - title_height - GAP - Inches(0.3)
    pages: list[list[tuple[str, str]]] = [[]]
    for line in _sources_lines(briefing, link=link, made=made):
        if pages[-1] and _height([t for t, _ in [*pages[-1], line]], SOURCES_PT, width) > room:
            pages.append([])
        pages[-1].append(line)
    for k, page in enumerate(pages):
        slide = _blank(deck)
        heading = "Sources" if k == 0 else "Sources (continued)"
        top = _box(slide, "Title", TOP, [heading], TITLE_PT, bold=True) + GAP
        body = slide.shapes.add_textbox(MARGIN, top, width, _height([t for t, _ in page], SOURCES_PT, width))
        body.name = "Sources"
        _text(body.text_frame, [t for t, _ in page], SOURCES_PT)
        for paragraph, (_text_line, address) in zip(body.text_frame.paragraphs, page, strict=True):
            if address:
                paragraph.runs[0].hyperlink.address = address
        slide.notes_slide.notes_text_frame.text = "\n".join(t for t, _ in page)


def _properties(deck, briefing: Briefing, now: dt.datetime) -> None:
    """The file's own properties, as a file manager and PowerPoint's Info pane show them."""
    props = deck.core_properties
    props.title = briefing.cover.title[:255]
    props.author = (briefing.cover.byline() or "Fentanyl policy options dashboard")[:255]
    props.last_modified_by = props.author
    props.subject = SUBJECT
    props.keywords = "fentanyl; precursors; China; policy options; Brookings"
    props.comments = f"{briefing.stamp}; {briefing.evidence_view}"
    props.created = props.modified = now.replace(tzinfo=None, microsecond=0)
    props.revision = 1


def briefing_deck(briefing: Briefing, *, link: str, made: str, now: dt.datetime | None = None) -> bytes:
    """The deck as .pptx bytes, its charts drawn by the process's one kaleido browser. ``link`` is the public
    link back to the app ("" when none is configured), ``made`` the day in words."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE
    _properties(deck, briefing, now or dt.datetime.now(dt.UTC))
    _cover_slide(deck, briefing, link=link, made=made)
    total = len(briefing.scenes) + 1
    _in_brief_slide(deck, briefing, f"1 / {total} · {briefing.stamp}")
    for index, scene in enumerate(briefing.scenes):
        _scene_slide(deck, scene, f"{index + 2} / {total} · {briefing.stamp}", briefing.caveat)
    _sources_slides(deck, briefing, link=link, made=made)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
