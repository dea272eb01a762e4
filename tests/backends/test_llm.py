"""Model resolution and errors (fast), the local GGUF and the OpenAI-compatible backend (real)."""

from __future__ import annotations

import pytest

from assistant.backends.chat import ChatMessage, ChatModel, get_chat_model
from assistant.backends.endpoint import OpenAIChatModel
from assistant.backends.fake_chat import FakeChatModel
from assistant.backends.model_files import BUNDLED_MODELS, resolve_model_path
from assistant.config import Settings
from assistant.errors import ConfigError, ModelError
from tests.support.servers import free_port
from tests.support.servers import llama_server as llama_server_process


def test_missing_model_file_is_a_config_error_with_a_hint(tmp_path):
    with pytest.raises(ConfigError) as err:
        resolve_model_path(str(tmp_path / "nope.gguf"))
    assert "not found" in err.value.message and "ASSISTANT_MODEL" in err.value.hint


def test_a_file_that_is_not_gguf_is_refused(tmp_path):
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"<html>not a model</html>")
    with pytest.raises(ConfigError, match="not a GGUF"):
        get_chat_model(Settings(model=str(fake)))


def test_an_unreachable_endpoint_is_a_model_error_with_a_hint():
    port = free_port()  # nobody listens on it
    model = get_chat_model(Settings(llm_url=f"http://127.0.0.1:{port}/v1", llm_timeout=5))
    assert isinstance(model, OpenAIChatModel)
    with pytest.raises(ModelError) as err:
        list(model.stream([ChatMessage("user", "hi")], max_tokens=4))
    assert "cannot reach" in err.value.message and "ASSISTANT_LLM_URL" in err.value.hint


def test_fake_model_records_prompts_and_follows_its_script():
    fake = FakeChatModel(replies=["one [1].", "two [2]."])
    assert isinstance(fake, ChatModel)
    first = "".join(fake.stream([ChatMessage("user", "a")], max_tokens=8, grammar="root ::= x"))
    second = "".join(fake.stream([ChatMessage("user", "b")], max_tokens=8))
    third = "".join(fake.stream([ChatMessage("user", "c")], max_tokens=8))
    assert (first, second, third) == ("one [1].", "two [2].", "two [2].")
    assert [p[0].content for p in fake.prompts] == ["a", "b", "c"] and fake.grammars[0] == "root ::= x"


@pytest.mark.integration
@pytest.mark.parametrize("name", sorted(BUNDLED_MODELS))
def test_bundled_models_load_and_are_deterministic(name):
    model = get_chat_model(Settings(model=name))
    assert get_chat_model(Settings(model=name)) is model  # loaded once per process
    messages = [ChatMessage("user", "Name the capital of France in one word.")]
    a = "".join(model.stream(messages, max_tokens=12))
    b = "".join(model.stream(messages, max_tokens=12))
    assert a == b and a.strip()
    assert model.count_tokens(messages) > 5
    grammar = 'root ::= "Paris" | "Lyon"'
    assert "".join(model.stream(messages, max_tokens=8, grammar=grammar)) in {"Paris", "Lyon"}


@pytest.mark.integration
def test_answers_translations_and_judgements_share_one_loaded_model(tmp_path):
    from assistant.service import NewsAssistant

    assistant = NewsAssistant(Settings(store_dir=tmp_path / "store"))
    main = get_chat_model(Settings())
    assert assistant.translation_model is assistant.model and assistant.model.inner is main  # one copy of the weights
    assert assistant.answers.translator.model is assistant.model is assistant.briefs.translator.model


@pytest.mark.integration
def test_the_judge_reads_yes_and_no_from_the_next_token_distribution():
    from assistant.grounding.faithfulness import FaithfulnessJudge

    judge = FaithfulnessJudge(get_chat_model(Settings()))
    original = "Die Stadt hat die neue Brücke am Montag eröffnet."
    faithful = judge.p_faithful(original, "de", "The city opened the new bridge on Monday.", "en")
    negated = judge.p_faithful(original, "de", "The city did not open the new bridge on Monday.", "en")
    assert 0.0 <= negated < faithful <= 1.0
    # Asked again after another prompt, the same pair gets nearly the same probability: the shared prefix
    # comes from llama.cpp's cache and only the differing tail is evaluated, which moves the last bits
    # (0.6356 → 0.6330 here), far less than any threshold's margin.
    assert judge.p_faithful(original, "de", "The city opened the new bridge on Monday.", "en") == pytest.approx(faithful, abs=0.01)


@pytest.mark.integration
def test_a_request_asked_again_gets_the_same_reply_even_after_others():
    from assistant.generation.query_translation import QueryTranslator

    model = get_chat_model(Settings(model="gemma-3-270m"))
    translator = QueryTranslator(model, embedder=None)
    # A near-tie: re-evaluating only the prompt's last token from the cache (what llama-cpp-python does for
    # an exact repeat), or the prompt's tail after another prompt with the same beginning, gemma-3-270m
    # named another person than evaluated whole (AVX2 build: the last bits of the logits differ).
    prompt = translator.messages(
        "Which Korean policy for the fourth industrial revolution did Minister You Young Min mention?", "vi"
    )
    other = translator.messages("What is VKIST?", "vi")

    def reply(messages):
        return "".join(model.stream(messages, max_tokens=32, stop=["\n"]))

    model.reset()
    fresh = reply(prompt)
    again = reply(prompt)  # replayed
    reply(other)
    after_another = reply(prompt)  # replayed, though the cache now holds the other prompt
    assert fresh.strip() and fresh == again == after_another
    model._replies.clear()  # not replayed: the same prompt right after itself is evaluated whole again
    model._last_prompt = tuple((m.role, m.content) for m in prompt)
    assert reply(prompt) == fresh
    model.reset()  # a fresh start evaluates it whole, as the first time
    assert reply(prompt) == fresh


@pytest.mark.integration
def test_each_kind_of_prompt_keeps_its_instructions_evaluated_between_other_kinds(monkeypatch):
    from assistant.generation.translation import translation_messages
    from assistant.grounding.faithfulness import FaithfulnessJudge

    model = get_chat_model(Settings())
    model.reset()
    evaluated: list[int] = []
    real_eval = model._llm.eval
    monkeypatch.setattr(model._llm, "eval", lambda tokens: (evaluated.append(len(tokens)), real_eval(tokens))[1])

    def translate(sentence):
        return "".join(model.stream(translation_messages(sentence, "de", "en"), max_tokens=40, stop=["\n"]))

    first = translate("Die Stadt eröffnete am Montag die neue Brücke.")
    judged = FaithfulnessJudge(model).p_faithful("Die Stadt eröffnete die Brücke.", "de", "The city opened the bridge.", "en")
    judge_prompt = model._prompt_tokens(FaithfulnessJudge.messages("Die Stadt eröffnete die Brücke.", "de", "x", "en"))
    # The judge's few-shot instructions (hundreds of tokens) were evaluated once, then kept aside.
    assert len(model._prefixes.states) == 2 and 0.0 < judged < 1.0
    evaluated.clear()
    second = translate("Die Gemeinde schloss am Freitag die alte Schule.")
    prompt = model._prompt_tokens(translation_messages("Die Gemeinde schloss am Freitag die alte Schule.", "de", "en"))
    fixed = model._fixed_part(translation_messages("x", "de", "en"), prompt)
    # Coming back after the judge, the translation instructions were restored, not evaluated again.
    assert 0 < fixed < len(prompt) and evaluated[0] == len(prompt) - fixed  # then one call per token written
    evaluated.clear()
    again = FaithfulnessJudge(model).p_faithful("Die Stadt eröffnete die Brücke.", "de", "The city opened the bridge.", "en")
    assert sum(evaluated) < len(judge_prompt) // 2 and again == pytest.approx(judged, abs=1e-6)
    # Restored or computed, the prompt gives the same reply as from a cold start.
    model.reset()
    assert translate("Die Gemeinde schloss am Freitag die alte Schule.") == second and first.strip()


def test_a_worked_examples_reply_follows_its_request_in_a_completion_prompt():
    from assistant.backends.llm import LlamaCppModel

    prompt = LlamaCppModel._completion_prompt(None, [
        ChatMessage("system", "Answer."), ChatMessage("user", "Q: one?\nAnswer:", fixed=True),
        ChatMessage("assistant", "One [1].", fixed=True), ChatMessage("user", "Q: two?\nAnswer:"),
    ])
    assert prompt.endswith("Q: one?\nAnswer: One [1].\n\nQ: two?\nAnswer:") and prompt.startswith("Answer.")


@pytest.mark.integration
def test_the_answer_prompts_worked_example_is_kept_evaluated_with_its_instructions():
    from assistant.generation.answer import AnswerPipeline

    model = get_chat_model(Settings())
    messages = AnswerPipeline.messages(None, {1: "Die Stadt eröffnete die Brücke."}, "Who opened the bridge?", "en")
    tokens = model._prompt_tokens(messages)
    fixed = model._llm.detokenize(tokens[: model._fixed_part(messages, tokens)]).decode("utf-8")
    assert "12 million euros [2]." in fixed and "Who opened the bridge?" not in fixed


@pytest.mark.integration
def test_a_given_reply_is_scored_token_by_token():
    from assistant.generation.translation import translation_messages

    model = get_chat_model(Settings())
    messages = translation_messages("Der Trainer lobte den Spieler nach dem Spiel.", "de", "en")
    greedy = "".join(model.stream(messages, max_tokens=40, stop=["\n"])).strip()
    scores = model.reply_logprobs(messages, greedy)
    assert len(scores) == len(model._llm.tokenize(greedy.encode(), add_bos=False, special=False))
    assert all(s <= 0.0 for s in scores)
    # Scored twice, through the cache or not, the same; the greedy reply is more likely than roles swapped.
    assert model.reply_logprobs(messages, greedy) == pytest.approx(scores, abs=1e-4)
    swapped = model.reply_logprobs(messages, "The player praised the coach after the game.")
    assert sum(scores) > sum(swapped) and min(scores) > min(swapped)
    assert model.reply_logprobs(messages, "") == []


@pytest.mark.integration
def test_the_same_request_twice_is_replayed_and_a_different_one_is_generated(monkeypatch):
    model = get_chat_model(Settings(model="gemma-3-270m"))
    messages = [ChatMessage("user", "Name the capital of Italy in one word.")]
    model.reset()
    first = list(model.stream(messages, max_tokens=8))

    def must_not_run(*args, **kwargs):
        raise AssertionError("the model was run for a request it has just answered")

    monkeypatch.setattr(model._llm, "create_completion", must_not_run)
    monkeypatch.setattr(model._llm, "create_chat_completion", must_not_run)
    assert list(model.stream(messages, max_tokens=8)) == first and "".join(first).strip()
    with pytest.raises(AssertionError, match="just answered"):  # another budget is another request
        list(model.stream(messages, max_tokens=9))
    monkeypatch.undo()
    other = [ChatMessage("user", "Name the capital of France in one word.")]
    stream = model.stream(other, max_tokens=8)
    next(stream)
    stream.close()  # a reply not read to the end is not kept
    monkeypatch.setattr(model._llm, "create_completion", must_not_run)
    monkeypatch.setattr(model._llm, "create_chat_completion", must_not_run)
    with pytest.raises(AssertionError, match="just answered"):
        list(model.stream(other, max_tokens=8))
    assert list(model.stream(messages, max_tokens=8)) == first  # the first is still remembered


@pytest.mark.integration
@pytest.mark.parametrize("name", sorted(BUNDLED_MODELS))
def test_the_lazy_grammar_check_chooses_the_same_tokens_as_the_full_one(name):
    from assistant.grounding.citations import citation_grammar

    model = get_chat_model(Settings(model=name))
    sources = (
        "[1] Actuellement, Dà Nang compte 37 établissements proposant une formation liée à l'informatique.\n"
        "[2] Am Morgen des 10. Mai traf sich Minister Nguyen Manh Hung mit Botschafter Choi Youngsam.\n"
        "[3] Minister Hung visited the Seoul Cyber University (SCU) on August 1-2."
    )
    questions = ["How many IT training establishments does Da Nang have?", "Whom did Minister Hung meet on 10 May?"]
    checked = 0
    for question in questions:
        messages = [
            ChatMessage("system", "Answer from the numbered sources; end every sentence with its source number, like [1]."),
            ChatMessage("user", f"Sources:\n{sources}\nQuestion: {question} (answer in English)\nAnswer:"),
        ]
        outputs = {}
        for lazy in (False, True):
            model.lazy_grammar = lazy
            model.reset()
            outputs[lazy] = "".join(model.stream(messages, max_tokens=48, grammar=citation_grammar(3)))
        model.lazy_grammar = True
        assert outputs[True] == outputs[False] and outputs[True].strip()
        checked += model.last_grammar_sampler.full_checks
    assert checked > 0  # the grammar did refuse the most likely token somewhere, and the fallback agreed


@pytest.mark.integration
def test_sampled_drafts_under_the_grammar_are_repeatable_per_seed_and_valid():
    import re

    from assistant.grounding.citations import citation_grammar

    model = get_chat_model(Settings(model="gemma-3-270m"))
    from assistant.templates import render

    sentence = "Am Morgen des 10. Mai traf sich Minister Nguyen Manh Hung mit Botschafter Choi Youngsam."
    messages = [  # the brief's own prompts
        ChatMessage("system", render("brief_system")),
        ChatMessage("user", render("brief_point", n=2, sentence=sentence, language="English")),
    ]
    grammar = citation_grammar(3, max_sentences=1, max_chars=240, only=[2])

    def draft(seed: int) -> str:
        model.reset()
        return "".join(model.stream(messages, max_tokens=96, grammar=grammar, stop=["\n"], temperature=0.9, seed=seed))

    drafts = {seed: draft(seed) for seed in (1, 2, 3, 4)}
    assert draft(1) == drafts[1]  # a fixed seed repeats its draft
    assert len(set(drafts.values())) > 1  # and other seeds draw other drafts
    for text in drafts.values():  # every draft obeys the grammar: one point citing [2] only
        assert re.search(r"\[2\]\W*$", text) and not re.search(r"\[[013-9]\]", text), text
    assert model.last_grammar_sampler.temp == 0.9  # drawn by the lazy sampler, not llama.cpp's full check


@pytest.mark.integration
def test_a_reply_asked_to_avoid_words_does_not_write_them_and_is_otherwise_unchanged():
    model = get_chat_model(Settings(model="smollm2-135m"))
    capital = [ChatMessage("user", "What is the capital of France? Answer in one sentence.")]
    assert "Paris" in "".join(model.stream(capital, max_tokens=30, stop=["\n"]))
    # A word of one token: never written (here without a grammar: the sampler is there for the ban alone).
    other = "".join(model.stream(capital, max_tokens=30, stop=["\n"], avoid=("Paris",)))
    assert "Paris" not in other and other.startswith("The capital of France is"), other
    assert model.last_grammar_sampler.bans == 1  # the model's own choice was refused once
    # A word of several tokens: its last is refused after the others, so the word cannot be completed
    # (and a word that only begins the same way stays open).
    echo = [ChatMessage("user", "Repeat exactly: The city of Zorblax is here.")]
    assert "Zorblax" in "".join(model.stream(echo, max_tokens=30, stop=["\n"]))
    avoided = "".join(model.stream(echo, max_tokens=30, stop=["\n"], avoid=("zorblax",)))  # any capitalisation
    assert "Zorblax" not in avoided and avoided.startswith("The city of"), avoided
    # Asked again without the ban, the first reply is replayed, not the banned one.
    assert "Paris" in "".join(model.stream(capital, max_tokens=30, stop=["\n"]))


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    """A real ``python -m llama_cpp.server`` serving the bundled SmolLM2 on a free loopback port."""
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with llama_server_process(resolve_model_path("smollm2-135m"), log) as server:
        yield server.base_url + "/v1"


@pytest.mark.integration
@pytest.mark.server
def test_openai_backend_streams_from_a_real_llama_cpp_server(llama_server):
    model = get_chat_model(Settings(llm_url=llama_server, llm_model_name="smollm2"))
    pieces = list(model.stream([ChatMessage("user", "Say hello.")], max_tokens=12))
    assert len(pieces) > 1 and "".join(pieces).strip()  # streamed, not one block
    constrained = "".join(model.stream([ChatMessage("user", "Pick one.")], max_tokens=8, grammar='root ::= "yes" | "no"'))
    assert constrained in {"yes", "no"}  # the server honours the grammar


@pytest.mark.integration
@pytest.mark.server
def test_answers_through_the_endpoint(llama_server, real):
    from assistant.service import NewsAssistant

    settings = real.settings.model_copy(update={"llm_url": llama_server, "llm_model_name": "smollm2"})
    remote = NewsAssistant(settings, embedder=real.embedder)
    answer = remote.ask("How many IT training establishments does Da Nang have?")
    assert answer.answerable and answer.sources and "@ http://127.0.0.1" in answer.model
    numbers = {s.n for s in answer.sources}
    for sentence in answer.sentences:
        assert set(sentence.citations) <= numbers
        if sentence.supported and sentence.kind == "quote":
            assert sentence.text == answer.sources[sentence.citations[0] - 1].quote


def test_an_endpoint_that_hangs_is_a_timeout_error_not_a_hang():
    """A model server that accepts the connection and never answers: the request fails after llm_timeout."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    try:
        model = get_chat_model(Settings(llm_url=f"http://127.0.0.1:{listener.getsockname()[1]}/v1", llm_timeout=1))
        with pytest.raises(ModelError) as err:
            list(model.stream([ChatMessage("user", "hi")], max_tokens=4))
        assert "did not answer within 1 s" in err.value.message
    finally:
        listener.close()


def test_closing_at_exit_does_not_wait_for_a_generation_under_way():
    import threading
    import time

    from assistant.backends.llm import LlamaCppModel

    class Native:
        closed = False

        def close(self):
            self.closed = True

    model = object.__new__(LlamaCppModel)  # no weights needed: only the lock and the native handle matter
    model.lock, model._llm = threading.Lock(), Native()
    model.lock.acquire()  # a background thread is generating
    started = time.monotonic()
    model.close(wait=0.2)
    assert time.monotonic() - started < 1.0 and not model._llm.closed
    model.lock.release()
    model.close()
    assert model._llm.closed and not model.lock.locked()
