"""Expected answer types: what a question asks for, and whether a sentence states it."""

from __future__ import annotations

import pytest

from assistant.grounding.answer_type import expected_answer, states_answer


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


@pytest.mark.parametrize(
    ("question", "lang", "kind"),
    [
        ("berapakah luas Kabupaten Banggai?", "id", "number"),  # TyDi QA
        ("Pada tahun berapa Yekaterina I lahir?", "id", "date"),  # a year, not a count
        ("Kabupaten Banggai luasnya berapa?", "id", "number"),  # the question word where the answer goes
        ("Apa itu karapas?", "id", None),
        ("Wann wurde CMC Korea gegründet?", "de", "date"),
        ("Wie viele Absolventen hat Da Nang?", "de", "number"),
        ("Wie heißt der Minister?", "de", None),
        ("Quand la ville a-t-elle été fondée ?", "fr", "date"),
        ("Combien d'entreprises vietnamiennes ont participé ?", "fr", "number"),
        ("Le forum a eu lieu quand les ministres se sont rencontrés ?", "fr", None),  # "quand" opening no question
        ("Đà Nẵng có bao nhiêu cơ sở đào tạo?", "vi", "number"),
        ("Hai nước thiết lập quan hệ ngoại giao năm nào?", "vi", "date"),
        ("¿Cuántos estudiantes se gradúan?", "es", "number"),
        ("Hoeveel mensen wonen er?", "nl", "number"),
        # Who is asked for is read in English only (lexicon.toml, question_words: why).
        ("Siapakah yang menemukan benua Amerika?", "id", None),
        ("Wer ist der koreanische Botschafter?", "de", None),
        ("Kto jest ambasadorem?", "pl", None),  # a language without question words listed: no kind
    ],
)
def test_questions_in_other_languages_ask_by_their_own_question_words(question, lang, kind):
    assert expected_answer(question, lang) == kind


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


def test_a_run_of_names_before_an_institution_word_names_the_institution_not_a_person():
    from assistant.grounding.titles import person_names

    assert person_names("Minister Hung visited the Seoul Cyber University (SCU) on August 1.") == []
    assert person_names("Choi Youngsam met Lee Jong-ho at the Hanoi University of Science.") == [
        "choi youngsam", "lee jong-ho"
    ]
