"""Expected answer types and the quote fallback that uses them."""

from __future__ import annotations

import pytest

from assistant.generation.answer import AnswerPipeline
from assistant.grounding.answer_type import expected_answer, states_answer
from assistant.models import Source
from assistant.retrieval.evidence import Evidence


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many IT training establishments does Da Nang have?", "number"),
        ("How much did it cost?", "number"),
        ("When did CMC Technology Group launch CMC Korea?", "date"),
        ("Since when have Vietnam and South Korea had diplomatic relations?", "date"),
        ("In what year did the war end?", "date"),
        ("Who is the Korean ambassador to Vietnam?", "person"),
        ("Which Korean minister did Nguyen Manh Hung meet?", "person"),
        ("Which university did Minister Hung visit in Seoul?", "name"),
        ("What company did he visit?", "name"),
        ("What did the ambassador propose?", None),  # a proposal, not a person
        ("What is VKIST?", None),
        ("Which two governing bodies have legislative veto power?", None),
    ],
)
def test_the_kind_of_answer_a_question_asks_for(question, kind):
    assert expected_answer(question) == kind


def test_a_sentence_states_an_answer_only_with_something_the_question_does_not_hold():
    q = "Which Korean minister did Nguyen Manh Hung meet during his August 2024 trip?"
    restating = "Minister of Information and Communications Nguyen Manh Hung paid a working trip to the RoK in early August."
    answering = "At a working session with Minister of Science and ICT Lee Jong-ho, Minister Hung stressed the point."
    assert not states_answer(restating, "en", q, "person")
    assert states_answer(answering, "en", q, "person")
    # A possessive country is no person: "Vietnam’s Posts and Telecommunications Institute".
    assert not states_answer("He visited Vietnam’s Posts and Telecommunications Institute of Technology.", "en", q, "person")
    n = "How many Vietnamese technology firms took part in the forum in 2024?"
    assert not states_answer("The forum was held in 2024 in Seoul.", "en", n, "number")
    assert states_answer("Le forum a réuni 20 entreprises vietnamiennes en 2024.", "fr", n, "number")
    # A number written as a word states one too, unless the question holds it already.
    plays = "How many plays was Denver kept out of the end zone?"
    assert states_answer("Denver was kept out of the end zone for three plays.", "en", plays, "number")
    assert states_answer("Denver wurde drei Spielzüge lang aus der Endzone gehalten.", "de", plays, "number")
    assert not states_answer("Denver was kept out of the end zone.", "en", plays, "number")
    assert not states_answer("Two teams met.", "en", "How many points did the two teams score?", "number")
    assert states_answer("Am 8. Mai gründete die CMC Technology Group CMC Korea.", "de", "When was CMC Korea launched?", "date")


def _source(n: int, quote: str, score: float) -> Source:
    return Source(n=n, doc_id="d", source="s.txt", title="t", lang="en", chunk_id=f"c{n}", quote=quote, start=0,
                  end=len(quote), score=score)


def test_the_quote_fallback_prefers_the_sentence_that_answers_over_the_one_that_restates():
    q = "Which Korean minister did Nguyen Manh Hung meet during his August 2024 trip?"
    evidence = Evidence(question=q, sources=[
        _source(1, "Minister Nguyen Manh Hung paid a working trip to the Republic of Korea in early August.", 0.90),
        _source(2, "The trip aimed at bolstering cooperation in digital transformation.", 0.899),
        _source(3, "At a working session with Minister of Science and ICT Lee Jong-ho, Minister Hung spoke.", 0.87),
    ])
    assert [s.citations for s in AnswerPipeline.quotes(evidence, "en")] == [[3]]
    # A question of no particular kind keeps the best sentence and the near-tie.
    evidence.question = "What was the trip about?"
    assert [s.citations for s in AnswerPipeline.quotes(evidence, "en")] == [[1], [2]]
    # When no sentence among the first few states such an answer, the best ones are quoted as before.
    evidence.question = "How many ministers did he meet?"
    assert [s.citations for s in AnswerPipeline.quotes(evidence, "en")] == [[1], [2]]


def test_a_sentence_the_judge_found_to_answer_is_a_candidate_without_the_words_of_its_kind():
    q = "How much has a Lama agreed to be reborn?"
    answering = _source(1, "A Lama who has decided to be reborn, often many times, is called a Tulku.", 0.875)
    answering.answers = 0.69
    other = _source(2, "Temujin married Borte when he was 16 years old.", 0.874)  # a number, unjudged
    evidence = Evidence(question=q, sources=[answering, other])
    # By its words alone only the second states a number, so it is quoted in place of the first …
    assert [s.citations for s in AnswerPipeline.quotes(evidence, "en", 0.2)] == [[2]]
    # … the judge's yes makes the first a candidate, and it leads by its standing.
    assert [s.citations for s in AnswerPipeline.quotes(evidence, "en", 0.2, judged=0.5)][0] == [1]
    # A judgement below the threshold leaves the kind to decide.
    answering.answers = 0.3
    assert [s.citations for s in AnswerPipeline.quotes(evidence, "en", 0.2, judged=0.5)] == [[2]]
    # Who was met is stated only by a sentence naming someone the question does not: a restating one the
    # judge found likely to answer stays behind it.
    who = "Which Korean minister did Nguyen Manh Hung meet during his August 2024 trip?"
    restating = _source(1, "Minister Nguyen Manh Hung paid a working trip to the Republic of Korea in early August.", 0.892)
    restating.answers = 0.61
    naming = _source(2, "At a working session with Minister of Science and ICT Lee Jong-ho, Minister Hung spoke.", 0.868)
    shown = AnswerPipeline.quotes(Evidence(question=who, sources=[restating, naming]), "en", 0.2, judged=0.5)
    assert [s.citations for s in shown] == [[2]]


def test_a_quote_the_reader_cannot_read_is_the_last_resort_among_the_candidates():
    q = "How old was Peyton Manning when he played in Super Bowl 50?"
    untranslated = _source(1, "Vor Manning wurde der Rekord von John Elway gehalten, der mit 38 Jahren siegte.", 0.845)
    untranslated.lang = "de"
    translated = _source(2, "Er ist 39 Jahre alt und der älteste Quarterback in einem Super Bowl.", 0.842)
    translated.lang, translated.translation = "de", "He is 39 years old and the oldest quarterback in a Super Bowl."
    evidence = Evidence(question=q, sources=[untranslated, translated])
    shown, last = AnswerPipeline.quotes(evidence, "en")
    assert (shown.kind, shown.citations, shown.text) == ("translation", [2], translated.translation)
    assert (last.kind, last.citations) == ("quote", [1])  # the German original after it, labelled
    # With no translation to read, the German sentence is quoted, labelled as such.
    translated.translation = None
    assert [(s.kind, s.citations) for s in AnswerPipeline.quotes(evidence, "en")] == [("quote", [1]), ("quote", [2])]


def test_a_run_of_names_before_an_institution_word_names_the_institution_not_a_person():
    from assistant.grounding.titles import person_names

    assert person_names("Minister Hung visited the Seoul Cyber University (SCU) on August 1.") == []
    assert person_names("Choi Youngsam met Lee Jong-ho at the Hanoi University of Science.") == [
        "choi youngsam", "lee jong-ho"
    ]
