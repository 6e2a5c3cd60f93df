"""A scene's chart as a 1920x1080 picture that says where it came from: its headline drawn above the chart,
and under it the source, the date, the evidence edition, the link back (when one is configured) and a key
to the marks (†, °, ✎) the chart uses. The same facts, and the scenario to load it again, ride in the
file's text chunks for programs that read them.

The chart and the bands around it are each drawn by kaleido (the same browser, the same fonts) and put
together with Pillow.
"""

from __future__ import annotations

import io
import json

from PIL import Image
from PIL.PngImagePlugin import PngInfo

from charts.briefing import scene_figure
from charts.theme import INK, MUTED, PROJECTOR_LARGE, plain, wrap_lines
from core.briefing import Scene
from exports.images import png

SIZE = (1920, 1080)
SIDE = 64  # px left and right of the bands' text
TITLE_PX, FOOT_PX = 44, 26  # type sizes of the headline and of the lines under the chart
TITLE_CHARS, FOOT_CHARS = 78, 128  # characters to a line at those sizes across the picture
MAX_TITLE_LINES = 3
# What each mark in a chart means (core.ranking_words' words for them).
MARKS = {
    "†": "† rests on evidence from after the article (March 2022)",
    "°": "° no source speaks to it: our judgement",
    "✎": "✎ a score the briefer changed",
}


def marks_used(spec: dict) -> list[str]:
    """The keys of the marks that appear anywhere in the chart's text."""
    text = json.dumps(spec, ensure_ascii=False)
    return [words for mark, words in MARKS.items() if mark in text]


def title_lines(headline: str) -> list[str]:
    lines = wrap_lines(headline, TITLE_CHARS)
    if len(lines) > MAX_TITLE_LINES:
        lines = [*lines[: MAX_TITLE_LINES - 1], " ".join(lines[MAX_TITLE_LINES - 1 :])[: TITLE_CHARS - 1] + "…"]
    return lines


def foot_lines(scene: Scene, spec: dict, about: dict[str, str]) -> list[str]:
    """The lines under the chart: the source, when it was made and from which evidence, the link, the key."""
    lines = wrap_lines("Source: " + "; ".join(scene.sources), FOOT_CHARS) if scene.sources else []
    made = " · ".join(part for part in (about.get("Creation Time"), about.get("Evidence")) if part)
    if made:
        lines += wrap_lines(f"Made {made}", FOOT_CHARS)
    if about.get("URL"):
        lines += wrap_lines(f"In the app: {about['URL']}", FOOT_CHARS)
    key = marks_used(spec)
    if key:
        lines += wrap_lines("  ·  ".join(key), FOOT_CHARS)
    return lines


def _band(lines: list[str], size: int, colour: str, height: int, bold: bool = False) -> dict:
    """A blank figure of the picture's width with ``lines`` written from its top left."""
    text = "<br>".join(f"<b>{plain(line)}</b>" if bold else plain(line) for line in lines)
    return {
        "data": [],
        "layout": {
            "width": SIZE[0],
            "height": height,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "xaxis": {"visible": False, "range": [0, 1]},
            "yaxis": {"visible": False, "range": [0, 1]},
            "annotations": [
                {
                    "text": text,
                    "x": SIDE / SIZE[0],
                    "y": 1 - 16 / height,
                    "xref": "paper",
                    "yref": "paper",
                    "xanchor": "left",
                    "yanchor": "top",
                    "align": "left",
                    "showarrow": False,
                    "font": {"size": size, "color": colour, "family": "Source Sans Pro, Arial, sans-serif"},
                }
            ],
        },
    }


def band_heights(title: list[str], foot: list[str]) -> tuple[int, int]:
    """The heights (px) of the title band above the chart and of the band under it."""
    return round(len(title) * TITLE_PX * 1.3 + 36), round(len(foot) * FOOT_PX * 1.35 + 28)


def scene_png(scene: Scene, about: dict[str, str] | None = None) -> bytes:
    """A scene's chart as a 1920x1080 PNG in the large projector look, its headline drawn above it and its
    source, date, evidence edition, link and key drawn under it; the same in its text chunks, with ``about``
    (the date, the evidence version, the link, the scenario). Raises ``ValueError`` for a scene without a chart."""
    about = about or {}
    fig = scene_figure(scene, PROJECTOR_LARGE, fill=True)
    if fig is None:
        raise ValueError(f"The scene {scene.name!r} has no chart.")
    spec = fig.to_dict()
    title, foot = title_lines(scene.headline), foot_lines(scene, spec, about)
    top, bottom = band_heights(title, foot)
    picture = Image.new("RGB", SIZE, "white")
    picture.paste(Image.open(io.BytesIO(png(_band(title, TITLE_PX, INK, top, bold=True), SIZE[0], top))), (0, 0))
    chart = Image.open(io.BytesIO(png(spec, SIZE[0], SIZE[1] - top - bottom)))
    picture.paste(chart, (0, top))
    picture.paste(
        Image.open(io.BytesIO(png(_band(foot, FOOT_PX, MUTED, bottom), SIZE[0], bottom))), (0, SIZE[1] - bottom)
    )
    info = PngInfo()
    fields = {"Title": scene.headline, "Description": scene.chart_summary, "Source": "; ".join(scene.sources)}
    for key, value in {**fields, **about}.items():
        if value:
            info.add_itxt(key, value)  # UTF-8 text, for programs that read it
    out = io.BytesIO()
    picture.save(out, format="PNG", pnginfo=info)
    return out.getvalue()
