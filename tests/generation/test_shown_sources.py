"""The quote fallback: which sources an answer shows as they stand when no sentence of the model's verifies."""

from __future__ import annotations

from assistant.generation.shown_sources import quotes
from assistant.models import Source
from assistant.retrieval.evidence import Evidence


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
    assert [s.citations for s in quotes(evidence, "en")] == [[3]]
    # A question of no particular kind keeps the best sentence and the near-tie.
    evidence.question = "What was the trip about?"
    assert [s.citations for s in quotes(evidence, "en")] == [[1], [2]]
    # When no sentence among the first few states such an answer, the best ones are quoted as before.
    evidence.question = "How many ministers did he meet?"
    assert [s.citations for s in quotes(evidence, "en")] == [[1], [2]]


def test_a_sentence_the_judge_found_to_answer_is_a_candidate_without_the_words_of_its_kind():
    q = "How much has a Lama agreed to be reborn?"
    answering = _source(1, "A Lama who has decided to be reborn, often many times, is called a Tulku.", 0.875)
    answering.answers = 0.69
    other = _source(2, "Temujin married Borte when he was 16 years old.", 0.874)  # a number, unjudged
    evidence = Evidence(question=q, sources=[answering, other])
    # By its words alone only the second states a number, so it is quoted in place of the first …
    assert [s.citations for s in quotes(evidence, "en", 0.2)] == [[2]]
    # … the judge's yes makes the first a candidate, and it leads by its standing.
    assert [s.citations for s in quotes(evidence, "en", 0.2, judged=0.5)][0] == [1]
    # A judgement below the threshold leaves the kind to decide.
    answering.answers = 0.3
    assert [s.citations for s in quotes(evidence, "en", 0.2, judged=0.5)] == [[2]]
    # Who was met is stated only by a sentence naming someone the question does not: a restating one the
    # judge found likely to answer stays behind it.
    who = "Which Korean minister did Nguyen Manh Hung meet during his August 2024 trip?"
    restating = _source(1, "Minister Nguyen Manh Hung paid a working trip to the Republic of Korea in early August.", 0.892)
    restating.answers = 0.61
    naming = _source(2, "At a working session with Minister of Science and ICT Lee Jong-ho, Minister Hung spoke.", 0.868)
    shown = quotes(Evidence(question=who, sources=[restating, naming]), "en", 0.2, judged=0.5)
    assert [s.citations for s in shown] == [[2]]


def test_a_quote_the_reader_cannot_read_is_the_last_resort_among_the_candidates():
    q = "How old was Peyton Manning when he played in Super Bowl 50?"
    untranslated = _source(1, "Vor Manning wurde der Rekord von John Elway gehalten, der mit 38 Jahren siegte.", 0.845)
    untranslated.lang = "de"
    translated = _source(2, "Er ist 39 Jahre alt und der älteste Quarterback in einem Super Bowl.", 0.842)
    translated.lang, translated.translation = "de", "He is 39 years old and the oldest quarterback in a Super Bowl."
    evidence = Evidence(question=q, sources=[untranslated, translated])
    shown, last = quotes(evidence, "en")
    assert (shown.kind, shown.citations, shown.text) == ("translation", [2], translated.translation)
    assert (last.kind, last.citations) == ("quote", [1])  # the German original after it, labelled
    # With no translation to read, the German sentence is quoted, labelled as such.
    translated.translation = None
    assert [(s.kind, s.citations) for s in quotes(evidence, "en")] == [("quote", [1]), ("quote", [2])]


def test_every_display_labels_a_translation_and_a_quote_in_the_answer_language():
    """A German reader is told "übersetzt, Original: Französisch" wherever the answer is shown: in its text,
    the CLI, the browser and a saved conversation — one wording (:func:`provenance`), never the English one."""
    import io

    from rich.console import Console

    from assistant.cli.reading import print_answer
    from assistant.generation.conversation import conversation_markdown
    from assistant.generation.shown_sources import displayed, provenance
    from assistant.models import Answer, AnswerSentence, Conversation, ConversationExport, ConversationTurn
    from assistant.ui.render import answer_html

    translation = AnswerSentence(text="Da Nang hat 37 Schulen.", citations=[1], supported=True, kind="translation",
                                 lang="de", original="Dà Nang compte 37 écoles.", original_lang="fr")
    quote = AnswerSentence(text="Đà Nẵng có 37 trường.", citations=[2], supported=True, kind="quote", lang="vi")
    own = AnswerSentence(text="Es sind 37 [1].", citations=[1], supported=True, kind="generated", lang="de")
    answer = Answer(question="Wie viele Schulen hat Da Nang?", answer_lang="de", answer="", answerable=True, model="m",
                    sentences=[translation, quote, own])
    assert provenance("translation", "fr", "de") == "übersetzt, Original: Französisch"
    assert provenance("quote", "vi", "de") == "Original auf Vietnamesisch, nicht übersetzt"
    assert provenance("quote", "de", "de") is None and provenance("generated", None, "de") is None
    # A language name inside a Vietnamese phrase is written as running text writes it (CLDR: "Tiếng Anh").
    assert provenance("translation", "en", "vi") == "dịch từ tiếng Anh"
    assert provenance("quote", "fr", "vi") == "nguyên văn tiếng Pháp, chưa dịch"
    assert provenance("translation", "de", "id") == "diterjemahkan dari bahasa Jerman"
    out = io.StringIO()
    print_answer(answer, Console(file=out, width=400, highlight=False))
    conversation = Conversation(id="c", name="n", turns=1, started="2026-12-06T00:00:00", updated="2026-12-06T00:00:00")
    export = ConversationExport(exported="2026-12-06T00:00:00", conversation=conversation,
                                turns=[ConversationTurn(n=1, asked="2026-12-06T00:00:00", answer=answer)])
    shown = {
        "text": " ".join(displayed(s, "de") for s in answer.sentences),
        "cli": out.getvalue(),
        "browser": answer_html(answer, 0),
        "export": conversation_markdown(export),
    }
    for where, view in shown.items():
        assert "übersetzt, Original: Französisch" in view, where
        assert "Original auf Vietnamesisch, nicht übersetzt" in view, where
        assert "translated from" not in view and "not translated" not in view, where


def test_a_question_in_another_language_asks_by_its_own_question_words():
    # TyDi QA: the sentence nearest the question names the regency; the one with its area comes next.
    def indonesian(n: int, quote: str, score: float) -> Source:
        return _source(n, quote, score).model_copy(update={"lang": "id"})

    evidence = Evidence(question="berapakah luas Kabupaten Banggai?", sources=[
        indonesian(1, "Kabupaten Banggai adalah salah satu Daerah Tingkat II di Provinsi Sulawesi Tengah.", 0.90),
        indonesian(2, "Kabupaten Banggai memiliki luas wilayah 9.672 km² dengan 23 kecamatan.", 0.86),
    ], question_lang="id")
    assert [s.citations for s in quotes(evidence, "id")] == [[2]]
    evidence.question_lang = "en"  # read as English, it asks for no particular kind: the nearest leads
    assert [s.citations for s in quotes(evidence, "id")][0] == [1]
