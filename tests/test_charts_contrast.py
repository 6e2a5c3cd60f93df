"""Colours that a projector in a lit room and a reader with low vision can tell apart (WCAG 2.2).

Graphical marks need 3:1 against the white background (1.4.11); small text needs 4.5:1 (1.4.3).
"""

from __future__ import annotations

import tomllib
from itertools import pairwise

import numpy as np
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
    assert ratios == sorted(ratios, reverse=True)
    # Ranks 1, 2 and 3 each their own colour; every lower rank the fourth (the chart names them together).
    assert len(set(colours[:4])) == 4 and set(colours[3:]) == {colours[3]}
    assert rank_colours(2) == colours[:2]  # a rank keeps its colour however many options there are


# CIELAB lightness and colour-blindness simulation, to check that neighbouring ranks differ for every reader.
def _linear(colour: str) -> np.ndarray:
    srgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of linear sRGB."""
    to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = to_xyz @ linear / (to_xyz @ np.ones(3))
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


# Machado, Oliveira and Fernandes (2009), full severity, on linear RGB.
MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def test_the_lab_conversion_matches_known_values():
    assert _lab(_linear("#FFFFFF")) == pytest.approx([100, 0, 0], abs=0.05)
    assert _lab(_linear("#777777"))[0] == pytest.approx(50.0, abs=0.1)
    assert _lab(_linear("#FF0000")) == pytest.approx([53.24, 80.09, 67.20], abs=0.1)


@pytest.mark.parametrize("n", [3, 4, 10, 12])
def test_neighbouring_ranks_differ_clearly_in_lightness(n):
    """Rank 1 against 2, 2 against 3, 3 against the lower ranks: at least 15 points of L* apart (the ten ranks of a
    full evidence base were once near-identical navy, a few points apart)."""
    shades = list(dict.fromkeys(rank_colours(n)))
    lightness = [_lab(_linear(c))[0] for c in shades]
    steps = np.diff(lightness)
    assert len(shades) == min(n, 4) and np.all(steps >= 15), dict(zip(shades, np.round(lightness, 1), strict=True))


@pytest.mark.parametrize("vision", MACHADO)
def test_neighbouring_ranks_stay_apart_with_colour_blindness(vision):
    """Under each simulated colour blindness, neighbouring ranks stay at least 15 apart in CIELAB (delta E 1976)
    and at least 12 in lightness, and still run from dark to light."""
    shades = list(dict.fromkeys(rank_colours(10)))
    seen = [_lab(np.clip(np.array(MACHADO[vision]) @ _linear(c), 0, 1)) for c in shades]
    distances = [float(np.linalg.norm(b - a)) for a, b in pairwise(seen)]
    steps = [float(b[0] - a[0]) for a, b in pairwise(seen)]
    assert min(distances) >= 15 and min(steps) >= 12, (np.round(distances, 1), np.round(steps, 1))


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
