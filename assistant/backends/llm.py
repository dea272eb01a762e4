"""A local GGUF run by llama-cpp-python, as a :class:`~assistant.backends.chat.ChatModel`.

Only this module imports ``llama_cpp``. Whether the model has a chat template (an instruct model) or must be
prompted in completion style (a base model such as Gemma 3 270M) is this adapter's business, decided from
the GGUF metadata.
"""

from __future__ import annotations

import atexit
import math
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from assistant.backends.chat import ChatMessage
from assistant.errors import ConfigError, ModelError
from assistant.templates import render

#: Requests whose replies a local model remembers (a few KiB each): the questions, translations and
#: judgements of a working session, so the same request gets the same reply.
REMEMBERED_REPLIES = 512
#: Readings of a given reply (:meth:`LlamaCppModel.reply_logprobs`) remembered the same way: choosing a
#: translation reads the greedy one when finding its variants and again forward, and the translation check
#: reads the chosen one again for its least likely token.
REMEMBERED_READINGS = 64
#: Bytes of KV state kept for the fixed beginnings of prompts (see :class:`_PrefixStates`): about 29 KiB a
#: token for qwen2.5-coder-1.5b, so the answer, translation, judgement and brief instructions fit in a few MiB each.
PREFIX_STATE_BYTES = 48 << 20


def _normalised(scores: Sequence[float]) -> list[float]:
    import math

    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    total = sum(weights)
    return [w / total for w in weights]


class _LazyGrammarSampler:
    """Decoding under a GBNF grammar that asks the grammar only when it has to.

    llama-cpp-python puts the grammar before the other samplers in its chain, so llama.cpp checks every
    token of the vocabulary against the grammar at every step — 262k tokens for Gemma 3, which made
    generation under the citation grammar take about 2.5 times as long as without it. Instead the token is
    chosen first (greedy: the most likely; sampled: drawn after llama.cpp's default truncation, top-k,
    top-p and min-p, at ``temp``) and checked alone; only when the grammar refuses it is the whole
    vocabulary filtered and the choice made again among the allowed tokens (what llama.cpp's own common
    sampler does). Greedy, the tokens are the same as with the full check; sampled, a refused draw is
    redrawn among the allowed tokens, truncated and tempered the same way (the truncation then sees only
    allowed tokens, as in llama.cpp's common sampler). ``tests/backends/test_llm.py`` compares the greedy path with
    llama.cpp's on real prompts, and checks that sampled drafts obey the grammar and repeat per seed.

    It also keeps words out of the reply (``banned``: token sequences, see :meth:`LlamaCppModel.stream`'s
    ``avoid``): a sequence's last token is given no chance where the tokens before it were just chosen (at
    once, for a word of one token). The grammar, when there is one, then sees only the tokens left.
    """

    def __init__(
        self, llm, grammar, *, temp: float = 0.0, top_k: int = 40, top_p: float = 0.95, min_p: float = 0.05,
        seed: int = 0, banned: Sequence[Sequence[int]] = (),
    ) -> None:
        import ctypes

        import llama_cpp
        import numpy as np

        self._c, self._lib, self._np = ctypes, llama_cpp, np
        self.n_vocab = llm.n_vocab()
        self.grammar = None
        if grammar is not None:
            self.grammar = llama_cpp.llama_sampler_init_grammar(
                llm._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8")
            )
            if not self.grammar:
                raise ModelError("llama.cpp could not compile the citation grammar", hint="report this as a bug")
        self.banned = [tuple(seq) for seq in banned if seq]
        self.chosen: list[int] = []  # the reply's tokens so far (a banned sequence is matched against them)
        self.bans = 0  # steps where the most likely token was banned (for tests and curiosity)
        self.temp, self.top_k, self.top_p, self.min_p = temp, top_k, top_p, min_p
        self._rng = np.random.default_rng(seed)
        self._one = (llama_cpp.llama_token_data * 1)()
        self._all = (llama_cpp.llama_token_data * self.n_vocab)()
        self._view = np.ctypeslib.as_array(self._all)
        self._ids = np.arange(self.n_vocab, dtype=np.int32)
        self.full_checks = 0  # steps where the chosen token was refused (for tests and curiosity)

    def _apply(self, data, size: int) -> None:
        array = self._lib.llama_token_data_array(data=data, size=size, selected=-1, sorted=False)
        self._lib.llama_sampler_apply(self.grammar, self._c.byref(array))

    def _choose(self, logits) -> int:
        """The greedy token, or one drawn from the truncated distribution at ``temp``."""
        np = self._np
        if self.temp <= 0:
            return int(np.argmax(logits))
        k = min(self.top_k if self.top_k > 0 else len(logits), len(logits))
        ids = np.argpartition(-logits, k - 1)[:k] if k < len(logits) else np.arange(len(logits))
        ids = ids[np.argsort(-logits[ids], kind="stable")]
        ids = ids[np.isfinite(logits[ids])]
        probs = np.exp(logits[ids] - logits[ids[0]])
        probs /= probs.sum()
        keep = max(1, int(np.searchsorted(np.cumsum(probs), self.top_p) + 1))
        keep = min(keep, max(1, int((probs >= self.min_p * probs[0]).sum())))
        ids = ids[:keep]
        weights = np.exp((logits[ids] - logits[ids[0]]) / self.temp)
        return int(self._rng.choice(ids, p=weights / weights.sum()))

    def _forbidden(self) -> list[int]:
        """The tokens that would complete a banned sequence now."""
        return [
            seq[-1] for seq in self.banned
            if len(seq) == 1 or tuple(self.chosen[-(len(seq) - 1):]) == seq[:-1]
        ]

    def sample(self, ctx, idx: int = -1) -> int:
        np = self._np
        logits = np.ctypeslib.as_array(self._lib.llama_get_logits_ith(ctx.ctx, idx), shape=(self.n_vocab,))
        if forbidden := self._forbidden():
            self.bans += int(np.argmax(logits)) in forbidden
            logits = logits.copy()
            logits[forbidden] = -np.inf
        token = self._choose(logits)
        self.chosen.append(token)
        if self.grammar is None:
            return token
        self._one[0].id, self._one[0].logit, self._one[0].p = token, float(logits[token]), 0.0
        self._apply(self._one, 1)
        if self._one[0].logit == float("-inf"):
            self.full_checks += 1
            self._view["id"] = self._ids
            self._view["logit"] = logits
            self._view["p"] = 0.0
            self._apply(self._all, self.n_vocab)
            token = self._choose(np.array(self._view["logit"], dtype=np.float32))
            self.chosen[-1] = token
        self._lib.llama_sampler_accept(self.grammar, token)
        return token

    def close(self) -> None:
        if self.grammar:
            self._lib.llama_sampler_free(self.grammar)
            self.grammar = None

    __del__ = close


class _PrefixStates:
    """The KV cache of each kind of prompt's fixed beginning (its system message), kept beside the live one.

    llama.cpp keeps one prompt cached, so alternating kinds of call (translate, judge, answer) re-evaluated
    each one's instructions every time the kind changed: a few hundred tokens, seconds on two cores. Each
    instruction prefix is evaluated once, its sequence state copied out (``llama_state_seq_get_data``: the
    KV cells only), and copied back in when a prompt of that kind comes again.

    A prompt with instructions is always evaluated the same way: the instructions from the start in one
    pass, then the rest in one pass, whatever came before. (Reusing more of the previous prompt would save
    a few tokens but split the evaluation elsewhere, and on the AVX2 build that moves a judgement's
    probability by a hundredth.) So the same prompt gets the same logits whatever was asked before it.
    """

    def __init__(self, llm, capacity_bytes: int = PREFIX_STATE_BYTES) -> None:
        self.llm = llm
        self.capacity_bytes = capacity_bytes
        self.states: OrderedDict[tuple[int, ...], bytes] = OrderedDict()

    def prepare(self, tokens: Sequence[int], boundary: int) -> None:
        """Leave the first ``boundary`` tokens of ``tokens`` evaluated in the context (nothing after them
        that differs), restoring or saving their state."""
        import ctypes

        import llama_cpp

        llm = self.llm
        if boundary <= 0 or boundary >= len(tokens):
            return
        key = tuple(tokens[:boundary])
        if llm.longest_token_prefix(llm._input_ids, tokens) >= boundary:  # the context holds these instructions, evaluated as below
            llm.n_tokens = boundary
            return
        ctx = llm._ctx.ctx
        if key in self.states:
            data = self.states[key]
            self.states.move_to_end(key)
            llm._ctx.kv_cache_seq_rm(-1, 0, -1)
            buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
            if llama_cpp.llama_state_seq_set_data(ctx, buffer, len(data), 0) != len(data):
                llm.reset()  # the state did not fit: evaluate from scratch
                return
        else:
            llm.n_tokens = 0
            llm.eval(list(key))
            size = llama_cpp.llama_state_seq_get_size(ctx, 0)
            buffer = (ctypes.c_uint8 * size)()
            written = llama_cpp.llama_state_seq_get_data(ctx, buffer, size, 0)
            self.states[key] = bytes(buffer[:written])
            while sum(len(v) for v in self.states.values()) > self.capacity_bytes and len(self.states) > 1:
                self.states.popitem(last=False)
        llm.input_ids[:boundary] = key
        llm.n_tokens = boundary
        llm._requires_eval = True

    def clear(self) -> None:
        self.states.clear()


class LlamaCppModel:
    """A local GGUF model run by llama-cpp-python, loaded once and shared.

    llama.cpp contexts are not re-entrant, so generation is serialised by a lock: concurrent requests
    queue here (the UI shows that a request is waiting).
    """

    def __init__(self, path: Path, *, n_ctx: int, n_threads: int, seed: int, temperature: float, label: str | None = None) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ConfigError("llama-cpp-python is not installed", hint="run `make install`") from exc
        try:
            self._llm = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, seed=seed, verbose=False)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(
                f"llama.cpp could not load {path.name}: {exc}",
                hint="check that the file is a complete GGUF model, or set ASSISTANT_MODEL to another one",
            ) from exc
        self.path = path
        self.name = label or path.stem
        self.n_ctx = n_ctx
        self.temperature = temperature
        self.seed = seed
        #: Decoding under a grammar checks the grammar lazily (see _LazyGrammarSampler).
        self.lazy_grammar = True
        self.last_grammar_sampler: _LazyGrammarSampler | None = None
        #: Token sequences the reply being generated must not write (see :meth:`stream`'s ``avoid``).
        self._banned: list[tuple[int, ...]] = []
        original = self._llm._init_sampler

        def init_sampler(**kwargs):
            plain = (
                kwargs.get("temp", 0.8) >= 0.0
                and kwargs.get("logits_processor") is None
                and kwargs.get("repeat_penalty", 1.0) == 1.0
                and not kwargs.get("frequency_penalty")
                and not kwargs.get("presence_penalty")
                and kwargs.get("typical_p", 1.0) == 1.0
                and not kwargs.get("mirostat_mode")
            )
            if plain and (self._banned or (self.lazy_grammar and kwargs.get("grammar") is not None)):
                self.last_grammar_sampler = _LazyGrammarSampler(
                    self._llm,
                    kwargs.get("grammar"),
                    temp=kwargs.get("temp", 0.8),
                    top_k=kwargs.get("top_k", 40),
                    top_p=kwargs.get("top_p", 0.95),
                    min_p=kwargs.get("min_p", 0.05),
                    seed=self._llm._seed,
                    banned=self._banned,
                )
                return self.last_grammar_sampler
            return original(**kwargs)

        self._llm._init_sampler = init_sampler
        template = self._llm.metadata.get("tokenizer.chat_template")
        #: True when the GGUF carries a chat template (instruct model); else completion-style prompting.
        self.chat = bool(template)
        self.lock = threading.Lock()
        self._last_prompt: tuple[tuple[str, str], ...] | None = None
        self._formatter = None
        #: Requests read to the end, with their replies (a request asked again is replayed), newest last.
        self._replies: OrderedDict[tuple, list[str]] = OrderedDict()
        #: Readings of given replies, newest last (see :meth:`_forced`).
        self._readings: OrderedDict[tuple, list[tuple[float, int]]] = OrderedDict()
        self._prefixes = _PrefixStates(self._llm)
        self.closed = False

    def _completion_prompt(self, messages: Sequence[ChatMessage]) -> str:
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        said: list[str] = []
        for m in messages:  # a reply follows its request on the same line, as after "Answer:"
            if m.role == "assistant" and said:
                said[-1] += " " + m.content
            elif m.role != "system":
                said.append(m.content)
        turns = "\n\n".join(said)
        # No trailing whitespace: the reply starts right after "Answer:" with its own leading space token.
        return render("completion", system=system, turns=turns).rstrip()

    def _prompt_tokens(self, messages: Sequence[ChatMessage]) -> list[int]:
        """The prompt's tokens exactly as llama-cpp-python's completion tokenizes it."""
        prompt = self._chat_prompt(messages) if self.chat else self._completion_prompt(messages)
        return self._llm.tokenize(prompt.encode("utf-8"), add_bos=not self.chat, special=True)

    def _fixed_part(self, messages: Sequence[ChatMessage], tokens: Sequence[int]) -> int:
        """How many of ``tokens`` are the fixed instructions: the tokens shared with the same system
        message (and the turns of a worked example after it, marked ``fixed``) followed by an empty
        request (0 without a system message)."""
        if len(messages) < 2 or messages[0].role != "system":
            return 0
        fixed = 1
        while fixed < len(messages) - 1 and messages[fixed].fixed:
            fixed += 1
        other = self._prompt_tokens([*messages[:fixed], ChatMessage("user", "")])
        return self._llm.longest_token_prefix(other, tokens)

    def _prepare(self, messages: Sequence[ChatMessage]) -> list[int]:
        """Restore (or compute and keep) the KV state of the prompt's fixed instructions; the prompt's tokens."""
        tokens = self._prompt_tokens(messages)
        self._prefixes.prepare(tokens, self._fixed_part(messages, tokens))
        return tokens

    def _tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=True, special=True))

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        if self.chat:
            # Content plus the template's role markers (a handful of tokens per message).
            return sum(self._tokens(m.content) + 6 for m in messages) + 4
        return self._tokens(self._completion_prompt(messages))

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
        from llama_cpp import LlamaGrammar

        compiled = LlamaGrammar.from_string(grammar, verbose=False) if grammar else None
        common = dict(
            max_tokens=max_tokens,
            temperature=self.temperature if temperature is None else temperature,
            seed=self.seed if seed is None else seed,
            grammar=compiled,
            stop=list(stop) or None,
            stream=True,
        )
        prompt_key = tuple((m.role, m.content) for m in messages)
        request = (prompt_key, grammar, max_tokens, tuple(stop), common["temperature"], common["seed"], tuple(avoid))
        with self.lock:
            if request in self._replies:
                # A request answered before (read to the end) gets the same reply, replayed: nothing is
                # evaluated, and the reader sees the same answer to the same question within a process.
                self._replies.move_to_end(request)
                yield from self._replies[request]
                return
            # No reset: llama-cpp-python keeps the KV cache of the previous prompt and evaluates only what
            # differs, so the fixed instructions at the start of every prompt are computed once. The logits
            # of a prompt evaluated in two parts can differ in the last bits from one evaluated whole (seen
            # on the AVX2 build: after another question, gemma-3-270m translated a question another way),
            # which is why replies are remembered per request above. When the prompt repeats the last one
            # exactly (other settings, or a reply not read to the end) llama-cpp-python would evaluate its
            # last token alone; that case is evaluated whole instead.
            self._check_open()
            if prompt_key == self._last_prompt:
                self._llm.reset()
            self._last_prompt = prompt_key
            reply: list[str] = []
            try:
                self._prepare(messages)
                self._banned = self._word_tokens(avoid)
                if self.chat:
                    pieces = self._llm.create_chat_completion(
                        messages=[{"role": m.role, "content": m.content} for m in messages], **common
                    )
                    texts = (chunk["choices"][0].get("delta", {}).get("content") for chunk in pieces)
                else:
                    pieces = self._llm.create_completion(prompt=self._completion_prompt(messages), **common)
                    texts = (chunk["choices"][0].get("text") for chunk in pieces)
                for text in texts:
                    if text:
                        reply.append(text)
                        yield text
            except (RuntimeError, ValueError) as exc:
                raise ModelError(f"the model failed while generating: {exc}", hint="try a shorter question or another model") from exc
            finally:
                self._banned = []
            # Reached only when the caller read the whole reply (a closed stream stops at the yield above).
            self._replies[request] = reply
            while len(self._replies) > REMEMBERED_REPLIES:
                self._replies.popitem(last=False)

    def _word_tokens(self, words: Sequence[str]) -> list[tuple[int, ...]]:
        """The token sequences that write each of ``words`` in a reply: after a space or at its start, as
        given and with a capital first letter (a word refused mid-sentence may come back opening one)."""
        forms = set()
        for word in filter(None, (w.strip() for w in words)):
            for form in (word, word[0].upper() + word[1:]):
                forms |= {form, " " + form}
        return sorted({tuple(self._llm.tokenize(f.encode("utf-8"), add_bos=False, special=False)) for f in forms})

    def _chat_prompt(self, messages: Sequence[ChatMessage]) -> str:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        if self._formatter is None:
            llm = self._llm
            eos, bos = llm.token_eos(), llm.token_bos()
            self._formatter = Jinja2ChatFormatter(
                template=llm.metadata["tokenizer.chat_template"],
                eos_token=llm._model.token_get_text(eos) if eos != -1 else "",
                bos_token=llm._model.token_get_text(bos) if bos != -1 else "",
            )
        return self._formatter(messages=[{"role": m.role, "content": m.content} for m in messages]).prompt

    def choice_probs(self, messages: Sequence[ChatMessage], options: Sequence[str]) -> list[float]:
        import numpy as np
        from llama_cpp import llama_get_logits_ith

        # The first token of each option as the reply would start it (a base model's reply starts after
        # "Answer:" with a space).
        lead = "" if self.chat else " "
        self._check_open()
        firsts = [self._llm.tokenize(f"{lead}{o}".encode("utf-8"), add_bos=False, special=False)[0] for o in options]
        with self.lock:
            self._check_open()
            llm = self._llm
            tokens = self._prepare(messages)
            same = llm.longest_token_prefix(llm._input_ids, tokens)
            same = min(same, len(tokens) - 1)  # evaluate at least the last token: its logits are read
            llm.n_tokens = same
            try:
                llm.eval(tokens[same:])
            except (RuntimeError, ValueError) as exc:
                raise ModelError(f"the model failed while judging: {exc}", hint="try a shorter text") from exc
            logits = np.ctypeslib.as_array(llama_get_logits_ith(llm._ctx.ctx, -1), shape=(llm.n_vocab(),))
            scores = [float(logits[t]) for t in firsts]
            # The KV cache now holds this prompt, not the last one of stream().
            self._last_prompt = None
        return _normalised(scores)

    def reply_logprobs(self, messages: Sequence[ChatMessage], reply: str) -> list[float] | None:
        self._check_open()
        forced = self._llm.tokenize(reply.encode("utf-8"), add_bos=False, special=False)
        return [lp for lp, _ in self._forced(messages, forced)]

    def reply_variants(
        self, messages: Sequence[ChatMessage], reply: str, *, n: int, below: float, max_tokens: int,
        stop: Sequence[str] = (),
    ) -> list[str] | None:
        self._check_open()
        forced = self._llm.tokenize(reply.encode("utf-8"), add_bos=False, special=False)
        scores = self._forced(messages, forced)
        unsure = sorted((i for i, (lp, _) in enumerate(scores) if lp < math.log(below)), key=lambda i: scores[i][0])[:n]
        variants: list[str] = []
        with self.lock:
            self._check_open()
            prompt = self._prepare(messages)
            for i in unsure:
                other = scores[i][1]
                if other == self._llm.token_eos() or self._llm.detokenize([other], special=True).decode(
                    "utf-8", errors="ignore"
                ).startswith(("<|", "\n")):
                    continue  # a variant that ends, or breaks the line, there is no whole reply
                head = [*forced[:i], other]
                try:
                    rest = self._llm.create_completion(
                        prompt=[*prompt, *head], max_tokens=max(1, max_tokens - len(head)), temperature=0.0,
                        seed=self.seed, stop=list(stop) or None,
                    )
                except (RuntimeError, ValueError) as exc:
                    raise ModelError(f"the model failed while generating: {exc}", hint="try a shorter text") from exc
                finally:
                    self._last_prompt = None  # the KV cache holds this prompt now
                text = self._llm.detokenize(head).decode("utf-8", errors="ignore") + rest["choices"][0]["text"]
                variants.append(text)
        return variants

    def _forced(self, messages: Sequence[ChatMessage], forced: Sequence[int]) -> list[tuple[float, int]]:
        """Each token of ``forced`` read as the reply to ``messages``: its log-probability, and the token the
        model would have put there instead, its likeliest other one. Both are always read (two passes over
        the logits, against a model pass per token), so a reading made for a check serves the variants of
        the same reply too."""
        import numpy as np
        from llama_cpp import llama_get_logits_ith

        if not forced:
            return []
        key = (tuple((m.role, m.content) for m in messages), tuple(forced))
        with self.lock:
            self._check_open()
            known = self._readings.get(key)
            if known is not None:
                self._readings.move_to_end(key)
                return list(known)
            llm = self._llm
            tokens = self._prepare(messages)
            if len(tokens) + len(forced) > self.n_ctx:
                raise ModelError("the text to score does not fit the model's context", hint="score a shorter text")
            same = llm.longest_token_prefix(llm._input_ids, tokens)
            same = min(same, len(tokens) - 1)
            llm.n_tokens = same
            out: list[tuple[float, int]] = []
            try:
                llm.eval(tokens[same:-1])
                # The prompt's last token and the reply's tokens but its last, with logits for each: each
                # position's logits score the token after it.
                rest = [tokens[-1], *forced[:-1]]
                for start in range(0, len(rest), llm.n_batch):
                    batch = rest[start : start + llm.n_batch]
                    llm._ctx.kv_cache_seq_rm(-1, llm.n_tokens, -1)
                    llm._batch.set_batch(batch=batch, n_past=llm.n_tokens, logits_all=True)
                    llm._ctx.decode(llm._batch)
                    for i in range(len(batch)):
                        logits = np.ctypeslib.as_array(llama_get_logits_ith(llm._ctx.ctx, i), shape=(llm.n_vocab(),))
                        top = float(logits.max())
                        log_total = top + float(np.log(np.exp(logits - top).sum()))
                        token = forced[start + i]
                        chosen = float(logits[token])
                        logits[token] = -np.inf  # the likeliest other token; the buffer is restored at once
                        other = int(logits.argmax())
                        logits[token] = chosen
                        out.append((chosen - log_total, other))
                    llm.input_ids[llm.n_tokens : llm.n_tokens + len(batch)] = batch
                    llm.n_tokens += len(batch)
            except (RuntimeError, ValueError) as exc:
                raise ModelError(f"the model failed while scoring a text: {exc}", hint="try a shorter text") from exc
            finally:
                self._last_prompt = None  # the KV cache holds this prompt now
            self._readings[key] = list(out)
            while len(self._readings) > REMEMBERED_READINGS:
                self._readings.popitem(last=False)
        return out

    def forget_replies(self) -> None:
        """Forget the remembered replies and readings only (a benchmark asking the same questions again times
        the model, not the replay); prompt states stay."""
        with self.lock:
            self._replies.clear()
            self._readings.clear()

    def reset(self) -> None:
        """Forget the cached prompt and the remembered replies (benchmarks use it to time cold prompts fairly)."""
        with self.lock:
            self._llm.reset()
            self._last_prompt = None
            self._replies.clear()
            self._readings.clear()
            self._prefixes.clear()

    def raw_completion(self, prompt: str, max_tokens: int) -> Iterator[str]:
        """llama-cpp-python with nothing of ours around it (for the overhead benchmark)."""
        with self.lock:
            # The KV cache now holds this prompt, not the last one of stream().
            self._last_prompt = None
            for chunk in self._llm.create_completion(
                prompt=prompt, max_tokens=max_tokens, temperature=self.temperature, seed=self.seed, stream=True
            ):
                yield chunk["choices"][0]["text"]


    def close(self, wait: float = 2.0) -> None:
        """Free the model now (llama-cpp-python's own finaliser fails noisily at interpreter exit). At exit a
        background thread may still be generating (serve translating ahead of questions): the process does
        not wait more than ``wait`` seconds for it, so stopping `serve` is prompt — and then the model is
        never freed under that thread (nor by a finaliser later): the process's end releases it. A call
        after closing is a ModelError, not a use of freed memory."""
        import contextlib

        if not self.lock.acquire(timeout=wait):
            self._llm._stack = contextlib.ExitStack()  # what llama-cpp-python's close() and __del__ free
            return
        try:
            self.closed = True
            self._llm.close()
        finally:
            self.lock.release()

    def _check_open(self) -> None:
        if self.closed:
            raise ModelError("the model was closed", hint="the assistant is shutting down; ask again after it restarts")


@lru_cache(maxsize=8)
def load_local(path: str, n_ctx: int, n_threads: int, seed: int, temperature: float, label: str) -> LlamaCppModel:
    model = LlamaCppModel(Path(path), n_ctx=n_ctx, n_threads=n_threads, seed=seed, temperature=temperature, label=label)
    atexit.register(model.close)
    return model
