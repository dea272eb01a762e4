"""Honest scoring: an accepted string counts where the reader reads it, in the language asked for."""

from __future__ import annotations

import pytest

from assistant.evaluation.retrieval import half
from assistant.evaluation.scoring import contains, correct_in_language, found_anywhere, words_in
from assistant.models import Answer, AnswerSentence, Source

GERMAN = "Drei Bereiche der Zusammenarbeit sind Technologietransfer, Investitionen und Halbleiter."


def _answer(*sentences: tuple[str, str], lang: str = "en") -> Answer:
    source = Source(n=1, doc_id="d", source="001.txt", title="t", lang="de", chunk_id="d-0", quote=GERMAN, start=0, end=10)
    shown = [AnswerSentence(text=text, citations=[1], supported=True, kind=kind) for text, kind in sentences]
    return Answer(question="q", answer_lang=lang, answer=" ".join(s.text for s in shown), answerable=True,
                  sentences=shown, sources=[source], model="m")


def test_a_foreign_quote_holding_the_string_is_found_but_not_correct():
    answer = _answer((GERMAN, "quote"))
    groups = [["Technologietransfer", "technology transfer"]]
    assert found_anywhere(answer, groups)
    assert not correct_in_language(answer, groups)


def test_an_english_sentence_holding_the_string_is_correct():
    answer = _answer(("The ambassador proposed cooperation in technology transfer and investment.", "generated"))
    assert correct_in_language(answer, [["technology transfer"], ["investment"]])
    assert not correct_in_language(answer, [["semiconductors"]])


def test_only_the_first_two_displayed_sentences_count():
    answer = _answer(
        ("The minister met the ambassador in the morning.", "generated"),
        ("They talked about the cooperation of both countries.", "generated"),
        ("The ambassador proposed technology transfer as well.", "generated"),
    )
    assert found_anywhere(answer, [["technology transfer"]])
    assert not correct_in_language(answer, [["technology transfer"]])


def test_a_sentence_of_names_and_numbers_counts_in_any_language():
    answer = _answer(("Choi Youngsam, 10. Mai", "quote"))
    assert correct_in_language(answer, [["Choi Youngsam"]])


def test_an_unanswered_question_is_never_correct():
    answer = _answer(("The documents do not answer this question.", "generated")).model_copy(update={"answerable": False})
    assert not correct_in_language(answer, [["question"]]) and not found_anywhere(answer, [["question"]])


def test_answer_length_counts_words():
    assert words_in("Minister Hung met Choi Youngsam on 10 May [1].") == 8
    assert words_in("Da Nang has 6,000 graduates [1][2].") == 5


def test_xquad_halves_split_by_article_and_keep_file_order():
    records = [{"id": i, "article_idx": a} for i, a in enumerate([0, 0, 1, 2, 3, 3, 4])]
    assert [r["id"] for r in half(records, "tune")] == [0, 1, 3, 6]
    assert [r["id"] for r in half(records, "report")] == [2, 4, 5]
    assert half(records, None) == records
    plain = [{"id": i} for i in range(5)]
    assert [r["id"] for r in half(plain, "report")] == [1, 3]


def test_an_unknown_split_is_a_clear_error():
    from assistant.errors import InputError

    with pytest.raises(InputError):
        half([{"id": 1}], "train")


@pytest.mark.parametrize(
    "text, accepted, found",
    [
        ("They won the game 20-18.", "20–18", True),  # a hyphen for the en dash
        ("Norman returned two interceptions.", "two.", True),  # the gold answer's full stop
        ("He worked on semiconductors.", "semiconductor", True),  # a word may go on
        ("Elway was 138 days in office.", "38", False),  # a number may neither start late...
        ("In 380 games he scored.", "38", False),  # ...nor go on
        ("He was 38 years old.", "38", True),
        ("They met on the morning of May 10th.", "May 10", True),  # an ordinal suffix is no other number
        ("The Über-Stadion opened.", "uber stadion", True),
        ("Nothing here.", "…", False),  # punctuation alone is found nowhere
    ],
)
def test_accepted_strings_are_compared_as_words_case_and_punctuation_aside(text, accepted, found):
    assert contains(text, [accepted]) is found
