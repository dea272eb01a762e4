"""Fair, visible turns on the one language model.

A laptop holds one model in memory and llama.cpp generates for one request at a time. Retrieval,
evidence selection and verification run concurrently; only the model calls take turns. The turns are
first come, first served (a long brief does not starve a chat: each model call is one turn), and a request
that has to wait is told how many requests are ahead of it, so the UI can say so instead of hanging.

Work done ahead of time (`serve` translating the library while idle) gives way to readers: while a
reader's request is under way (:meth:`ModelQueue.serving_reader`), its model calls do not take a turn at
all. Taking turns call by call would make a question wait for every call of the sentence under way, and
each switch between two prompts makes llama.cpp evaluate the next prompt afresh instead of reusing the
last one's state.
"""

from __future__ import annotations

import contextvars
import threading
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

from assistant.backends.chat import ChatMessage, ChatModel

#: Called with the number of model calls ahead of this one while it waits (when that number changes), and
#: with 0 when its turn comes after a wait. It may raise to give up the place in line.
WaitCallback = Callable[[int], None]

_listener: contextvars.ContextVar[WaitCallback | None] = contextvars.ContextVar("model_queue_listener", default=None)
_ahead: contextvars.ContextVar[bool] = contextvars.ContextVar("model_queue_ahead_of_time", default=False)


@contextmanager
def waiting_reported_to(callback: WaitCallback) -> Iterator[None]:
    """Within this block (in this thread), model calls that must wait report it to ``callback``."""
    token = _listener.set(callback)
    try:
        yield
    finally:
        _listener.reset(token)


@contextmanager
def ahead_of_time() -> Iterator[None]:
    """Within this block (in this thread), model calls are work done ahead of time: each waits until no
    reader's request is under way before it takes a turn (see :meth:`ModelQueue.serving_reader`)."""
    token = _ahead.set(True)
    try:
        yield
    finally:
        _ahead.reset(token)


class ModelQueue:
    """A FIFO turnstile: tickets are served in the order they were taken."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next_ticket = 0
        self._serving = 0
        self._abandoned: set[int] = set()
        self._readers = 0  # readers' requests under way

    @property
    def pending(self) -> int:
        """Model calls running or waiting now."""
        with self._cond:
            return self._outstanding()

    @property
    def busy(self) -> bool:
        """Whether a reader's request is under way or a model call is running or waiting."""
        with self._cond:
            return self._readers > 0 or self._outstanding() > 0

    def _outstanding(self) -> int:
        """Tickets taken and not yet done or given up (caller holds the condition)."""
        return self._next_ticket - self._serving - len(self._abandoned)

    @contextmanager
    def serving_reader(self) -> Iterator[None]:
        """A reader is waiting for what this block does (an answer, a brief): work done ahead of time takes
        no turn until it ends, also between its model calls (retrieval and checks run between them)."""
        with self._cond:
            self._readers += 1
        token = _ahead.set(False)  # a reader's request is never work ahead of time, whichever thread runs it
        try:
            yield
        finally:
            _ahead.reset(token)
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def turn(self, on_wait: WaitCallback | None = None) -> Iterator[None]:
        with self._cond:
            if _ahead.get():
                while self._readers > 0:  # a reader's request first; a call under way is not interrupted
                    self._cond.wait(timeout=0.5)
            ticket = self._next_ticket
            self._next_ticket += 1
            reported: int | None = None
            try:
                while self._serving != ticket:
                    ahead = ticket - self._serving - sum(1 for t in self._abandoned if t < ticket)
                    if on_wait and ahead != reported:
                        reported = ahead
                        on_wait(ahead)
                    self._cond.wait(timeout=0.5)
                if on_wait and reported is not None:
                    on_wait(0)  # your turn (a waiter that has given up by now raises here, before the model runs)
            except BaseException:
                # The waiter gave up (cancelled, or its callback failed): its turn is skipped, not lost.
                if self._serving == ticket:
                    self._advance_past(ticket)
                else:
                    self._abandoned.add(ticket)
                raise
        try:
            yield
        finally:
            with self._cond:
                self._advance_past(ticket)

    def _advance_past(self, ticket: int) -> None:
        """Serve the next ticket after ``ticket`` that is still wanted (caller holds the condition)."""
        if self._serving == ticket:
            self._serving += 1
        while self._serving in self._abandoned:
            self._abandoned.discard(self._serving)
            self._serving += 1
        self._cond.notify_all()


class QueuedChatModel:
    """A :class:`ChatModel` whose generations take turns in a :class:`ModelQueue`.

    Counting tokens needs only the tokenizer and does not wait. A generation holds its turn until the
    caller has consumed (or closed) the stream.
    """

    def __init__(self, model: ChatModel, queue: ModelQueue | None = None) -> None:
        self.inner = model
        self.queue = queue or ModelQueue()

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def n_ctx(self) -> int:
        return self.inner.n_ctx

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return self.inner.count_tokens(messages)

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
        with self.queue.turn(_listener.get()):
            yield from self.inner.stream(
                messages, max_tokens=max_tokens, grammar=grammar, stop=stop, temperature=temperature, seed=seed,
                avoid=avoid,
            )

    def choice_probs(self, messages: Sequence[ChatMessage], options: Sequence[str]) -> list[float]:
        with self.queue.turn(_listener.get()):
            return self.inner.choice_probs(messages, options)

    def reply_logprobs(self, messages: Sequence[ChatMessage], reply: str) -> list[float] | None:
        with self.queue.turn(_listener.get()):
            return self.inner.reply_logprobs(messages, reply)

    def reply_variants(
        self, messages: Sequence[ChatMessage], reply: str, *, n: int, below: float, max_tokens: int,
        stop: Sequence[str] = (),
    ) -> list[str] | None:
        with self.queue.turn(_listener.get()):
            return self.inner.reply_variants(messages, reply, n=n, below=below, max_tokens=max_tokens, stop=stop)
