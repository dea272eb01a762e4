"""The service's work ahead of questions: warming up, and translating the library ahead of questions."""

from __future__ import annotations

import threading

from assistant.backends.embedder import HashingEmbedder
from assistant.backends.fake_chat import FakeChatModel
from assistant.config import Settings
from assistant.service import NewsAssistant
from tests.support.paths import SEEDS


def echo_translator(messages) -> str:
    """Translates by prefixing (enough for the cache; the checks are not what is tested here)."""
    return "EN " + messages[-1].content


def test_warm_up_loads_what_the_first_question_needs_and_caches_the_answer_instructions(tmp_path):
    from assistant.generation.translation import translation_messages
    from assistant.retrieval.answer_judge import AnswerJudge

    model = FakeChatModel(replies=["ok"])
    assistant = NewsAssistant(Settings(store_dir=tmp_path / "store", embedder="hash"), embedder=HashingEmbedder(), model=model)
    assistant.ingest([SEEDS])
    assistant.warm_up()
    answer, judge, *translations = model.prompts
    assert answer[0].content == assistant.answers.messages({1: "x"}, "q", "en")[0].content  # the answer instructions
    # the answer judge's instructions and worked judgements, which every question now reads first
    assert judge[:-1] == AnswerJudge.messages("q", "x", "en")[:-1]
    # and the translation instructions from each of the library's other languages into English
    assert [p[0].content for p in translations] == [translation_messages("x", lang, "en")[0].content for lang in ("de", "fr", "id", "vi")]


def test_the_library_is_translated_ahead_of_questions_once(tmp_path):
    model = FakeChatModel(replies=echo_translator)
    settings = Settings(store_dir=tmp_path / "store", embedder="hash", translation_attempts=1)
    assistant = NewsAssistant(settings, embedder=HashingEmbedder(), model=model)
    assistant.ingest([SEEDS])
    pending = assistant.untranslated("en")
    assert pending and {lang for _, lang in pending} == {"de", "fr", "id", "vi"}  # the English seed needs none
    progress: list[tuple[int, int]] = []
    done = assistant.pretranslate("en", on_progress=lambda d, t: progress.append((d, t)))
    assert done == len(pending) and progress[-1] == (len(pending), len(pending))
    assert assistant.store.count_translations() == len(pending)
    calls = len(model.prompts)
    assert assistant.untranslated("en") == [] and assistant.pretranslate("en") == 0 and len(model.prompts) == calls


def test_a_refused_cached_translation_is_drafted_again_only_when_asked(tmp_path):
    """A refusal is cached like a translation, so questions do not pay for failed drafts again; after the
    model, prompt or checks improve, `assistant translate --retry-refused` gives those sentences new drafts."""
    from assistant.generation.translation import translation_messages
    from tests.generation.test_answer import EN_37, FR_37

    improved = threading.Event()

    def translator(messages):
        sentence = messages[-1].content
        if sentence == FR_37:
            return EN_37 if improved.is_set() else EN_37.replace("each year", "each year since 1999")
        return sentence  # other sentences: no translation (refused, not what is tested)

    model = FakeChatModel(replies=translator)
    settings = Settings(store_dir=tmp_path / "store", embedder="hash", translation_attempts=2, translation_threshold=0.0)
    assistant = NewsAssistant(settings, embedder=HashingEmbedder(), model=model)
    assistant.ingest([SEEDS / "004_9162929b01fb154b.txt"])
    assistant.pretranslate("en")
    item = (FR_37, "fr")
    assert item in assistant.refused("en") and assistant.answers.translator.refused([item], "en") == [True]

    improved.set()
    calls = len(model.prompts)
    assert assistant.pretranslate("en") == 0 and len(model.prompts) == calls  # a cached refusal stays
    assert assistant.pretranslate("en", retry_refused=True) == len(assistant.library_sentences("en"))
    (rendering,) = assistant.answers.translator.render([item], "en")  # read from the cache, no model call
    assert rendering.cached and rendering.verified and rendering.text == EN_37
    assert item not in assistant.refused("en")
    redrafts = [p for p in model.prompts[calls:] if p[-1].content == FR_37 and p[:1] == translation_messages(FR_37, "fr", "en")[:1]]
    # sampled, with seeds the first translation's retry did not use (seed 1 drew the refused draft again)
    assert redrafts and {seed for _, seed in model.samplings[calls:]} == {2}
