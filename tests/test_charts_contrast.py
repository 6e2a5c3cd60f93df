"""Colours that a projector in a lit room and a reader with low vision can tell apart (WCAG 2.2).

Graphical marks need 3:1 against the white background (1.4.11); small text needs 4.5:1 (1.4.3).
"""

from __future__ import annotations

import tomllib

import pytest

from charts import robustness, routes
from charts.theme import (
    BLUE,
    CRITERION_PALETTE,
    GREEN,
    GREY,
    INK,
    MUTED,
    OPTION_PALETTE,
    ORANGE,
    VERMILLION,
    contrast,
    rank_colours,
)
from conftest import ROOT
from ui import style

WHITE = "#FFFFFF"
MARKS = {
    "criterion palette": CRITERION_PALETTE,
    "option palette": OPTION_PALETTE,
    "named marks": (BLUE, VERMILLION, GREEN, ORANGE, GREY, robustness.DARK_GREY),
    "route eras": tuple(routes.ERA_COLOURS.values()),
    **{f"{n} ranks": tuple(rank_colours(n)) for n in range(1, 9)},
}


def test_the_contrast_formula_matches_known_values():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#FFFFFF") == pytest.approx(1.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("name", MARKS)
def test_every_mark_colour_stands_out_from_the_background(name):
    weak = {c: round(contrast(c), 2) for c in MARKS[name] if contrast(c) < 3.0}
    assert not weak, f"{name}: under 3:1 against white: {weak}"


def test_ranks_run_from_dark_to_light_so_their_order_reads():
    colours = rank_colours(8)
    ratios = [contrast(c) for c in colours]
    assert ratios == sorted(ratios, reverse=True) and len(set(colours)) == 8


def test_text_colours_are_readable_at_small_sizes():
    for colour in (INK, MUTED):
        assert contrast(colour) >= 7.0  # AAA, for a projector
    # White numbers on the tradeoff chart's markers.
    assert contrast(WHITE, robustness.DARK_GREY) >= 4.5 and contrast(WHITE, BLUE) >= 4.5


def test_captions_and_the_theme_text_are_readable_on_page_and_sidebar():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    assert f"color: {style.CAPTION_COLOUR}" in style.CSS
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        assert contrast(theme["textColor"], background) >= 7.0
        assert contrast(style.CAPTION_COLOUR, background) >= 4.5, (style.CAPTION_COLOUR, background)
