"""The type of a scenario setting: :class:`Setting`, and the makers of its three kinds (a choice, a switch,
a number) with the checks and link codecs they share. The settings themselves are listed in :mod:`core.settings`."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.scoring import InputError
from core.text import clean, quoted

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def finite(value: Any) -> bool:
    """A real, finite number of a sane size (a 400-digit integer overflows float maths)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value) and abs(value) <= 1e300
    except OverflowError:
        return False


def link_number(text: str) -> float:
    """A number as a link writes it: plain decimal, no ``1_000``, ``0x10``, ``nan`` or ``inf``."""
    if not _NUMBER.fullmatch(text) or not math.isfinite(float(text)):
        raise InputError(f"{quoted(text)} is not a number")
    return float(text)


def compact(x: float) -> str:
    """The shortest text that reads back as exactly the same number."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


@dataclass(frozen=True)
class Setting:
    """One setting of the scenario.

    ``check(value, choices)`` returns the value in its own type or raises :class:`InputError`;
    ``choices`` are the allowed values where they depend on the evidence (the lenses).
    """

    name: str  # the scenario's attribute, the widget's name and the file key
    default: Any
    label: str  # how a sentence names it: "the method"
    link: str  # the share link's parameter
    kind: type  # the type of the control that shows it: bool, int, float or str
    to_link: Callable[[Any], str]
    from_link: Callable[[str], Any]
    check: Callable[[Any, Sequence[str] | None], Any]
    group: str | None = None  # a file object that holds it ("displacement")
    evidence_choices: Callable[[Any], Sequence[str]] | None = None  # allowed values that depend on the evidence
    heading: str = ""  # how a table of settings heads its row ("Method"); default: the label, capitalised
    say: Callable[[Any, Any], str] | None = None  # (value, evidence or None) in words; default: from the kind
    max_chars: int | None = None  # a text setting: stored cleaned (core.text.clean) and trimmed, at most this long

    @property
    def title(self) -> str:
        return self.heading or self.label[:1].upper() + self.label[1:]

    def words(self, value: Any, evidence: Any = None) -> str:
        """``value`` in words, as the briefing, the comparison of scenarios and a picture's metadata say it."""
        if self.say is not None:
            return self.say(value, evidence)
        if self.kind is bool:
            return "yes" if value else "no"
        if self.kind in (int, float) and finite(value):
            return compact(value)
        return str(value)

    def allowed(self, evidence: Any) -> Sequence[str] | None:
        return None if self.evidence_choices is None else self.evidence_choices(evidence)

    def coerce(self, value: Any) -> Any:
        """``value`` in the control's type (a file may write 3 for 3.0), if it is of a compatible kind."""
        if self.kind is float and finite(value):
            return float(value)
        if self.kind is int and finite(value) and float(value).is_integer():
            return int(value)
        if self.max_chars is not None and isinstance(value, str):
            return clean(value).strip()
        if self.kind is tuple and isinstance(value, (list, tuple)):
            return tuple(tuple(item) if isinstance(item, (list, tuple)) else item for item in value)
        return value


def _check_choice(choices: Sequence[str], noun: str, allow_none: bool = False) -> Callable:
    def check(value: Any, dynamic: Sequence[str] | None) -> Any:
        allowed = dynamic if dynamic is not None else choices
        if value is None and allow_none:
            return None
        if not isinstance(value, str) or value not in allowed:
            raise InputError(f"{noun} {quoted(value)} is not one of {', '.join(allowed)}")
        return value

    return check


def choice(name: str, default: str, choices: Sequence[str], label: str, link: str, **kw: Any) -> Setting:
    """A setting that takes one of ``choices``; ``codes`` (optional) shortens them in links."""
    codes: Mapping[str, str] = kw.pop("codes", {c: c for c in choices})
    decode = {v: k for k, v in codes.items()}
    allow_none = kw.pop("allow_none", False)
    noun = kw.pop("noun", label)
    if "names" in kw:  # the words for each choice
        names: Mapping[str, str] = kw.pop("names")
        kw["say"] = lambda v, _evidence: names.get(v, str(v))
    return Setting(
        name,
        default,
        label,
        link,
        str,
        to_link=lambda v: "-" if v is None else codes.get(v, v),
        from_link=lambda t: None if t == "-" and allow_none else decode.get(t, t),
        check=_check_choice(tuple(choices), noun, allow_none),
        **kw,
    )


def flag(name: str, default: bool, label: str, link: str, **kw: Any) -> Setting:
    """An on/off setting, ``1`` or ``0`` in a link; ``said`` (optional) gives the words for on and off."""
    if "said" in kw:
        on, off = kw.pop("said")
        kw["say"] = lambda v, _evidence: on if v else off

    def check(value: Any, _choices: Sequence[str] | None) -> bool:
        if not isinstance(value, bool):
            raise InputError(f"{name} must be true or false")
        return value

    def from_link(text: str) -> bool:
        if text not in ("0", "1"):
            raise InputError(f"{quoted(text)} is not 0 or 1")
        return text == "1"

    return Setting(
        name, default, label, link, bool, to_link=lambda v: "1" if v else "0", from_link=from_link, check=check, **kw
    )


def number(name: str, default: float, bounds: tuple[float, float], label: str, link: str, **kw: Any) -> Setting:
    """A number from ``bounds[0]`` to ``bounds[1]``; ``whole`` numbers only if asked."""
    low, high = bounds
    whole = kw.pop("whole", False)
    noun = kw.pop("noun", label)
    kind = int if whole else float

    def check(value: Any, _choices: Sequence[str] | None) -> float | int:
        if not finite(value):
            raise InputError(f"{noun} must be a number")
        if whole and not float(value).is_integer():
            raise InputError(f"{noun} must be a whole number; got {value:g}")
        if not low <= value <= high:
            raise InputError(f"{noun} must lie from {low:g} to {high:g}; got {value:g}")
        return kind(value)

    return Setting(name, default, label, link, kind, to_link=compact, from_link=link_number, check=check, **kw)


def text(name: str, label: str, link: str, max_chars: int, **kw: Any) -> Setting:
    """Free text the user types (a title, a name), empty by default: kept on one line, without invisible or
    bidirectional characters (:func:`core.text.clean`), at most ``max_chars`` long. It is the user's own words,
    so every place that shows it escapes it."""
    noun = kw.pop("noun", label)

    def check(value: Any, _choices: Sequence[str] | None) -> str:
        if not isinstance(value, str):
            raise InputError(f"{noun} must be text")
        tidy = clean(value).strip()
        if len(tidy) > max_chars:
            raise InputError(f"{noun} must be at most {max_chars} characters; got {len(tidy)}")
        return tidy

    return Setting(name, "", label, link, str, to_link=str, from_link=str, check=check, max_chars=max_chars, **kw)
