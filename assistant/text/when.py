"""When a question asks about: "latest", "this week", "in March", "in 2024", resolved against today.

Questions about news are often about time. This turns the time words of a question into a period (a date
range for the search filters) or a preference for the newest documents, from data: the relative phrases per
language in ``data/time_words.toml`` and the month names of CLDR (:mod:`assistant.text.months`). A month
without a year is its most recent occurrence up to today ("in March" asked in February means last March).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from assistant.text.folding import fold
from assistant.text.langdata import data_file
from assistant.text.months import MONTHS, numbered_months, ordinary_in_lower_case

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass(frozen=True)
class TimeScope:
    """The period a question asks about and/or a preference for the newest documents."""

    date_from: str | None = None
    date_to: str | None = None
    latest: bool = False
    phrase: str = ""  #: the words of the question it was read from

    def describe(self) -> str:
        if self.date_from and self.date_to:
            period = self.date_from if self.date_from == self.date_to else f"{self.date_from} to {self.date_to}"
            return f"documents dated {period} (from “{self.phrase}”)"
        return f"the newest documents first (from “{self.phrase}”)"


@lru_cache(maxsize=1)
def _phrases() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    table = data_file("time_words")
    out: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for kind, by_lang in table.items():
        words = sorted({w for ws in by_lang.values() for w in ws}, key=len, reverse=True)
        out[kind] = [(w, re.compile(rf"(?<!\w){re.escape(w)}(?!\w)")) for w in words]
    return out


def _find(kind: str, folded: str) -> str | None:
    for word, pattern in _phrases()[kind]:
        if pattern.search(folded):
            return word
    return None


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _relative(kind: str, today: date) -> tuple[date, date]:
    if kind == "today":
        return today, today
    if kind == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if kind == "this_week":
        return today - timedelta(days=today.weekday()), today
    if kind == "last_week":
        start = today - timedelta(days=today.weekday() + 7)
        return start, start + timedelta(days=6)
    if kind == "this_month":
        return today.replace(day=1), today
    if kind == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return _month_span(last.year, last.month)
    if kind == "this_year":
        return date(today.year, 1, 1), today
    if kind == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    raise ValueError(kind)


def _month_in(question: str) -> tuple[int, str] | None:
    """A month asked about as a period ("in March", "im Mai", "vào tháng 3", "his August 2024 trip"), not a
    day's date ("10 May") nor a word that is also a month ("may" the verb): (month, the words naming it).

    A month before a year names the period without a preposition, unless it is written in lower case as a
    common word (:func:`~assistant.text.months.ordinary_in_lower_case`): "What may 2024 bring?" and "Was haben
    sie 2024 gemacht?" (Polish "sie." is August) name no month."""
    prepositions = {w for w, _ in _phrases()["month_prepositions"]}
    written = re.findall(r"[\w']+", question)
    words = [fold(w) for w in written]
    folded = fold(question)
    for i, word in enumerate(words):
        month = MONTHS.get(word)
        if month is None or len(word) < 3:
            continue
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if before.isdigit() or after.isdigit() and len(after) <= 2:
            continue  # "10 May", "May 10": a day of the month, an event's date rather than the period asked about
        if _YEAR.fullmatch(after) and not ordinary_in_lower_case(written[i]):
            return month, word  # "his August 2024 trip", "Mai 2024": a month and its year name a period
        if before not in prepositions:
            continue  # a month alone ("March madness", "may" the verb) is not read as a period
        return month, f"{before} {word}"
    numbered = numbered_months(folded)  # "thang 3", "3月": Vietnamese, CJK
    if numbered and not re.search(r"\d{1,2}\s*(?:/|-|\.)\s*\d|ngay\s+\d", folded):
        return numbered[0], f"thang {numbered[0]}"
    return None


def time_scope(question: str, today: date) -> TimeScope | None:
    """The period (or recency) the question asks about, or None when it names no time."""
    folded = fold(question)
    for kind in ("today", "yesterday", "this_week", "last_week", "this_month", "last_month", "this_year", "last_year"):
        word = _find(kind, folded)
        if word:
            start, end = _relative(kind, today)
            return TimeScope(start.isoformat(), end.isoformat(), phrase=word)
    month = _month_in(question)
    year_match = _YEAR.search(folded)
    year = int(year_match.group(1)) if year_match else None
    if month:
        number, words = month
        if year is None:
            year = today.year if number <= today.month else today.year - 1
        start, end = _month_span(year, number)
        return TimeScope(start.isoformat(), end.isoformat(), phrase=f"{words} {year_match.group(1)}" if year_match else words)
    before_year = {w for w, _ in _phrases()["year_prepositions"]}
    if year is not None and any(re.search(rf"(?<!\w){re.escape(w)}\s+{year}", folded) for w in before_year):
        return TimeScope(f"{year}-01-01", f"{year}-12-31", phrase=f"{year}")
    word = _find("latest", folded)
    if word:
        return TimeScope(latest=True, phrase=word)
    return None
