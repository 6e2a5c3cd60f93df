"""The chart of each briefing scene, drawn for a projector, a slide or a briefing file."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from charts.ranking import baseline_segments, matrix_figure, ranking_label, score_axis_title, score_range
from charts.robustness import first_chance_figure
from charts.supply_chain import deaths_figure, displacement_figure
from charts.theme import BLUE, GREY, PROJECTOR, Drawn, Look, empty_figure, make_figure, wrap_lines
from core.briefing import Scene
from core.model import additive
from core.montecarlo import ChanceInfo
from core.ranking import format_score
from core.ranking_info import MatrixInfo, RankingInfo
from core.supply_info import DeathsInfo, DisplacementInfo


def score_bars_figure(info: RankingInfo, *, look: Look = PROJECTOR) -> go.Figure:
    """The ranking as one bar per option, the leader in blue, for a screen read from across a room: the
    order and the gaps, nothing to decode (why the leader leads is said in words beside it)."""
    ranking = info.ranking
    if not ranking.option_ids:
        return empty_figure("No options to rank.", look)
    # Short labels (one line each on a projector, at most two elsewhere: a long name of the user's own ends in an
    # ellipsis, and the scene's words say it whole): the baseline is named as such, nothing more.
    lines = look.label_lines or LABEL_LINES
    labels = [
        ranking_label(n + (" (baseline)" if r == "status_quo" else ""), "option", bool(p), bool(o), look.wrap, lines)
        for n, r, p, o in zip(ranking.names, ranking.roles, ranking.post_seed, ranking.ruled_out, strict=True)
    ]
    scale = 100 if additive(ranking.method) else 1
    shapes = []
    if ranking.baseline_score is not None:
        shapes = baseline_segments(ranking.baseline_score * scale, np.asarray(ranking.score, dtype=float) * scale, look)
    if scale == 100:
        scores = np.nan_to_num(np.asarray(ranking.score, dtype=float)) * 100
        xrange, ticks = score_range(float(scores.min()), float(scores.max()), False)
        axis = {"title": {"text": score_axis_title(ranking, short=True)}, "range": xrange, "tickvals": ticks}
    else:
        axis = {"title": {"text": "Closeness to the ideal (0-1)"}, "range": [0, 1]}
    layout = {
        "xaxis": {**axis, "fixedrange": True},
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "shapes": shapes,
        "bargap": 0.25,
        "height": int(look.row * len(labels) + 120 * look.scale),
        "margin": {"t": 10, "r": 60},
    }
    return make_figure([_score_bar_trace(info, labels, scale, look)], layout, look)


def _score_bar_trace(info: RankingInfo, labels: list[str], scale: int, look: Look) -> dict:
    """The bars, the leader's blue and the rest grey (the baseline hatched), each with its score at its end."""
    ranking = info.ranking
    scores = np.asarray(ranking.score, dtype=float)
    colours = [
        BLUE if (rank == 1 and not out and not base) else GREY
        for rank, out, base in zip(ranking.rank, ranking.ruled_out, ranking.baseline, strict=True)
    ]
    return {
        "type": "bar",
        "orientation": "h",
        "y": labels,
        "x": (scores * scale).tolist(),
        "marker": {
            "color": colours,
            "pattern": {"shape": ["/" if b else "" for b in ranking.baseline], "fgcolor": "white"},
        },
        "text": [
            "ruled out" if out else format_score(s, ranking.method)
            for s, out in zip(scores, ranking.ruled_out, strict=True)
        ],
        "textposition": "outside",
        "textfont": {"size": look.font},
        "constraintext": "none",  # the scores keep their size, however thin the bars
        "cliponaxis": False,
        "hoverinfo": "skip",
        "showlegend": False,
    }


LABEL_LINES = 2


AXIS_TITLE_CHARS = 34

_DRAW = (
    (DeathsInfo, deaths_figure),
    (MatrixInfo, matrix_figure),
    (RankingInfo, score_bars_figure),
    (ChanceInfo, first_chance_figure),
    (DisplacementInfo, displacement_figure),
)


def scene_figure(scene: Scene, look: Look = PROJECTOR, *, fill: bool = False) -> go.Figure | None:
    """The scene's chart in ``look``, or None for a scene of text.

    With ``fill`` the chart takes the height of the space it is put in (presenter mode sizes that
    space to the screen) instead of its own; its interactions are switched off, as a slide's are.
    """
    if scene.info is None:
        return None
    for kind, draw in _DRAW:
        if isinstance(scene.info, kind):
            fig = draw(scene.info, look=look)
            break
    else:
        raise TypeError(f"No chart for {type(scene.info).__name__}")
    if not fill:
        return fig
    spec = fig.to_dict()
    layout = {k: v for k, v in spec["layout"].items() if k != "height"}
    layout["autosize"] = True
    for axis in ("xaxis", "yaxis"):
        title = (layout.get(axis) or {}).get("title")
        if isinstance(title, dict) and len(str(title.get("text", ""))) > AXIS_TITLE_CHARS:
            # A long axis title on two lines: a projector's narrow chart would cut it at the edge.
            text = "<br>".join(wrap_lines(str(title["text"]), AXIS_TITLE_CHARS))
            layout[axis] = {**layout[axis], "title": {**title, "text": text}}
    legend = layout.get("legend")
    if isinstance(legend, dict) and legend.get("orientation") == "h":
        # Two entries a row: long entries one under another would leave the plot no room.
        layout["legend"] = {**legend, "entrywidth": 0.5, "entrywidthmode": "fraction"}
    return Drawn({"data": spec["data"], "layout": layout})
