"""A scripted :class:`~assistant.backends.chat.ChatModel` for fast tests: deterministic replies, and a record
of every prompt, grammar, sampling, judgement and scoring it was asked for."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from assistant.backends.chat import ChatMessage


@dataclass
class FakeChatModel:
    """A deterministic chat model for tests: replies from a script and records every prompt it receives.

    ``replies`` is a list used in order (the last one repeats) or a function of the messages.
    """

    replies: list[str] | Callable[[Sequence[ChatMessage]], str] = field(default_factory=lambda: [""])
    n_ctx: int = 2048
    name: str = "fake"
    prompts: list[list[ChatMessage]] = field(default_factory=list)
    grammars: list[str | None] = field(default_factory=list)
    #: (temperature, seed) overrides of each reply; (None, None) when the configured sampling was used.
    samplings: list[tuple[float | None, int | None]] = field(default_factory=list)
    #: The words each reply was asked to avoid (``stream``'s ``avoid``; the script does not obey it).
    avoided: list[tuple[str, ...]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: The probabilities :meth:`choice_probs` gives, from the messages and options (default: the first
    #: option is certain, e.g. a judge that accepts everything).
    judge: Callable[[Sequence[ChatMessage], Sequence[str]], list[float]] | None = None
    judged: list[list[ChatMessage]] = field(default_factory=list)
    #: The log-probabilities :meth:`reply_logprobs` gives, from the messages and the reply (default: None,
    #: a model that cannot score a given text, like an endpoint).
    scorer: Callable[[Sequence[ChatMessage], str], list[float]] | None = None
    scored: list[tuple[list[ChatMessage], str]] = field(default_factory=list)
    #: The replies :meth:`reply_variants` gives, from the messages and the greedy reply (default: None, a
    #: model that cannot show what it passed over, like an endpoint).
    variants: Callable[[Sequence[ChatMessage], str], list[str]] | None = None

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        from assistant.text.tokens import count_tokens

        return sum(count_tokens(m.content) + 6 for m in messages) + 4

    def choice_probs(self, messages: Sequence[ChatMessage], options: Sequence[str]) -> list[float]:
        self.judged.append(list(messages))
        if self.judge is not None:
            return list(self.judge(messages, options))
        return [1.0] + [0.0] * (len(options) - 1)

    def reply_logprobs(self, messages: Sequence[ChatMessage], reply: str) -> list[float] | None:
        self.scored.append((list(messages), reply))
        return list(self.scorer(messages, reply)) if self.scorer is not None else None

    def reply_variants(
        self, messages: Sequence[ChatMessage], reply: str, *, n: int, below: float, max_tokens: int,
        stop: Sequence[str] = (),
    ) -> list[str] | None:
        return list(self.variants(messages, reply))[:n] if self.variants is not None else None

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
        self.prompts.append(list(messages))
        self.grammars.append(grammar)
        self.samplings.append((temperature, seed))
        self.avoided.append(tuple(avoid))
        if callable(self.replies):
            reply = self.replies(messages)
        else:
            reply = self.replies[min(len(self.prompts) - 1, len(self.replies) - 1)]
        for i, word in enumerate(reply.split(" ")):
            yield word if i == 0 else " " + word
