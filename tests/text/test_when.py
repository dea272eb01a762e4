"""Time words of a question, resolved against today (data/time_words.toml and CLDR month names)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.text.when import time_scope

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("What happened at the port this week?", ("2026-11-30", "2026-12-02")),
        ("Was geschah letzte Woche im Hafen?", ("2026-11-23", "2026-11-29")),
        ("Qu'a dit le ministre hier ?", ("2026-12-01", "2026-12-01")),
        ("Apa yang terjadi bulan lalu?", ("2026-11-01", "2026-11-30")),
        ("Điều gì xảy ra năm ngoái?", ("2025-01-01", "2025-12-31")),
        ("What happened in March?", ("2026-03-01", "2026-03-31")),  # the last March up to today
        ("Was geschah im März 2024?", ("2024-03-01", "2024-03-31")),
        ("Que s'est-il passé en décembre ?", ("2026-12-01", "2026-12-31")),
        ("Chuyện gì xảy ra vào tháng 3?", ("2026-03-01", "2026-03-31")),
        ("Who won the election in 2024?", ("2024-01-01", "2024-12-31")),
        ("Whom did the minister meet during his August 2024 trip?", ("2024-08-01", "2024-08-31")),  # no preposition
        ("Welche Firmen kamen zur Messe Mai 2025?", ("2025-05-01", "2025-05-31")),
        ("Who visited during the May 2024 summit?", ("2024-05-01", "2024-05-31")),  # "May", written as a month
    ],
)
def test_periods(question, period):
    scope = time_scope(question, TODAY)
    assert scope is not None and (scope.date_from, scope.date_to) == period and not scope.latest


@pytest.mark.parametrize("question", ["What is the latest on the strike?", "Berita terbaru tentang Korea?", "Was ist das Neueste?", "Tin mới nhất về cảng?"])
def test_latest_is_a_preference_not_a_period(question):
    scope = time_scope(question, TODAY)
    assert scope is not None and scope.latest and scope.date_from is None


def test_a_month_written_as_a_name_beside_its_verb_homograph():
    scope = time_scope("What may change after the May 2024 vote?", TODAY)
    assert scope is not None and (scope.date_from, scope.date_to) == ("2024-05-01", "2024-05-31")


@pytest.mark.parametrize(
    "question",
    [
        "What did Minister Hung say on 10 May?",  # a day's date names an event, not the period asked about
        "Was sagte der Minister am 10. Mai?",
        "Ngày 10 tháng 5 bộ trưởng nói gì?",
        "What may the ministry do next?",  # "may" the verb
        "What may 2024 bring for the port?",  # … before a year
        "Was haben sie 2024 gemacht?",  # "sie", German "they", is also Polish for August
        "Is there water on Mars?",
        "What did the ambassador propose?",
    ],
)
def test_no_time(question):
    assert time_scope(question, TODAY) is None
