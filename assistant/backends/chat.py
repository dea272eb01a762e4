"""What the pipelines need of a language model — a :class:`ChatModel` — and the factory that gives the
configured one.

The answer and brief pipelines hand a model chat messages (and optionally a GBNF grammar) and read a stream
of text pieces. Three kinds stand behind the protocol, one module each: a local GGUF run by llama-cpp-python
(:mod:`~assistant.backends.llm`, the default), an OpenAI-compatible endpoint
(:mod:`~assistant.backends.endpoint`) and a scripted fake for tests (:mod:`~assistant.backends.fake_chat`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from assistant.backends.model_files import BUNDLED_MODELS, resolve_model_path


@dataclass(frozen=True)
class ChatMessage:
    role: str  # "system" | "user" | "assistant"
    content: str
    #: Part of its kind of prompt's fixed beginning, as the system message is: a worked example's turns.
    fixed: bool = False


@runtime_checkable
class ChatModel(Protocol):
    """What the pipelines need of a language model."""

    name: str
    n_ctx: int

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Tokens the prompt made of ``messages`` takes, in the model's own tokenizer."""
        ...

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        grammar: str | None = None,
        stop: Sequence[str] = (),
        temperature: float | None = None,
        seed: int | None = None,
        avoid: Sequence[str] = (),
    ) -> Iterator[str]:
        """Generate a reply, yielding text pieces as they are produced.

        ``temperature`` and ``seed`` override the configured sampling for this reply (a brief draws another
        draft of a point that failed verification); a fixed seed keeps a sampled reply repeatable.
        ``avoid`` names words the reply must not write: a translation the checks refused for a word its
        original does not hold ("Poland" for the club "Polonia") is drafted again without it. A model that
        cannot steer its tokens (an endpoint) may ignore it.
        """
        ...

    def choice_probs(self, messages: Sequence[ChatMessage], options: Sequence[str]) -> list[float]:
        """How likely the reply starts with each of ``options`` (their first tokens), normalised over them.

        A yes/no judgement read from the model's next-token distribution gives a score that can be
        calibrated against a threshold, where a sampled "Yes" gives only one bit.
        """
        ...

    def reply_logprobs(self, messages: Sequence[ChatMessage], reply: str) -> list[float] | None:
        """The log-probability of each token of ``reply`` as the model's answer to ``messages`` (forced
        decoding), or None when the model cannot say (an endpoint).

        How surprised the model is, token by token, at a given text: a translation is read after the
        translation request of its original, and its least likely token says where the model was unsure
        (see :func:`assistant.generation.translation.confidence`).
        """
        ...


    def reply_variants(
        self, messages: Sequence[ChatMessage], reply: str, *, n: int, below: float, max_tokens: int,
        stop: Sequence[str] = (),
    ) -> list[str] | None:
        """Replies the model nearly gave instead of ``reply`` (its greedy reply to ``messages``): at each of
        the ``n`` tokens of ``reply`` it was least sure of, where their probability is under ``below``, its
        likeliest other token, then greedy decoding on to the end (``max_tokens`` in all, ``stop`` as for
        :meth:`stream`). None when the model cannot say (an endpoint).

        A greedy reply is the best token at each step, not the best reply: where the model hesitated
        ("multilingual" 0.53 against "multicultural" for "multikulturelle"), the other reading may be the
        better whole, which a score of whole replies can then choose (see
        :func:`assistant.generation.translation.translate_one`).
        """
        ...


def get_chat_model(settings) -> ChatModel:
    """The configured model: the endpoint when ``llm_url`` is set, else the local GGUF, loaded once per
    process and shared by answers, translations, judgements and briefs (a second ``Llama`` of the 1.5B model
    would add its weights again: 3.6 GiB resident instead of 1.8). Calls of one kind are grouped so that
    llama.cpp's one cached prompt prefix serves them (see :mod:`assistant.generation.translation`)."""
    if settings.llm_url:
        from assistant.backends.endpoint import OpenAIChatModel

        return OpenAIChatModel(
            settings.llm_url,
            model=settings.llm_model_name,
            n_ctx=settings.n_ctx,
            temperature=settings.temperature,
            seed=settings.seed,
            timeout=settings.llm_timeout,
            api_key=settings.llm_api_key,
        )
    from assistant.backends.llm import load_local

    path = resolve_model_path(settings.model, settings.model_cache_dir)
    label = settings.model if settings.model in BUNDLED_MODELS else path.name
    return load_local(str(path), settings.n_ctx, settings.n_threads, settings.seed, settings.temperature, label)
