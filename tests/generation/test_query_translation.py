"""Query translation with the scripted fake model (hashed embedder, real embedded Chroma)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.backends.embedder import HashingEmbedder
from assistant.backends.fake_chat import FakeChatModel
from assistant.config import Settings
from assistant.generation.query_translation import (
    QueryTranslator,
    clean,
    examples,
    masked_names,
    unmasked,
)
from assistant.models import SearchFilters
from assistant.retrieval.evidence import select_evidence
from assistant.retrieval.translations import TRANSLATION_WEIGHT, lifted
from assistant.service import NewsAssistant

QUESTION = "Since when have Vietnam and South Korea had diplomatic relations?"
VIETNAMESE = "Việt Nam và Hàn Quốc có quan hệ ngoại giao từ khi nào?"
GERMAN = "Seit wann haben Vietnam und Südkorea diplomatische Beziehungen?"

ARTICLES = {
    "vi.txt": "Quan hệ Việt Nam - Hàn Quốc\n\nViệt Nam và Hàn Quốc thiết lập quan hệ ngoại giao từ năm 1992 và "
    "từ đó hai nước đã trở thành những người bạn gần gũi trong nhiều lĩnh vực.",
    "de.txt": "Digitalforum in Seoul\n\nDie Minister beider Länder trafen sich in Seoul zu einem Forum über digitale "
    "Technologien und künstliche Intelligenz, an dem viele Unternehmen teilnahmen.",
    "en.txt": "Trade fair opens\n\nA trade fair about digital technology opened in Hanoi on Monday, and many "
    "companies from Vietnam and South Korea showed their products.",
}


def scripted(messages):
    instructions = messages[0].content
    if "into Vietnamese" in instructions:
        return " " + VIETNAMESE
    if "into German" in instructions:
        return " " + GERMAN
    return " " + QUESTION  # a copy: no usable translation


@pytest.fixture()
def assistant(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in ARTICLES.items():
        (docs / name).write_text(text, encoding="utf-8")
    model = FakeChatModel(replies=scripted)
    a = NewsAssistant(
        Settings(store_dir=tmp_path / "store", embedder="hash", translate_queries="vi,de,fr,id"), embedder=HashingEmbedder(), model=model
    )
    a.ingest([docs])
    return a


def test_the_prompt_is_few_shot_in_the_target_language_and_names_the_question():
    """Instructions, then the examples as requests and replies (a conversation: given as one text to
    continue, an instruct model replied with a preamble), then the question; the fixed part is marked so."""
    messages = QueryTranslator.messages(QUESTION, "vi")
    assert messages[0].role == "system" and "from English into Vietnamese" in messages[0].content
    pairs = list(zip(examples()["en"], examples()["vi"]))
    assert [(m.role, m.content) for m in messages[1:-1]] == [
        turn for english, vietnamese in pairs for turn in (("user", english), ("assistant", vietnamese))
    ]
    assert all(m.fixed for m in messages[1:-1]) and not messages[-1].fixed
    assert (messages[-1].role, messages[-1].content) == ("user", QUESTION)
    assert set(examples()) >= {"en", "vi", "de", "fr", "id"}
    assert len({len(questions) for questions in examples().values()}) == 1  # the same questions in each
    for questions in examples().values():  # the examples carry no numbers for a tiny model to copy
        assert len(questions) >= 8 and not any(ch.isdigit() for ch in "".join(questions))


def test_clean_keeps_a_translation_and_drops_what_is_not_one():
    assert clean(" " + VIETNAMESE + "\nEnglish: next", QUESTION, "vi", "en") == VIETNAMESE
    assert clean("  ", QUESTION, "vi", "en") is None
    assert clean(QUESTION, QUESTION, "vi", "en") is None  # a copy
    assert clean("quan hệ quan hệ quan hệ quan hệ", QUESTION, "vi", "en") is None  # a loop
    assert clean("When did the two countries establish diplomatic relations?", QUESTION, "vi", "en") is None  # English
    assert clean(VIETNAMESE * 6, QUESTION, "vi", "en") is None  # far longer than the question
    assert clean("Việt Nam và Hàn Quốc đã có liên hệ外交 từ khi nào?", QUESTION, "vi", "en") is None  # drifted into Chinese


def test_person_names_are_masked_and_places_titles_and_acronyms_are_not():
    assert masked_names("Which Korean policy did Minister You Young Min mention?") == (
        "Which Korean policy did Minister X mention?", {"X": "You Young Min"})
    assert masked_names("What did Nguyen Manh Hung and Choi Youngsam agree on?") == (
        "What did X and Y agree on?", {"X": "Nguyen Manh Hung", "Y": "Choi Youngsam"})
    assert masked_names("Did X meet Lee Jong-ho?") == ("Did X meet Y?", {"Y": "Lee Jong-ho"})  # X was taken
    assert masked_names("What did Angela Merkel's office say?") == ("What did X's office say?", {"X": "Angela Merkel"})
    for question in (QUESTION, "When did CMC Technology Group launch CMC Korea?", "Which university did Minister Hung visit?",
                     "What did the Korean Minister of Science say?"):
        assert masked_names(question) == (question, {})
    assert unmasked("Ông X đã gặp Y chưa?", {"X": "Nguyen Manh Hung", "Y": "Lee Jong-ho"}) == "Ông Nguyen Manh Hung đã gặp Lee Jong-ho chưa?"
    assert unmasked("Xem Bộ trưởng nói gì?", {"X": "Alma Berg"}) == "Xem Bộ trưởng nói gì?"  # whole words only


def test_the_model_translates_the_question_with_names_masked_and_gets_them_back():
    """gemma-3-270m replaced "You Young Min" by an invented Vietnamese name; a placeholder it keeps is
    turned back into the name, one it drops leaves the translation without it."""
    replies = iter([" Bộ trưởng X đã nói gì về Y?", " Bộ trưởng đã nói gì?"])
    model = FakeChatModel(replies=lambda messages: next(replies))
    translator = QueryTranslator(model, HashingEmbedder())
    question = "What did Minister You Young Min say about Nguyen Manh Hung?"
    assert translator.text(question, "vi") == "Bộ trưởng You Young Min đã nói gì về Nguyen Manh Hung?"
    assert model.prompts[-1][-1].content == "What did Minister X say about Y?"
    assert translator.text(question.replace("say", "tell"), "vi") == "Bộ trưởng đã nói gì?"
    assert translator.text(question, "vi") == "Bộ trưởng You Young Min đã nói gì về Nguyen Manh Hung?"  # remembered
    assert len(model.prompts) == 2


def test_translations_cover_the_store_languages_except_the_question_and_are_remembered(assistant):
    model = assistant.model.inner
    translations = assistant.translations(QUESTION)
    assert {t.lang: t.text for t in translations} == {"vi": VIETNAMESE, "de": GERMAN}
    assert all(t.vector.shape == (assistant.embedder.dim,) for t in translations)
    calls = len(model.prompts)
    assert calls == 2  # vi and de; never into English, the question's own language
    assistant.translations(QUESTION)
    assert len(model.prompts) == calls  # remembered
    assert [t.lang for t in assistant.translations(QUESTION, SearchFilters(langs=["de"]))] == ["de"]
    only_vi = NewsAssistant(assistant.settings.model_copy(update={"translate_queries": "vi"}), embedder=assistant.embedder, model=model)
    assert [t.lang for t in only_vi.translations(QUESTION)] == ["vi"]  # only the languages listed
    off = NewsAssistant(assistant.settings.model_copy(update={"translate_queries": ""}), embedder=assistant.embedder, model=model)
    assert off.translations(QUESTION) == []


def test_a_translation_finds_a_passage_of_its_language_that_the_question_misses(assistant):
    plain = assistant.retriever.search(QUESTION, 3)
    translated = assistant.search(QUESTION, 3)
    assert plain[0].source != "vi.txt"  # hashed words: the English question shares none with Vietnamese
    assert translated[0].source == "vi.txt"
    assert translated[0].dense_score > plain[0].dense_score
    # A language the search excludes is not searched by its translation either.
    only_english = assistant.search(QUESTION, 3, SearchFilters(langs=["en"]))
    assert {h.source for h in only_english} == {"en.txt"}


def test_evidence_scores_sentences_by_their_language_translation_but_relevance_by_the_question(assistant):
    translations = assistant.translations(QUESTION)
    ev = select_evidence(QUESTION, assistant.retriever, assistant.store, assistant.embedder, k=3, n_sentences=2, translations=translations)
    plain = select_evidence(QUESTION, assistant.retriever, assistant.store, assistant.embedder, k=3, n_sentences=2)
    assert ev.sources[0].lang == "vi" and any("1992" in src.quote for src in ev.sources)
    assert plain.sources[0].lang != "vi"
    # The refusal is calibrated on the question's own cosine: translations do not make it more confident.
    qvec = assistant.embedder.embed_queries([QUESTION])[0]
    vi = {t.lang: t.vector for t in translations}["vi"]
    sentences = assistant.store.sentences_of([h.chunk_id for h in ev.hits])
    assert ev.best_cosine <= max(float(np.dot(s.embedding, qvec)) for s in sentences) + 1e-6
    assert ev.best_cosine < max(float(np.dot(s.embedding, vi)) for s in sentences)


def test_a_translation_lifts_by_part_of_its_lead_and_never_lowers():
    assert Settings().translation_weight == TRANSLATION_WEIGHT  # select_evidence's default is the setting's
    assert lifted(0.70, 0.90, 0.7) == pytest.approx(0.84)  # 0.7 of the 0.20 lead
    assert lifted(0.80, 0.60, 0.7) == 0.80  # a translation further away changes nothing
    assert lifted(0.70, 0.90, 1.0) == pytest.approx(0.90)  # 1: the better of the two
    assert lifted(0.70, 0.90, 0.0) == 0.70  # 0: translations ignored


def test_the_translation_weight_sets_how_far_a_translated_passage_rises(assistant):
    def vi_score(weight: float, **kwargs) -> float:
        settings = assistant.settings.model_copy(update={"translation_weight": weight, "feedback_weight": 0.0})
        searcher = NewsAssistant(settings, embedder=assistant.embedder, model=assistant.model.inner)
        hits = searcher.search(QUESTION, 3, **kwargs)
        return next(h.dense_score for h in hits if h.source == "vi.txt")

    plain, half, full = vi_score(0.0), vi_score(0.5), vi_score(1.0)
    assert plain < half < full
    assert half <= (plain + full) / 2 + 1e-6  # the best of lifted sentences: at most the straight line
    assert vi_score(0.0) == pytest.approx(vi_score(0.0, translations=[]), abs=1e-6)  # weight 0 = no translation

    translations = assistant.translations(QUESTION)
    quote = {}
    for weight in (0.0, 1.0):
        ev = select_evidence(QUESTION, assistant.retriever, assistant.store, assistant.embedder, k=3, n_sentences=3,
                             translations=translations, translation_weight=weight)
        quote[weight] = next(src.score for src in ev.sources if src.lang == "vi")
    assert quote[1.0] > quote[0.0]


def test_search_without_a_loadable_model_is_searched_untranslated_and_asking_says_why(assistant, tmp_path, caplog):
    from assistant.errors import AssistantError

    settings = assistant.settings.model_copy(update={"model": str(tmp_path / "missing.gguf")})
    broken = NewsAssistant(settings, embedder=assistant.embedder)  # no model given: it would be loaded
    with caplog.at_level("WARNING", logger="assistant.service"):
        hits = broken.search(QUESTION, 3)
    plain = assistant.retriever.search(QUESTION, 3)
    assert [h.chunk_id for h in hits] == [h.chunk_id for h in plain]  # the same as without translation
    assert "searching without query translation" in caplog.text and "missing.gguf" in caplog.text
    with pytest.raises(AssistantError, match="missing.gguf"):  # an answer needs the model: a clear error
        broken.ask(QUESTION)


def test_a_store_without_the_listed_languages_searches_without_loading_the_model(assistant, tmp_path):
    settings = assistant.settings.model_copy(update={"model": str(tmp_path / "missing.gguf"), "translate_queries": "ja"})
    a = NewsAssistant(settings, embedder=assistant.embedder)  # a model would fail to load
    assert a.translations(QUESTION) == []
    assert a.search(QUESTION, 3)
    assert "model" not in vars(a) and "translator" not in vars(a)  # neither was created


def test_a_given_model_translates_too(assistant):
    assert assistant.translation_model is assistant.model  # the scripted fake answers and translates


def test_an_unusable_first_translation_is_drawn_again_sampled_once():
    """A greedy reply that drifted into Chinese is no translation; one sampled reply (fixed seed) is asked
    for, and when that fails too there is none."""
    replies = iter(["Việt Nam và Hàn Quốc đã có liên hệ外交 từ khi nào?", " " + VIETNAMESE, QUESTION, QUESTION])
    model = FakeChatModel(replies=lambda messages: next(replies))
    translator = QueryTranslator(model, HashingEmbedder())
    assert translator.text(QUESTION, "vi") == VIETNAMESE
    assert model.samplings == [(None, None), (0.7, 1)]
    assert translator.text("When did the two countries sign it?", "vi") is None  # two copies of the question
    assert len(model.prompts) == 4
