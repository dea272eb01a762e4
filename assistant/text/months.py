"""The one table of month names: every language's names from CLDR (via Babel), folded, to month numbers.

Verification compares months across languages ("May" = "Mai" = "Mei" = "tháng 5" = "5月"), metadata reads
dates in the lead of an article, the sentence splitter keeps "am 10. Mai" whole and the house style
rewrites English ordinal dates: all from this table, so they cannot disagree about what a month is.

* :data:`MONTHS` — folded wide and abbreviated names (format and stand-alone forms, dots dropped) → 1–12.
* :data:`NUMBERED_MONTH` — the languages that write a month as a word and its number ("tháng 5",
  "thg 5", "5月", "5월"), one pattern whose group is the number.
* :func:`needs_number` — an abbreviation ("Mar", "Aug.") or a homograph (``data/months.toml``) is a month
  only next to a number; :func:`ordinary_in_lower_case` — one written in lower case that is also a common word somewhere ("des").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from assistant.text.folding import fold
from assistant.text.langdata import data_file, reading_languages
from assistant.text.stopwords import common_words

_WIDTHS = ("wide", "abbreviated")
_CONTEXTS = ("format", "stand-alone")


class _Table(NamedTuple):
    names: dict[str, int]  # folded name → month
    wide: frozenset[str]  # the full names among them
    numbered: tuple[str, ...]  # patterns of names written with the month's number, longest first


@lru_cache(maxsize=1)
def _cldr() -> _Table:
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    wide: set[str] = set()
    numbered: set[str] = set()
    for lang in reading_languages():
        for width in _WIDTHS:
            for context in _CONTEXTS:
                for month, name in get_month_names(width, context, locale=lang).items():
                    folded = fold(name).strip(".").strip()
                    if str(month) in folded:  # "thang 5", "5月": a word and the number
                        numbered.add(re.escape(folded).replace(re.escape(str(month)), r"(\d{1,2})", 1))
                    elif len(folded) >= 3:
                        names.setdefault(folded, month)
                        if width == "wide":
                            wide.add(folded)
    return _Table(names, frozenset(wide), tuple(sorted(numbered, key=len, reverse=True)))


#: Folded month names of every language read → month number.
MONTHS: dict[str, int] = _cldr().names
def _numbered_pattern() -> re.Pattern[str]:
    parts = [p.replace(r"(\d{1,2})", rf"(?P<n{i}>\d{{1,2}})").replace(r"\ ", r"\s+") for i, p in enumerate(_cldr().numbered)]
    # A word before the number starts at a word boundary; a number may follow a CJK character ("年3月").
    bounded = [
        (r"(?<!\d)" if p.startswith("(?P") else r"(?<!\w)") + p + (r"(?!\d)" if p.endswith("})") else "")
        for p in parts
    ]
    return re.compile("|".join(bounded))


#: Folded names of a month with its number ("thang 5", "5月"): one pattern, the number in a named group.
NUMBERED_MONTH = _numbered_pattern()


def numbered_months(folded_text: str) -> list[int]:
    """Months written with their number in folded text ("thang 5", "5月"), in order."""
    out = []
    for match in NUMBERED_MONTH.finditer(folded_text):
        number = int(next(v for v in match.groupdict().values() if v is not None))
        if 1 <= number <= 12:
            out.append(number)
    return out


@lru_cache(maxsize=1)
def _homographs() -> frozenset[str]:
    return frozenset(data_file("months")["homographs"])


@lru_cache(maxsize=1)
def _ordinary_words() -> frozenset[str]:
    return frozenset(fold(w) for lang in reading_languages() for w in common_words(lang))


def ordinary_in_lower_case(word: str) -> bool:
    """``word``, as written at one place in a text, is in lower case and also a common word (stopwords-iso) of
    a language read: a month's name or abbreviation so written ("may", German "sie" and "des" — Indonesian
    "Des" is December —, French "des", English "out") is read as that word unless a date's shape says
    otherwise. Decided per occurrence: "they may visit in May 2024" still names May."""
    return not word[:1].isupper() and fold(word) in _ordinary_words()


def needs_number(folded_name: str) -> bool:
    """An abbreviation or a homograph of an everyday word: a month only next to a number."""
    return folded_name not in _cldr().wide or folded_name in _homographs()


#: A day, ordinal or not ("8", "8th", "1er"), or a year, as a folded word.
_DAY_OR_YEAR = re.compile(r"(\d+)[^\W\d_]{0,2}")


def day_or_year(word: str) -> bool:
    """A (folded) word is a day, ordinal or not ("8", "8th", "1er"), or a year: what dates a month's name."""
    m = _DAY_OR_YEAR.fullmatch(word)
    return m is not None and (1 <= int(m.group(1)) <= 31 or len(m.group(1)) == 4)


def dated(words: list[str], i: int, *, before_only: bool = False) -> bool:
    """The month name at ``words[i]`` (a text's folded tokens) stands beside a day or a year: "10 Mei",
    "Mai 2024", "May 8th"; with ``before_only``, after a day only ("am Morgen des 27. Januar" and "des 20
    pays" name no December: "des" is a month only as a date's)."""
    near = words[max(0, i - 1) : i] + ([] if before_only else words[i + 1 : i + 2])
    return any(day_or_year(w) for w in near)


def month_names(lang: str) -> list[str]:
    """The wide names of the twelve months in ``lang``, as written (for house style: "May", "August")."""
    from babel.dates import get_month_names

    return [get_month_names("wide", "format", locale=lang)[m] for m in range(1, 13)]


@lru_cache(maxsize=None)
def names_in(lang: str) -> frozenset[str]:
    """Every folded name and abbreviation ``lang`` writes a month with (CLDR, as :data:`MONTHS`): "mai" is
    German and French, not Vietnamese, which writes "tháng 5"."""
    from babel.dates import get_month_names

    return frozenset(
        fold(name).strip(".").strip()
        for width in _WIDTHS
        for context in _CONTEXTS
        for name in get_month_names(width, context, locale=lang).values()
    )
