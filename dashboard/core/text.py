"""Text from data, users, links and files, made safe to show.

Streamlit renders labels, notices and markdown through a Markdown parser with GitHub's
extensions and its own directives, so a crafted name could otherwise show a live link,
make the browser fetch an image, typeset LaTeX or colour text. :func:`md_escape` is the
one function every such string goes through; :func:`clean` is what names are stored as.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Bidirectional controls and zero-width characters: they let a name pose as another
# ("Status quo" with a right-to-left override) or hide text inside a word.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Noncharacters (U+FDD0 to U+FDEF, and the last two code points of every plane) and lone surrogates: not
# text, refused by XML (so by a PowerPoint file) and by the chart renderer.
_NONCHARACTER = re.compile(
    "[\ufdd0-\ufdef\ud800-\udfff"
    + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
    + "]"
)
# Characters that Markdown, Streamlit's LaTeX ($) or an HTML entity (&) could read as syntax
# anywhere in a line. Parentheses, dots and dashes only matter at the start of a line or after
# a bracket, and escaping them would put backslashes into screen-reader names of widgets.
_INLINE = re.compile(r"([\\`*_\[\]<>~$|&])")
_LINE_START = re.compile(r"^(\s*)([#+\-=>])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")
WORD_JOINER = "\u2060"
# Bare addresses that GitHub-flavoured Markdown turns into live links, and Streamlit's
# ":name:" shortcodes (emoji, :material/...: icons, :red[...] colours). A word joiner (an
# invisible character the parser does not skip) keeps each from being recognised.
_DEFUSE = (
    (re.compile(r"(?i)(\w):(?=//)"), rf"\1:{WORD_JOINER}"),
    (re.compile(r"(?i)\b(www)\."), rf"\1{WORD_JOINER}."),
    (re.compile(r"(?i)\b(mailto|xmpp):"), rf"\1{WORD_JOINER}:"),
    (re.compile(r"@"), f"{WORD_JOINER}@"),
    (re.compile(r":(?=[\w/+\-]+:|\w+\[)"), f":{WORD_JOINER}"),
)
ECHO_LIMIT = 60


def clean(text: object) -> str:
    """``text`` without bidirectional controls, zero-width or control characters, on one line.

    Unicode is normalised (NFC), so a name cannot differ from another only in its encoding.
    """
    value = unicodedata.normalize("NFC", str(text))
    value = _NONCHARACTER.sub("", _INVISIBLE.sub("", value))
    value = _CONTROL.sub(" ", value.replace("\r\n", " ").replace("\n", " "))
    return value


def shorten(text: str, limit: int | None) -> str:
    """``text`` cut to at most ``limit`` characters, with an ellipsis when cut."""
    if limit is None or len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"


@lru_cache(maxsize=8192)
def _escape(text: str, limit: int | None) -> str:
    value = shorten(clean(text), limit)
    for pattern, replacement in _DEFUSE:
        value = pattern.sub(replacement, value)
    value = _INLINE.sub(r"\\\1", value)
    value = _LINE_START.sub(r"\1\\\2", value)
    return _ORDERED.sub(r"\1\\\2", value)


def md_escape(text: object, limit: int | None = None) -> str:
    """``text`` shown exactly as written by ``st.markdown``, a notice or a widget label.

    Markdown, HTML, entities, LaTeX and Streamlit's directives are escaped; bare web and mail
    addresses are defused so they never become links; invisible and bidirectional characters
    are removed; ``limit`` caps the length (for values echoed back in messages).
    """
    # The same texts come back on every rerun (names, quotes, labels): their escaped forms are kept.
    return _escape(str(text), limit)


def quoted(value: object) -> str:
    """A value from a link or file as a message names it: quoted, on one line, at most about 60 characters.

    The message is escaped as a whole when it is shown.
    """
    if not isinstance(value, str):
        return shorten(clean(repr(value)), ECHO_LIMIT)
    return "'" + shorten(clean(value), ECHO_LIMIT) + "'"
