"""The answer pipeline with the scripted fake model (hashed embedder, real embedded Chroma)."""

from __future__ import annotations

import re

import pytest

from assistant.backends.embedder import HashingEmbedder
from assistant.backends.fake_chat import FakeChatModel
from assistant.config import Settings
from assistant.errors import InputError
from assistant.generation.answer import NOT_ANSWERED
from assistant.generation.shown_sources import repeats
from assistant.models import Answer, SearchFilters
from assistant.service import NewsAssistant
from assistant.templates import render
from tests.support.paths import SEEDS


def sources_in(messages) -> dict[int, str]:
    """The numbered sources of an answer prompt, as the model saw them."""
    user = messages[-1].content
    return {int(n): text for n, text in re.findall(r"^\[(\d+)\] (.+)$", user, flags=re.M)}


def make(tmp_path, replies, **overrides) -> tuple[NewsAssistant, FakeChatModel]:
    model = replies if isinstance(replies, FakeChatModel) else FakeChatModel(replies=replies)
    values = dict(store_dir=tmp_path / "store", embedder="hash", min_relevance=0.0, doubtful_relevance=0.0,
                  support_threshold=0.5,
                  other_language_lift=0.0,  # it corrects e5's pull to the question's language; hashing has none
                  translate_queries="", translate_evidence=0)  # the scripted replies are answers, not translations
    values.update(overrides)
    assistant = NewsAssistant(Settings(**values), embedder=HashingEmbedder(), model=model)
    assistant.ingest([SEEDS])
    return assistant, model


def copy_source(n: int, cite: int | None = None, edit=lambda s: s):
    """A reply that copies source ``n`` verbatim (optionally edited) and cites ``cite``."""

    def reply(messages):
        text = edit(sources_in(messages)[n]).rstrip(".")
        return f"{text} [{cite or n}]."

    return reply


def test_prompt_holds_numbered_sources_and_the_question(tmp_path):
    assistant, model = make(tmp_path, copy_source(1))
    answer = assistant.ask("How many IT training establishments does Da Nang have?")
    system, example, reply, user = model.prompts[0]
    assert system.role == "system" and "[1]" in system.content
    # a worked example as a request and its reply, kept evaluated with the instructions
    assert (example.role, reply.role) == ("user", "assistant") and example.fixed and reply.fixed and not user.fixed
    assert "Question:" in example.content and re.search(r"\[\d\]\.$", reply.content)
    numbered = sources_in(model.prompts[0])
    assert sorted(numbered) == list(range(1, len(answer.sources) + 1))
    assert "How many IT training establishments does Da Nang have?" in user.content
    assert "English" in user.content
    assert model.grammars[0] and '"1"' in model.grammars[0]  # the grammar names the real sources
    for src in answer.sources:  # every quote points back at the exact document text
        doc = assistant.store.get_document(src.doc_id)
        assert doc.text[src.start : src.end] == src.quote


def test_a_copied_sentence_with_its_citation_is_supported(tmp_path):
    assistant, _ = make(tmp_path, copy_source(1), lead_with_evidence=False)
    # Source [1] is the French seed's sentence: copied into a French answer it is a supported sentence.
    answer = assistant.ask("How many IT training establishments does Da Nang have?", answer_lang="fr")
    assert answer.answerable and answer.sources[0].lang == "fr"
    generated = [s for s in answer.sentences if s.kind == "generated"]
    assert len(generated) == 1 and generated[0].supported and generated[0].citations == [1]
    assert answer.answer.endswith("[1].")
    Answer.model_validate(answer.public() | {"draft": ""})  # the JSON shape round-trips
    # Asked in English, the same French copy is not shown as an English sentence: the quote is, labelled.
    english = assistant.ask("How many IT training establishments does Da Nang have?")
    (copied,) = [s for s in english.sentences if s.kind == "generated"]
    assert not copied.supported and copied.reason == "not written in en, the language asked for"
    assert all(s.kind == "quote" for s in english.sentences if s.supported)


def test_an_invented_number_is_caught_and_the_quotes_are_shown(tmp_path):
    def change_number(text):
        return re.sub(r"\d+", lambda m: str(int(m.group(0)) + 7), text, count=1) if re.search(r"\d", text) else text + " in 1999"

    assistant, _ = make(tmp_path, copy_source(1, edit=change_number))
    # The fake copies French sources: asked in French, the number check is what decides.
    answer = assistant.ask("How many IT training establishments does Da Nang have?", answer_lang="fr")
    generated = [s for s in answer.sentences if s.kind == "generated"]
    assert generated and not generated[0].supported
    assert "not in the cited passage" in generated[0].reason
    quotes = [s for s in answer.sentences if s.kind == "quote"]
    assert quotes and all(s.supported for s in quotes)
    assert quotes[0].text == answer.sources[0].quote
    assert generated[0].text not in answer.answer  # the failed sentence is never displayed as fact
    assert answer.answer.startswith("“") and "[1]" in answer.answer


def test_a_wrong_citation_is_moved_to_the_source_that_supports_it(tmp_path):
    assistant, _ = make(tmp_path, copy_source(2, cite=1), lead_with_evidence=False)
    answer = assistant.ask("How many graduates do Da Nang's IT training institutions produce each year?", answer_lang="fr")
    first = answer.sentences[0]
    assert first.supported and first.citations == [2] and first.cited_by_model == [1]


def test_off_topic_question_is_refused_without_calling_the_model(tmp_path):
    assistant, model = make(tmp_path, ["should not be used"], min_relevance=0.99)
    answer = assistant.ask("What is the capital of Australia?")
    assert not answer.answerable and answer.answer == NOT_ANSWERED
    assert answer.sources == [] and answer.sentences == []
    assert model.prompts == []
    assert "MIN_RELEVANCE" in answer.notes[0]


def test_the_prompt_fits_the_context_window_and_says_what_was_left_out(tmp_path):
    model = FakeChatModel(replies=copy_source(1), n_ctx=520)
    assistant, model = make(tmp_path, model, evidence_sentences=30, top_k=10, max_answer_tokens=160)
    answer = assistant.ask("What did the ambassador propose?")
    used = model.count_tokens(model.prompts[0])
    assert used <= 520 - 160
    assert any("left out to fit" in note for note in answer.notes)
    assert len(sources_in(model.prompts[0])) < len(answer.sources) <= 30
    for n, text in sources_in(model.prompts[0]).items():  # whole sentences, never cut
        assert text == " ".join(answer.sources[n - 1].quote.split())


def test_a_question_too_long_for_the_window_is_a_clear_error(tmp_path):
    model = FakeChatModel(replies=["x [1]."], n_ctx=200)
    assistant, _ = make(tmp_path, model, max_answer_tokens=160)
    with pytest.raises(InputError, match="context window"):
        assistant.ask("What did the ambassador propose? " * 20)


def test_follow_up_is_rewritten_from_the_conversation(tmp_path):
    def reply(messages):
        if "Standalone question" in messages[-1].content:
            return "How many graduates do the IT schools of Da Nang produce each year?"
        return copy_source(1)(messages)

    assistant, model = make(tmp_path, reply)
    history = [("How many IT training establishments does Da Nang have?", "Da Nang has 37 [1].")]
    answer = assistant.ask("And how many graduates?", history=history)
    assert "Da Nang has 37 [1]." in model.prompts[0][-1].content  # the conversation reached the rewrite
    assert answer.standalone_question.startswith("How many graduates do the IT schools")
    assert answer.standalone_question in model.prompts[1][-1].content


def test_streaming_calls_back_with_every_piece(tmp_path):
    assistant, _ = make(tmp_path, copy_source(1))
    pieces: list[str] = []
    answer = assistant.ask("How many IT training establishments does Da Nang have?", on_token=pieces.append)
    assert "".join(pieces) == answer.draft and len(pieces) > 3
    assert answer.timings.first_token_ms is not None and answer.timings.total_ms >= answer.timings.first_token_ms


def test_unknown_answer_language_is_refused(tmp_path):
    assistant, _ = make(tmp_path, copy_source(1))
    with pytest.raises(InputError, match="answer language"):
        assistant.ask("What is VKIST?", answer_lang="xx")


def test_a_sentence_that_only_repeats_the_question_is_no_answer_and_the_quote_is_shown(tmp_path):
    question = "Who is the Korean ambassador to Vietnam mentioned in the articles?"
    assistant, _ = make(tmp_path, ["The Korean ambassador to Vietnam mentioned in the articles [1]."])
    answer = assistant.ask(question)
    (echo,) = [s for s in answer.sentences if s.kind == "generated"]
    assert not echo.supported and echo.reason == "it only repeats the question" and echo.cited_by_model == [1]
    assert echo.text not in answer.answer and answer.sentences[-1].kind == "quote"
    # A sentence that adds the answer to the question's words is judged as usual.
    from assistant.grounding.facts import restates

    assert restates("The Korean ambassador to Vietnam mentioned in the articles.", question)
    assert not restates("Choi Youngsam is the Korean ambassador to Vietnam.", question)
    assert not restates("Da Nang has 37.", "How many IT training establishments does Da Nang have?")


def test_an_answer_that_does_not_say_how_many_is_no_answer(tmp_path):
    question = "How many IT training establishments does Da Nang have?"

    def without_a_number(messages):  # a verbatim copy of an English source with no number, cited correctly
        n, text = next((n, t) for n, t in sorted(sources_in(messages).items()) if not re.search(r"\d", t) and " the " in t)
        return f"{text.rstrip('.')} [{n}]."

    assistant, _ = make(tmp_path, without_a_number, evidence_sentences=20)  # English ones among them
    answer = assistant.ask(question)
    (generated,) = [s for s in answer.sentences if s.kind == "generated"]
    assert not generated.supported and generated.reason == "it does not say a number, which the question asks"
    quotes = [s for s in answer.sentences if s.kind == "quote"]
    assert quotes and all(s.supported for s in quotes) and generated.text not in answer.answer


def test_answers_the_question_keeps_an_answer_that_names_what_was_asked():
    from assistant.grounding.verifier import answers_the_question
    from assistant.models import AnswerSentence

    question = "Who is the Korean ambassador to Vietnam?"
    naming = [AnswerSentence(text="The ambassador is Choi Youngsam.", citations=[1], supported=True)]
    assert answers_the_question(naming, question, "en")[0].supported
    evasive = [
        AnswerSentence(text="The Korean ambassador met the Minister of Information and Communications.", citations=[1], supported=True),
        AnswerSentence(text="They discussed cooperation.", citations=[2], supported=False, reason="not supported"),
    ]
    checked = answers_the_question(evasive, question, "en")
    assert [s.supported for s in checked] == [False, False] and checked[0].reason == "it does not say who, which the question asks"
    assert checked[1].reason == "not supported"  # an already failing sentence keeps its own reason
    open_question = [AnswerSentence(text="He proposed closer cooperation.", citations=[1], supported=True)]
    assert answers_the_question(open_question, "What did the ambassador propose?", "en")[0].supported


# --- translate, verify, then answer ---------------------------------------------------------------------

FR_37 = ("Actuellement, Dà Nang compte 37 établissements proposant une formation liée à l'informatique, avec "
         "environ 6.000 diplômés chaque année, a-t-il indiqué.")
EN_37 = "Currently, Dà Nang has 37 establishments offering IT training, with about 6,000 graduates each year, he said."


def translating(answer_reply, translations: dict[str, str]):
    """A scripted model that translates the sentences it knows (the others come back unchanged: no
    translation) and answers with ``answer_reply``."""

    def reply(messages):
        if messages[0].content.startswith("You translate sentences"):
            return translations.get(messages[-1].content, messages[-1].content)
        return answer_reply(messages)

    return reply


def test_the_model_composes_over_verified_translations_and_the_answer_is_in_english(tmp_path):
    assistant, model = make(
        tmp_path, translating(copy_source(1), {FR_37: EN_37}), translate_evidence=6, translation_threshold=0.0,
        lead_with_evidence=False,
    )
    answer = assistant.ask("How many IT training establishments does Da Nang have?")
    assert answer.answer_lang == "en"
    (source,) = [s for s in answer.sources if s.translation]
    assert (source.n, source.quote, source.translation, source.translation_lang) == (1, FR_37, EN_37, "en")
    answer_prompt = model.prompts[-1]
    given = sources_in(answer_prompt)
    assert given[1] == EN_37  # only what reads in English reaches the model: the translation …
    english = {" ".join(s.quote.split()) for s in answer.sources if s.lang == "en"}
    assert set(list(given.values())[1:]) <= english  # … and the English sources
    (sentence,) = [s for s in answer.sentences if s.supported]
    assert (sentence.kind, sentence.lang, sentence.citations) == ("generated", "en", [1])
    assert "37" in answer.answer and FR_37 not in answer.answer
    assert answer.timings.first_answer_ms is not None
    # the model was asked how sure it was of the translation (read after the original: its least likely
    # word, then what the original takes from each word against a reading after no sentence); no yes/no
    # judgement of a translation by default: the only yes/no calls are the answer judge's, one for each
    # evidence sentence it reads
    assert [(m[-1].content, reply) for m, reply in model.scored] == [(FR_37, EN_37), (FR_37, EN_37), ("", EN_37)]
    judge = render("judge_answer_system").strip()
    assert [m[0].content for m in model.judged] == [judge] * assistant.settings.judge_evidence
    assert any("could not be translated" in note for note in answer.notes)  # the other sources


FR_THACH = ("Trân Ngoc Thach, directeur adjoint du Service municipal de l'information et de la communication, a déclaré "
            "que Dà Nang devenait progressivement une destination attrayante pour les investisseurs, les startups et "
            "les entreprises informatiques.")
EN_THACH = ("Trân Ngoc Thach, deputy director of the municipal Department of Information and Communications, said "
            "that Dà Nang was gradually becoming an attractive destination for investors, startups and IT companies.")


def test_sources_beyond_the_translated_ones_are_read_through_their_cached_translations(tmp_path):
    question = "How many IT training establishments does Da Nang have?"
    sure = FakeChatModel(replies=translating(copy_source(1), {FR_37: EN_37, FR_THACH: EN_THACH}), scorer=lambda m, r: [-0.1])
    first, _ = make(tmp_path, sure, translate_evidence=6, translation_threshold=0.0)
    assert EN_THACH in {s.translation for s in first.ask(question).sources}  # now cached
    # translating only the best source, with a model that can translate nothing: the cache is read for the rest
    assistant, model = make(tmp_path, translating(copy_source(1), {}), translate_evidence=1, translation_threshold=0.0)
    answer = assistant.ask(question)
    (thach,) = [s for s in answer.sources if s.quote == FR_THACH]
    assert thach.translation == EN_THACH and thach.n > 1
    assert EN_THACH in sources_in(model.prompts[-1]).values()  # the model read it
    translated = [p[-1].content for p in model.prompts if p[0].content.startswith("You translate")]
    assert FR_THACH not in translated  # … at no model call
    assert assistant.answers.translator.cached([(FR_THACH, "fr"), ("Nicht im Cache.", "de")], "en")[1] is None
    # a cached translation the model was never asked how sure it was of is not read without asking
    unscored, _ = make(tmp_path / "unscored", translating(copy_source(1), {FR_37: EN_37, FR_THACH: EN_THACH}),
                       translate_evidence=6, translation_threshold=0.0)
    unscored.ask(question)
    assert unscored.answers.translator.cached([(FR_THACH, "fr")], "en") == [None]


def test_the_best_evidence_sentence_leads_at_once_and_the_models_sentences_follow(tmp_path):
    def shorter(messages):
        if "37 establishments" in sources_in(messages)[1]:
            return "Dà Nang trains IT students in 37 establishments [1]."
        return "x [1]."

    assistant, model = make(tmp_path, translating(shorter, {FR_37: EN_37}), translate_evidence=6, translation_threshold=0.0)
    seen = []

    def translations():
        return len([p for p in model.prompts if p[0].content.startswith("You translate")])

    def on_sentence(sentence):
        seen.append((sentence.kind, sentence.text, len([p for p in model.prompts if p[0].content.startswith("You answer")])))
        translated.append(translations())

    translated = []
    answer = assistant.answers.ask("How many IT training establishments does Da Nang have?", on_sentence=on_sentence)
    # the translation was shown before the model was asked to answer, and before the other sources were
    # translated; the model's own sentence came after
    assert seen == [("translation", EN_37, 0), ("generated", "Dà Nang trains IT students in 37 establishments", 1)]
    assert translated[0] == 1 < translations()
    assert [(s.kind, s.citations) for s in answer.sentences if s.supported] == [("translation", [1]), ("generated", [1])]
    assert answer.answer.startswith(EN_37 + " [1] (translated from French) Dà Nang trains IT students")
    assert not any("no generated sentence" in note for note in answer.notes)


def test_the_leads_greedy_translation_is_shown_while_its_translation_is_chosen(tmp_path):
    """The lead's greedy translation, checked, is shown before its variants are written and read; the answer
    then holds the one chosen, here a variant that reads better both ways."""
    chosen = EN_37.replace("Currently, Dà Nang has", "Dà Nang currently has")

    def scorer(messages, reply):  # the variant reads better, forward and back
        return [-0.1] if chosen in (reply, messages[-1].content) else [-1.0]

    model = FakeChatModel(
        replies=translating(lambda messages: "x [1].", {FR_37: EN_37}), scorer=scorer,
        variants=lambda messages, reply: [chosen] if reply == EN_37 else [],
    )
    assistant, _ = make(tmp_path, model, translate_evidence=1, translation_threshold=0.0)
    seen = []

    def on_sentence(sentence):
        seen.append((sentence.kind, sentence.text, len([m for m, _ in model.scored if m[-1].content == chosen])))

    answer = assistant.answers.ask("How many IT training establishments does Da Nang have?", on_sentence=on_sentence)
    assert seen[0] == ("translation", EN_37, 0)  # shown before the variant was read back
    assert [(s.kind, s.text) for s in answer.sentences if s.supported][0] == ("translation", chosen)
    assert answer.sources[0].translation == chosen and answer.timings.first_answer_ms < answer.timings.total_ms
    assert len([p for p in model.prompts if p[-1].content == FR_37]) == 1  # the greedy reply written once
    # The draft is shown once, with nothing before it: no second lead appears beside it while the answer is made.
    assert [kind for kind, _, _ in seen].count("translation") == 1


def test_the_first_draft_that_states_the_answer_is_shown_before_any_translation_is_chosen(tmp_path):
    """The best source's greedy translation is refused (it states a number its original does not); the next
    one's draft is shown before the best source's translation is chosen among its variants, not after."""
    fr_korea = ("La République de Corée reste l'un des pays clés dans la politique d'attraction des investissements de "
                "Dà Nang, a-t-il dit, ajoutant que sa ville avait déjà préparé des fonds fonciers, des infrastructures "
                "dans des zones informatiques concentrées, ainsi que des parcs de logiciels et de haute technologie pour "
                "que les entreprises puissent mettre en œuvre leurs projets.")
    wrong = "Korea remains one of the 99 key countries in Dà Nang's investment policy, he said."
    model = FakeChatModel(
        replies=translating(lambda messages: "x [1].", {fr_korea: wrong, FR_37: EN_37, FR_THACH: EN_THACH}),
        scorer=lambda messages, reply: [-0.1], variants=lambda messages, reply: [reply.replace(", he said", ", according to him")],
    )
    # no answer judge: the lead is sought after retrieval, not while a judge reads (the tests above)
    assistant, _ = make(tmp_path, model, translate_evidence=2, translation_threshold=0.0, judge_evidence=0)
    seen = []

    def on_sentence(sentence):
        seen.append((sentence.original, len([m for m, _ in model.scored if "according to him" in m[-1].content])))

    question = "What did the deputy director say about Da Nang and IT training establishments?"  # of no kind
    answer = assistant.answers.ask(question, on_sentence=on_sentence, filters=SearchFilters(langs=["fr"]))
    ranked = [s.quote for s in sorted(answer.sources, key=lambda s: -s.score)]
    assert ranked[0] == fr_korea and ranked[1] in (FR_37, FR_THACH)
    assert seen[0] == (ranked[1], 0)  # the second source's draft, shown before any variant was read back


def test_a_model_sentence_copied_from_the_lead_is_not_shown_twice(tmp_path):
    assistant, _ = make(tmp_path, translating(copy_source(1), {FR_37: EN_37}), translate_evidence=6, translation_threshold=0.0)
    answer = assistant.ask("How many IT training establishments does Da Nang have?")
    assert [(s.kind, s.text) for s in answer.sentences if s.supported] == [("translation", EN_37)]
    assert answer.answer.count("37 establishments") == 1


def test_a_model_sentence_that_only_shortens_the_lead_is_not_shown_either(tmp_path):
    """"Dà Nang has 37 establishments offering IT training [1]." after the translation it cites says nothing
    new; a sentence with a word or a number of its own does."""
    seen = []
    shortened = translating(lambda messages: "Dà Nang has 37 establishments offering IT training [1].", {FR_37: EN_37})
    assistant, _ = make(tmp_path, shortened, translate_evidence=6, translation_threshold=0.0)
    answer = assistant.ask("How many IT training establishments does Da Nang have?", on_sentence=seen.append)
    assert [(s.kind, s.text) for s in answer.sentences] == [("translation", EN_37)]
    assert [s.kind for s in seen] == ["translation"]
    assert not any("no generated sentence" in note for note in answer.notes)


def test_repeats_compares_content_words_by_stem_and_numbers():
    lead = [EN_37]
    assert repeats("Dà Nang has 37 establishments offering IT training.", lead, "en")
    assert repeats("Currently Dà Nang has about 6,000 graduates a year.", lead, "en")  # "graduate" ~ "graduates"
    assert not repeats("Dà Nang has 38 establishments offering IT training.", lead, "en")  # a number of its own
    assert not repeats("Dà Nang trains IT students in 37 establishments.", lead, "en")  # "students"
    assert not repeats("Dà Nang has 37 establishments.", [], "en")


def test_a_quote_the_reader_cannot_read_never_leads(tmp_path):
    assistant, model = make(tmp_path, translating(copy_source(1), {}), translate_evidence=6)
    seen = []

    def on_sentence(sentence):
        seen.append((sentence.kind, sentence.lang, len([p for p in model.prompts if p[0].content.startswith("You answer")])))

    answer = assistant.answers.ask("How many IT training establishments does Da Nang have?", on_sentence=on_sentence)
    best = max(answer.sources, key=lambda s: s.score)
    assert (best.lang, best.translation) == ("fr", None)  # the best evidence is French, untranslated …
    # … so nothing was shown before the model had been asked; the French quote only as the last resort
    assert seen and all(asked == 1 for _, _, asked in seen)
    assert "(French original, not translated)" in answer.answer


def test_when_no_written_sentence_verifies_the_translation_is_shown_with_its_original(tmp_path):
    def wrong(messages):
        return "Da Nang has 99 establishments [1]."

    assistant, _ = make(tmp_path, translating(wrong, {FR_37: EN_37}), translate_evidence=6, translation_threshold=0.0)
    answer = assistant.ask("How many IT training establishments does Da Nang have?")
    shown = [s for s in answer.sentences if s.supported]
    assert shown[0].kind == "translation" and shown[0].text == EN_37
    assert (shown[0].original, shown[0].original_lang, shown[0].lang) == (FR_37, "fr", "en")
    assert answer.answer.startswith(EN_37 + " [1] (translated from French)")
    public = answer.public()
    assert public["sentences"][1]["kind"] == "translation" and public["sentences"][1]["original_lang"] == "fr"


def test_without_a_verified_translation_the_original_is_quoted_and_labelled_with_its_language(tmp_path):
    assistant, model = make(tmp_path, translating(copy_source(1), {}), translate_evidence=6)
    answer = assistant.ask("How many IT training establishments does Da Nang have?")
    assert not any(s.translation for s in answer.sources)
    assert all(s.translation_note for s in answer.sources if s.lang != "en")
    shown = [s for s in answer.sentences if s.supported]
    assert shown and all(s.kind == "quote" for s in shown)
    assert "(French original, not translated)" in answer.answer
    answer_prompts = [p for p in model.prompts if p[0].content.startswith("You answer")]
    assert all(FR_37 not in p[-1].content for p in answer_prompts)  # the model only reads English


def test_the_answer_language_is_the_questions_unless_the_reader_chooses(tmp_path):
    assistant, model = make(tmp_path, translating(copy_source(1), {}), translate_evidence=6)
    assert assistant.ask("Wie viele IT-Ausbildungseinrichtungen hat Da Nang?").answer_lang == "de"
    assert assistant.ask("How many IT training establishments does Da Nang have?").answer_lang == "en"
    assert assistant.ask("Wie viele IT-Ausbildungseinrichtungen hat Da Nang?", answer_lang="fr").answer_lang == "fr"
    with pytest.raises(InputError, match="unknown answer language"):
        assistant.ask("How many?", answer_lang="xx")


def test_a_doubtful_match_is_answered_only_when_the_judge_reads_an_answer_in_it(tmp_path):
    question = "How many IT training establishments does Da Nang have?"

    def asked(path, p_yes: float, **overrides):
        model = FakeChatModel(replies=copy_source(1), judge=lambda messages, options: [p_yes, 1 - p_yes])
        # hashed vectors are far apart: every match lies between the two thresholds
        settings = dict(judge_evidence=2, doubtful_relevance=0.99, doubt_judge=0.45) | overrides
        assistant, _ = make(path, model, **settings)
        seen: list[str] = []
        return assistant.ask(question, on_sentence=lambda s: seen.append(s.text)), model, seen

    answer, model, seen = asked(tmp_path / "a", 0.3)
    assert not answer.answerable and answer.answer == NOT_ANSWERED
    assert answer.sources == [] and answer.sentences == [] and seen == []  # nothing shown, then taken back
    assert len(model.judged) == 2 and model.prompts == []  # judged, never composed
    assert "ASSISTANT_DOUBTFUL_RELEVANCE" in answer.notes[-1] and "at most 0.30" in answer.notes[-1]
    # the judge reads one of them as the answer: answered as before
    answer, model, seen = asked(tmp_path / "b", 0.5)
    assert answer.answerable and answer.sentences and seen
    # a match above the band needs no judge's word; nor does one when the judge is off
    for overrides in ({"doubtful_relevance": 0.0}, {"judge_evidence": 0}):
        answer, _, _ = asked(tmp_path / f"c{len(overrides)}{list(overrides)[0]}", 0.3, **overrides)
        assert answer.answerable and answer.sentences


def test_the_fixed_phrases_of_an_answer_are_in_the_answer_language(tmp_path):
    assistant, _ = make(tmp_path, ["unused"], min_relevance=0.99)
    assert assistant.ask("Wie heißt die Hauptstadt von Australien?").answer == "Die Dokumente beantworten diese Frage nicht."
    assert assistant.ask("What is the capital of Australia?").answer == NOT_ANSWERED
    from assistant.generation.shown_sources import displayed
    from assistant.models import AnswerSentence

    translation = AnswerSentence(text="37 Schulen.", citations=[1], supported=True, kind="translation", original="37 écoles.", original_lang="fr")
    assert displayed(translation, "de") == "37 Schulen. [1] (übersetzt, Original: Französisch)"
    quote = AnswerSentence(text="37 écoles.", citations=[1], supported=True, kind="quote", lang="fr")
    assert displayed(quote, "en") == "“37 écoles.” [1] (French original, not translated)"
    assert displayed(quote, "sv").endswith("(franska original, not translated)")  # no Swedish phrase: English, CLDR name


def test_a_translated_source_opening_with_a_pronoun_is_read_with_the_cached_translation_before_it(tmp_path):
    from assistant.backends.store_records import CachedTranslation
    from assistant.generation.translation import cache_key
    from assistant.models import Source
    from assistant.retrieval.evidence import Evidence

    assistant, model = make(tmp_path, FakeChatModel(replies=[]), translate_evidence=3, translation_threshold=0.0)
    pipeline = assistant.answers
    before_de, quote_de = "Die Warschauer Börse wurde 1817 gegründet.", "Sie wurde im April 1991 wiederbelebt."
    before_en, quote_en = "The Warsaw Stock Exchange was founded in 1817.", "It was revived in April 1991."
    passage = f"{before_de} {quote_de}"
    source = Source(n=1, doc_id="d", source="s", title="t", lang="de", chunk_id="d-0", quote=quote_de,
                    start=len(before_de) + 1, end=len(passage), passage=passage, translation=quote_en, translation_lang="en")
    evidence = Evidence(question="When was the Warsaw Stock Exchange revived?", sources=[source])
    # nothing cached for the sentence before: it is read as written
    assert pipeline.referent_contexts(evidence, "en") == {1: before_de}
    assert (source.context, source.context_lang) == (before_de, "de")  # kept on the source for the reader
    vector = assistant.embedder.embed_queries([before_en])[0]
    assistant.store.put_translations([CachedTranslation(
        cache_key(before_de, "de", "en", model.name), before_de, "de", "en", model.name, before_en, 0.99, vector, -0.1,
    )])
    contexts = pipeline.referent_contexts(evidence, "en")
    assert contexts == {1: before_en} and (source.context, source.context_lang) == (before_en, "en")
    # so an English sentence naming the exchange is checked against an English statement of its name
    claim = "The Warsaw Stock Exchange was revived in April 1991 [1]."
    texts, vectors = {1: quote_en}, {1: assistant.embedder.embed_passages([quote_en])[0]}
    passes = pipeline.verifier.check_answer(claim, evidence.question, texts, vectors, {1: "en"}, "en", contexts)
    fails = pipeline.verifier.check_answer(claim, evidence.question, texts, vectors, {1: "en"}, "en", {1: before_de})
    assert [s.supported for s in passes] == [True]
    assert [s.supported for s in fails] == [False] and "warsaw" in fails[0].reason
    # an untranslated source keeps the sentence before as written, whatever the cache holds
    untranslated = source.model_copy(update={"translation": None, "translation_lang": None})
    assert pipeline.referent_contexts(Evidence(question="q", sources=[untranslated]), "en") == {1: before_de}


def test_the_sentence_the_answer_judge_says_answers_leads_and_is_source_one(tmp_path):
    # no answer type (who, how many …): the lead is the best sentence by standing
    question = "What did the deputy director say about Da Nang and IT training establishments?"
    by_score, _ = make(tmp_path / "a", copy_source(1), judge_evidence=0)
    sources = by_score.ask(question).sources
    assert [s.lang for s in sources[:2]] == ["en", "en"]
    runner_up = sources[1].quote  # second by score
    model = FakeChatModel(
        replies=copy_source(1),
        judge=lambda messages, options: [0.95, 0.05] if runner_up in messages[-1].content else [0.05, 0.95],
    )
    assistant, _ = make(tmp_path / "b", model, judge_evidence=6)
    answer = assistant.ask(question)
    assert answer.sources[0].quote == runner_up and answer.sources[0].answers == 0.95
    assert answer.sentences[0].kind == "quote" and answer.sentences[0].text == runner_up  # it leads
    assert sources_in(model.prompts[-1])[1] == " ".join(runner_up.split())  # and is the model's [1]
    assert answer.timings.judge_ms > 0


def test_a_lead_the_judge_is_sure_of_is_shown_before_the_other_sentences_are_judged(tmp_path):
    question = "What did the deputy director say about Da Nang and IT training establishments?"
    by_score, _ = make(tmp_path / "a", copy_source(1), judge_evidence=0)
    best = by_score.ask(question).sources[0].quote

    def asked(path, sure_of: str):
        model = FakeChatModel(
            replies=copy_source(1),
            judge=lambda messages, options: [0.99, 0.01] if sure_of in messages[-1].content else [0.05, 0.95],
        )
        assistant, _ = make(path, model, judge_evidence=6)
        seen: list[tuple[str, int]] = []
        answer = assistant.ask(question, on_sentence=lambda s: seen.append((s.text, len(model.judged))))
        return answer, seen

    answer, seen = asked(tmp_path / "b", best)
    # sure of the best by score, no judgement of the other five could pass it: shown after one judgement
    assert seen[0] == (best, 1)
    assert answer.sources[0].quote == best and answer.sentences[0].text == best
    # shown once, and what was shown as it came is what the answer holds
    assert [text for text, _ in seen] == [s.text for s in answer.sentences if s.supported]
    # sure of none, the lead waits for every judgement
    answer, seen = asked(tmp_path / "c", "no sentence holds this")
    assert seen[0] == (answer.sentences[0].text, 6)


def test_a_second_sentence_the_judge_finds_likely_to_answer_follows_the_lead_as_source_two(tmp_path):
    question = "What did the deputy director say about Da Nang and IT training establishments?"
    by_score, _ = make(tmp_path / "a", copy_source(1), judge_evidence=0)
    sources = by_score.ask(question).sources
    likely, sure = sources[1].quote, sources[2].quote  # second and third by score

    def judge(messages, options):
        said = messages[-1].content
        return [0.9, 0.1] if sure in said else [0.6, 0.4] if likely in said else [0.05, 0.95]

    def asked(path, **overrides):
        model = FakeChatModel(replies=copy_source(1), judge=judge)
        assistant, _ = make(path, model, judge_evidence=6, **overrides)
        return assistant.ask(question), model

    answer, model = asked(tmp_path / "b")
    shown = [s for s in answer.sentences if s.supported]
    assert [s.text for s in shown[:2]] == [sure, likely] and [s.citations for s in shown[:2]] == [[1], [2]]
    assert sources_in(model.prompts[-1])[2] == " ".join(likely.split())  # the model's [2]
    assert [s.text for s in shown].count(sure) == 1  # the model's copy of [1] is not shown twice
    # below the threshold only the lead comes before the model's sentences
    answer, _ = asked(tmp_path / "c", judge_second=0.7)
    shown = [s for s in answer.sentences if s.supported]
    assert shown[0].text == sure and likely not in [s.text for s in shown]


def test_the_judges_yes_lets_a_sentence_lead_that_writes_no_answer_of_the_kind_asked(tmp_path):
    # "How many …" asks for a number: by its words alone a sentence without one never leads while another
    # among the first few writes one; the judge reading it as the answer outweighs that.
    question = "How many Korean firms took part in the digital forum?"
    by_score, _ = make(tmp_path / "a", copy_source(1), judge_evidence=0)
    sources = by_score.ask(question).sources[:4]
    assert all(s.lang == "en" for s in sources) and any(re.search(r"\d", s.quote) for s in sources)
    wordy = next(s.quote for s in sources[1:] if not re.search(r"\d", s.quote))  # not first by score either
    model = FakeChatModel(
        replies=copy_source(1),
        judge=lambda messages, options: [0.9, 0.1] if wordy in messages[-1].content else [0.05, 0.95],
    )
    assistant, _ = make(tmp_path / "b", model, judge_evidence=6)
    answer = assistant.ask(question)
    assert answer.sources[0].quote == wordy  # first by standing …
    shown = [s for s in answer.sentences if s.supported]
    assert shown[0].kind == "quote" and shown[0].text == wordy  # … and it leads
    # unjudged, a sentence that writes a number ("two" ministers) leads instead
    assert [s for s in by_score.ask(question).sentences if s.supported][0].text != wordy


def test_a_shown_source_sentence_opening_with_a_pronoun_is_shown_after_the_sentence_before_it(tmp_path):
    from assistant.generation.shown_sources import as_sentence, displayed
    from assistant.models import Source

    before_de, quote_de = "Museveni studierte in Daressalam.", "Er gab 1987 seine marxistischen Prinzipien auf."
    before_en, quote_en = "Museveni studied in Dar es Salaam.", "He gave up his Marxist principles in 1987."
    assistant, model = make(tmp_path, translating(lambda m: "x [1].", {before_de: before_en}), translation_threshold=0.0)
    pipeline = assistant.answers
    passage = f"{before_de} {quote_de}"

    def source(n, **update):
        fields = dict(quote=quote_de, start=len(before_de) + 1, end=len(passage), passage=passage) | update
        return Source(n=n, doc_id="d", source="s", title="t", lang="de", chunk_id="d-0", **fields)

    translated = source(1, translation=quote_en, translation_lang="en")
    quoted = source(2)
    shown = pipeline.with_contexts([as_sentence(translated, "en"), as_sentence(quoted, "en")], [translated, quoted], "en")
    # a translation is shown after the sentence before, translated (and checked) now; a quote after it as written
    assert [(s.context, s.context_original) for s in shown] == [(before_en, before_de), (before_de, before_de)]
    assert displayed(shown[0], "en") == f"{before_en} {quote_en} [1] (translated from German)"
    assert displayed(shown[1], "en").startswith(f"“{before_de} {quote_de}” [2]")
    # a sentence before that is itself shown is not repeated; a sentence opening with a name needs none
    first = source(3, quote=before_de, start=0, end=len(before_de), translation=before_en, translation_lang="en")
    again = pipeline.with_contexts([as_sentence(first, "en"), as_sentence(translated, "en")], [first, translated], "en")
    assert [s.context for s in again] == [None, None]
    # without a verified translation of the sentence before, the translation is shown alone
    other = source(4, passage=f"Er kam 1944 zur Welt. {quote_de}", start=len("Er kam 1944 zur Welt. "),
                   translation=quote_en, translation_lang="en")
    (alone,) = pipeline.with_contexts([as_sentence(other, "en")], [other], "en")
    assert alone.context is None and displayed(alone, "en") == f"{quote_en} [4] (translated from German)"


def test_the_sentence_before_is_read_as_part_of_what_the_reader_is_shown():
    from assistant.evaluation.scoring import correct_in_language
    from assistant.models import AnswerSentence, Source

    src = Source(n=1, doc_id="d", source="s", title="t", lang="en", chunk_id="c", quote="He gave up Marxism.",
                 start=0, end=10, passage="Museveni led. He gave up Marxism.")
    sentence = AnswerSentence(text="He gave up Marxism.", citations=[1], supported=True, kind="quote", lang="en")
    answer = Answer(question="Who gave up Marxism?", answer_lang="en", answer="", answerable=True, model="m",
                    sentences=[sentence], sources=[src])
    assert not correct_in_language(answer, [["Museveni"]])
    answer.sentences = [sentence.model_copy(update={"context": "Museveni led.", "context_original": "Museveni led."})]
    assert correct_in_language(answer, [["Museveni"]])
