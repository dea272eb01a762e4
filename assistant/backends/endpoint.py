"""Any OpenAI-compatible chat endpoint as a :class:`~assistant.backends.chat.ChatModel` (``ASSISTANT_LLM_URL``)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence

from assistant.backends.chat import ChatMessage
from assistant.errors import ModelError


class OpenAIChatModel:
    """Any OpenAI-compatible ``/chat/completions`` endpoint (llama.cpp server, vLLM, Ollama…), streamed.

    The GBNF grammar is sent as ``grammar`` (llama.cpp's server honours it; servers that ignore it still
    work, because every reply is parsed and verified anyway). Token counts use cl100k_base plus a 15%
    margin, since a remote tokenizer is not at hand.
    """

    def __init__(self, base_url: str, *, model: str, n_ctx: int, temperature: float, seed: int, timeout: float, api_key: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.name = f"{model} @ {self.base_url}"
        self.n_ctx = n_ctx
        self.temperature = temperature
        self.seed = seed
        self.timeout = timeout
        self.api_key = api_key
        self.lock = threading.Lock()  # not needed for correctness; lets the UI report queueing uniformly

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        from assistant.text.tokens import count_tokens

        return int(sum(count_tokens(m.content) + 6 for m in messages) * 1.15) + 4

    def _error(self, message: str) -> ModelError:
        return ModelError(
            message,
            hint=f"start the model server at {self.base_url} (e.g. `python -m llama_cpp.server --model FILE.gguf`) "
            "or unset ASSISTANT_LLM_URL to use a local model",
        )

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
        """``avoid`` is not sent: the API's ``logit_bias`` takes the server's token ids, which a client
        does not know, so a retry of a refused translation is only drawn again."""
        import httpx

        body: dict = {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": max_tokens,
            "temperature": self.temperature if temperature is None else temperature,
            "seed": self.seed if seed is None else seed,
            "stream": True,
        }
        if grammar:
            body["grammar"] = grammar
        if stop:
            body["stop"] = list(stop)
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            with httpx.stream(
                "POST", f"{self.base_url}/chat/completions", json=body, headers=headers, timeout=self.timeout
            ) as response:
                if response.status_code >= 400:
                    response.read()
                    raise self._error(f"the model endpoint answered {response.status_code}: {response.text[:200]}")
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    try:
                        choice = json.loads(data)["choices"][0]
                    except (ValueError, KeyError, IndexError):
                        continue
                    text = (choice.get("delta") or {}).get("content")
                    if text:
                        yield text
        except httpx.TimeoutException as exc:
            raise self._error(f"the model endpoint {self.base_url} did not answer within {self.timeout:.0f} s") from exc
        except httpx.HTTPError as exc:
            raise self._error(f"cannot reach the model endpoint {self.base_url} ({type(exc).__name__})") from exc


    def choice_probs(self, messages: Sequence[ChatMessage], options: Sequence[str]) -> list[float]:
        """An endpoint gives no distribution here: the option the greedy reply starts with gets 1."""
        reply = "".join(self.stream(messages, max_tokens=3, temperature=0.0)).strip().casefold()
        return [1.0 if reply.startswith(o.casefold()) else 0.0 for o in options]

    def reply_logprobs(self, messages: Sequence[ChatMessage], reply: str) -> list[float] | None:
        """Chat endpoints do not score a given reply."""
        return None

    def reply_variants(
        self, messages: Sequence[ChatMessage], reply: str, *, n: int, below: float, max_tokens: int,
        stop: Sequence[str] = (),
    ) -> list[str] | None:
        """Chat endpoints do not show the tokens they passed over."""
        return None
