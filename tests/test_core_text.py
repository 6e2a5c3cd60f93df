"""Text from data, users, links and files is shown as written: never markup, a link, LaTeX or a directive."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from core.text import WORD_JOINER, clean, md_escape, quoted


def test_dollar_amounts_are_not_read_as_latex():
    assert md_escape("less than $25 million ... more like $10 million") == (
        r"less than \$25 million ... more like \$10 million"
    )


def test_markdown_links_images_and_html_are_escaped():
    assert md_escape("**bold** [link](javascript:x) <script>") == r"\*\*bold\*\* \[link\](javascript:x) \<script\>"
    assert md_escape("![x](http://203.0.113.5/p.png)").startswith(r"!\[x\](http:" + WORD_JOINER + "//")


def test_line_starts_that_would_make_a_heading_list_or_quote_are_escaped():
    assert md_escape("# heading\n- item") == r"\# heading - item"
    assert md_escape("- item") == r"\- item"
    assert md_escape("12. item") == r"12\. item"
    assert md_escape("> quote") == r"\> quote"


def test_bare_addresses_and_shortcodes_are_defused_with_an_invisible_joiner():
    for text in ("see http://203.0.113.5/login", "www.evil.example", "me@evil.example", "mailto:me"):
        out = md_escape(text)
        assert not re.search(r"(?i)https?://|www\.|\w@|mailto:", out), out
        assert out.replace(WORD_JOINER, "") == text.replace("@", "@")  # shown as written
    assert md_escape(":red[x] :material/home: :smile:").count(":" + WORD_JOINER) == 3


def test_entities_cannot_smuggle_characters_past_the_escape():
    assert md_escape("&#91;x&#93;(http&#58;//a.b)").startswith(r"\&#91;")


def test_names_lose_bidirectional_and_invisible_characters():
    assert clean("\u202eoq sutatS") == "oq sutatS"
    assert clean("Sta\u200btus\u2066 quo\ufeff") == "Status quo"
    assert clean("two\nlines\x00") == "two lines "


def test_echoed_values_are_capped_and_quoted():
    out = quoted("x" * 500)
    assert out.startswith("'") and out.endswith("…'") and len(out) <= 62


@given(st.text(max_size=200))
def test_escaped_text_has_no_unescaped_markup_or_live_address(text):
    out = md_escape(text)
    unescaped = re.sub(r"\\.", "", out)  # drop every escaped character
    assert not re.search(r"[`*_\[\]<>~$|&]", unescaped)
    assert not re.search(r"(?i)(https?|ftp)://|www\.|mailto:", out)
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b-\u200f]", out)
    assert "\n" not in out
