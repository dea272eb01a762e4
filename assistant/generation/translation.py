"""Sentence translation, checked before use and cached: the bridge between a source's language and the
reader's.

A small model translates one sentence far better than it composes an answer across languages, so every
evidence sentence not in the answer language is first translated on its own (``prompts/translate_sentence_system.txt``),
then checked (:meth:`assistant.grounding.verifier.Verifier.check_translation`: facts kept, e5 closeness,
the target language, how sure the model was of its least likely word, and the model's own yes/no judgement
of faithfulness), and only then shown or given to the model to compose from. A translation that fails is never shown; its original is, labelled.

Translations are cached in the store (:class:`assistant.backends.store_records.CachedTranslation`), keyed by the
sentence, the target language and the model: they survive restarts, a Chroma server shares them, an edited
article re-pays only its changed sentences. The cache holds the model's outputs (text and judgement), and
the decision is re-made at the current thresholds each time.
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence

import numpy as np

from assistant.backends.chat import ChatMessage, ChatModel
from assistant.backends.store import VectorStore
from assistant.backends.store_records import CachedTranslation, translation_key
from assistant.grounding.facts import number_sequence
from assistant.grounding.faithfulness import FaithfulnessJudge
from assistant.grounding.verifier import Verifier
from assistant.templates import load, render
from assistant.text.langdata import language_name
from assistant.text.lexicon import titles_named
from assistant.text.places import exonyms_in
from assistant.text.words import written_as


@dataclass
class Rendering:
    """A sentence in another language, and whether that translation may be used."""

    original: str
    original_lang: str
    lang: str
    text: str
    verified: bool
    reason: str | None = None
    cosine: float = 0.0
    judge: float | None = None
    cached: bool = False
    vector: np.ndarray | None = None
    confidence: float | None = None
    contradiction: float | None = None
    #: What the checks found stated in ``text`` and not in the original (see ``Verdict.unfounded``).
    unfounded: tuple[str, ...] = ()


@functools.lru_cache(maxsize=1 << 16)
def glossary(sentence: str, lang_from: str, lang_to: str) -> str:
    """The words of ``sentence`` the translation prompt names the English for ("" when none, or when the
    translation is not into English), one system message's text:

    * each person's title the sentence writes in another language's form
      (:func:`assistant.text.lexicon.titles_named`): the 1.5B model wrote Indonesian "Duta Besar"
      (ambassador) as "President", "Vice President" or "Prime Minister", which the office check rightly
      refused, so the sentence was never shown translated;
    * each city it writes in another form than the English one (:func:`assistant.text.places.exonyms_in`):
      the model kept "Warschau" in English text.

    The cache key holds it (:func:`cache_key`): a translation made under another glossary is made again.
    Kept per sentence: `serve` computes the key of every sentence of the library each time it looks for
    sentences to translate while idle."""
    if lang_to != "en":
        return ""
    titles = titles_named(sentence)
    places = exonyms_in(sentence, lang_from)
    lines = [render("translate_titles", titles="; ".join(f"“{w}” is “{t}”" for w, t in titles))] if titles else []
    if places:
        lines.append(render("translate_places", places="; ".join(f"“{w}” is “{c}”" for w, c in places)))
    return "\n".join(lines)


def translation_messages(sentence: str, lang_from: str, lang_to: str) -> list[ChatMessage]:
    """The translation prompt: the instructions every translation shares, then the sentence's
    :func:`glossary` in a system message of its own, so that the shared instructions' evaluated state is
    kept and restored as one prefix (:class:`assistant.backends.llm.LlamaCppModel`)."""
    terms = glossary(sentence, lang_from, lang_to)
    return [
        ChatMessage(
            "system",
            render("translate_sentence_system", source_language=language_name(lang_from), language=language_name(lang_to)),
        ),
        *([ChatMessage("system", terms)] if terms else []),
        ChatMessage("user", " ".join(sentence.split())),
    ]


#: How many translations a first translation is chosen from: the greedy one and its variants (the model's
#: likeliest other token at each of the tokens it was least sure of, under :data:`UNSURE`; see
#: :meth:`~assistant.backends.chat.ChatModel.reply_variants`). Chosen on the tune half of the labelled
#: set's faithful German pairs against their human English (BENCHMARKS.md, translations chosen by reading back).
CANDIDATES = 3
UNSURE = 0.5


@functools.lru_cache(maxsize=None)
def instructions_digest(candidates: int = CANDIDATES) -> str:
    """A digest of the translation instructions' template (``prompts/translate_sentence_system.txt``) and of
    how a first translation is chosen (``candidates``, see :func:`translate_one`): an edit of either changes
    every cache key, so translations made the old way are made again (the checks re-read a cached
    translation, but a better translation should be paid for once, not ignored)."""
    chosen = f"\ncandidates {candidates}" if candidates > 1 else ""
    return hashlib.sha256((load("translate_sentence_system") + chosen).encode("utf-8")).hexdigest()[:12]


def cache_key(sentence: str, lang_from: str, lang_to: str, model: str, candidates: int = CANDIDATES) -> str:
    """The key of ``sentence``'s translation into ``lang_to`` by ``model`` in the store's cache: the
    sentence, the target, the model, the prompt's :func:`glossary` and its :func:`instructions_digest`."""
    return translation_key(
        sentence, lang_to, model, glossary(sentence, lang_from, lang_to), instructions_digest(candidates)
    )


#: Sampling of a second (third…) translation of a sentence whose first failed the checks: greedy decoding
#: would repeat the same mistake.
RETRY_TEMPERATURE = 0.5


def numbers_grammar(sentence: str) -> str:
    """GBNF for one line of text that writes every number of ``sentence``, in its order, and no other digit
    (:func:`~assistant.grounding.facts.number_sequence`): a retry decoded under it can neither invent a
    number, nor break one ("17, 786, 419" for "17.786.419"), nor leave one out; and it cannot end a
    sentence (no full stop, question or exclamation mark) before the last number is written, so a number the
    model passed over is written where the sentence goes on ("… under Tesla's name in 1886.", where the
    first draft ended "… under Tesla's name." and was refused for dropping 1886).

    Only retries use it. An invented number is often the visible sign of a translation that went wrong as a
    whole ("held the record for the most points scored …, in their 1993 Super Bowl victory" for "im Alter
    von 38 Jahren"): forbidden from the first attempt, the same misreading came out with "38th" instead and
    passed every check. Free first, the check sees the sign and refuses; the retry then draws again, with
    the numbers it was given. (Abbreviations with a full stop, "Mr." or "U.S.", cannot be written before
    the last number either: the retry writes "Mr" or "US".)"""
    sequence = number_sequence(sentence)
    text, going_on = "[^0-9\\n]", "[^0-9\\n.!?]"
    if not sequence:
        return f"root ::= {text}*"
    between = " ".join(f"{going_on}* n{i}" for i in range(len(sequence)))
    rules = [f"root ::= {between} {text}*"]
    for i, forms in enumerate(sequence):
        rules.append(f"n{i} ::= " + " | ".join(f'"{f}"' for f in sorted(forms, key=lambda f: (-len(f), f))))
    return "\n".join(rules)


def translate_one(
    model: ChatModel, sentence: str, lang_from: str, lang_to: str, *, attempt: int = 0, candidates: int = CANDIDATES,
    avoid: Sequence[str] = (), greedy: str | None = None,
) -> str:
    """The model's translation of one sentence (unchecked): its first line, quotes stripped. Attempt 0 is
    the greedy translation (``greedy`` when the caller has it already) or one of its variants
    (``candidates`` in all), whichever :func:`reads_best`; later attempts
    are sampled with a fixed seed each (so a run is repeatable), their digits writing only the sentence's
    own numbers (:func:`numbers_grammar`), and without the words of ``avoid``: those an earlier draft was
    refused for stating where the original does not. Sampling alone mostly drew the same misreading again
    ("Poland Warsaw" for the club "Polonia Warschau", in every wording of the prompt tried); kept from the
    word, the model writes the name it passed over."""
    budget = min(400, 24 + 3 * len(sentence) // 2)  # tokens: generous for scripts that take more per character
    retry = {"temperature": RETRY_TEMPERATURE, "seed": attempt, "grammar": numbers_grammar(sentence)} if attempt else {}
    if attempt and avoid:
        retry["avoid"] = tuple(avoid)
    messages = translation_messages(sentence, lang_from, lang_to)
    if greedy is not None and not attempt:
        reply = greedy
    else:
        reply = _first_line("".join(model.stream(messages, max_tokens=budget, stop=["\n"], **retry)))
    if attempt or candidates < 2 or not reply:
        return reply
    others = model.reply_variants(messages, reply, n=candidates - 1, below=UNSURE, max_tokens=budget, stop=["\n"])
    drafts = [text for text in dict.fromkeys([reply, *(_first_line(v) for v in others or ())]) if text]
    if len(drafts) < 2:
        return reply
    return max(drafts, key=lambda text: reads_best(model, sentence, lang_from, text, lang_to))


def _first_line(reply: str) -> str:
    return reply.strip().split("\n")[0].strip().strip('"“”').strip()


def reads_best(model: ChatModel, original: str, lang_from: str, text: str, lang_to: str) -> float:
    """How well ``text`` reads as the translation of ``original``, both ways: the mean log-probability of its
    tokens after the translation request (the model's own preference, read whole rather than token by
    token), plus the mean log-probability of the original's tokens after a request to translate ``text``
    back (whether the original can be recovered from it: "multilingual" does not lead back to
    "multikulturelle" as "multi-cultural" does). The second is the noisy-channel reading of machine
    translation; the two together chose better than either alone (BENCHMARKS.md)."""
    forward = model.reply_logprobs(translation_messages(original, lang_from, lang_to), " ".join(text.split()))
    back = model.reply_logprobs(translation_messages(text, lang_to, lang_from), " ".join(original.split()))
    if not forward or not back:
        return 0.0
    return sum(forward) / len(forward) + sum(back) / len(back)


def confidence(model: ChatModel, original: str, lang_from: str, text: str, lang_to: str) -> float | None:
    """The log-probability of the least likely token of ``text`` read as the model's translation of
    ``original`` (None when the model cannot score a text).

    A small model errs where it is unsure: the word it put a name in the wrong role with, the office it
    guessed, the relation it turned round get a low probability even in its own greedy translation, while
    the rest is near-certain. On the labelled set this separates wrong translations from right ones better
    than the yes/no judgement (BENCHMARKS.md, the translation check).
    """
    scores = model.reply_logprobs(translation_messages(original, lang_from, lang_to), " ".join(text.split()))
    return round(min(scores), 4) if scores else None


def contradiction(model: ChatModel, original: str, lang_from: str, text: str, lang_to: str) -> float | None:
    """How much the original speaks against the words of ``text``: the sum, over its tokens that the model
    finds less likely after the original than after the same request with no sentence at all, of that
    difference (a log-probability, 0 or less; None when the model cannot score a text).

    The least likely token (:func:`confidence`) is low for a wrong word, but also for a right word that
    is rare, or one a human translator chose where the model would not. A word the original makes *less*
    likely than no original at all is one it argues against: "higher" for "niedrigeren", "from" for "zu",
    "Vietnam is the largest investor in Korea" for "Korea merupakan investor … di Vietnam"; a rare name the
    original holds gains from it instead. Beside the least likely token it rejected more corrupted pairs of
    the labelled set's report half and accepted more faithful ones, thresholds chosen on the tune half
    (BENCHMARKS.md, the translation check). The forward reading is the one :func:`confidence` made (the model
    keeps it); the reading without the original costs one more pass over the translation."""
    reply = " ".join(text.split())
    given = model.reply_logprobs(translation_messages(original, lang_from, lang_to), reply)
    alone = model.reply_logprobs(translation_messages("", lang_from, lang_to), reply)
    if not given or not alone or len(given) != len(alone):
        return None
    return round(sum(min(0.0, a - b) for a, b in zip(given, alone)), 4)


ProgressCallback = Callable[[int, int], None]

#: Greedy drafts whose scores a translator keeps for :meth:`SentenceTranslator.render` to read again.
DRAFTS_REMEMBERED = 64


class _Scores(NamedTuple):
    """The model's scores of one translation (None: not asked yet): its yes/no judgement, the
    log-probability of its least likely token (:func:`confidence`) and how much the original speaks against
    its words (:func:`contradiction`)."""

    judge: float | None = None
    sure: float | None = None
    against: float | None = None

    @classmethod
    def of(cls, hit: CachedTranslation) -> "_Scores":
        return cls(hit.judge, hit.confidence, hit.contradiction)


class SentenceTranslator:
    """Translates sentences with the shared model, checks each translation, caches what the model said."""

    def __init__(
        self,
        model: ChatModel,
        verifier: Verifier,
        store: VectorStore | None = None,
        attempts: int = 2,
        languages_writing: Callable[[str], set[str]] | None = None,
        candidates: int = CANDIDATES,
    ) -> None:
        self.attempts = max(1, attempts)
        #: Translations a first translation is chosen from (see :func:`translate_one`).
        self.candidates = candidates
        #: The languages of the store's documents that write a (folded) word as it is: a name of the original
        #: that other languages write the same way must be kept (None: not checked).
        self.languages_writing = languages_writing
        self.model = model
        self.verifier = verifier
        self.store = store
        self.judge = FaithfulnessJudge(model)
        #: The greedy drafts :meth:`draft` wrote and checked, with their scores, by (sentence, its language,
        #: target), for :meth:`render` to start from.
        self._drafted: OrderedDict[tuple[str, str, str], tuple[str, _Scores]] = OrderedDict()

    @classmethod
    def from_settings(
        cls, model: ChatModel, embedder, store: VectorStore | None, settings,
        languages_writing: Callable[[str], set[str]] | None = None,
    ) -> "SentenceTranslator":
        """The translator the settings describe (thresholds, attempts): one per assistant, shared by
        answers and briefs."""
        verifier = Verifier(
            embedder,
            settings.support_threshold,
            translation_threshold=settings.translation_threshold,
            faithfulness_threshold=settings.faithfulness_threshold,
            confidence_threshold=settings.confidence_threshold,
            contradiction_threshold=settings.contradiction_threshold,
        )
        return cls(model, verifier, store, settings.translation_attempts, languages_writing, settings.translation_candidates)

    def key(self, sentence: str, lang_from: str, lang_to: str) -> str:
        """The cache key of this translator's translation of ``sentence`` (its model, its way of choosing)."""
        return cache_key(sentence, lang_from, lang_to, self.model.name, self.candidates)

    def carried(self) -> Callable[[str, str], bool] | None:
        """Whether a word of a sentence in a language is written the same way by a document in another
        language of the store, asked once per word (for one :meth:`render`: the store may change between)."""
        if self.languages_writing is None:
            return None
        known = functools.lru_cache(maxsize=None)(self.languages_writing)
        return lambda word, lang: bool(known(word) - {lang})

    def _decide(self, original: str, original_lang: str, lang: str, text: str, vector: np.ndarray,
                original_vector: np.ndarray, scores: _Scores,
                carried: Callable[[str, str], bool] | None = None) -> Rendering:
        cosine = float(vector @ original_vector)
        verdict = self.verifier.check_translation(
            original, original_lang, text, lang, cosine, scores.judge, scores.sure,
            carried=(lambda word: carried(word, original_lang)) if carried else None, against=scores.against,
        )
        return Rendering(
            original, original_lang, lang, text, verdict.supported, verdict.reason, cosine, scores.judge,
            vector=vector, confidence=scores.sure, contradiction=scores.against, unfounded=verdict.unfounded,
        )

    def _checked(self, sentence: str, sentence_lang: str, lang: str, text: str, vector: np.ndarray,
                 original_vector: np.ndarray, scores: _Scores,
                 carried: Callable[[str, str], bool] | None) -> tuple[Rendering, _Scores]:
        """The verdict on ``text`` as the translation of ``sentence``, the model asked for the scores it lacks
        only while the cheaper checks pass: how sure it was of each word, how much the original speaks
        against them, then its yes/no judgement."""

        def decide() -> Rendering:
            return self._decide(sentence, sentence_lang, lang, text, vector, original_vector, scores, carried)

        rendering = decide()
        if rendering.verified and scores.sure is None:
            scores = scores._replace(sure=confidence(self.model, sentence, sentence_lang, text, lang))
            rendering = decide()
        if rendering.verified and scores.against is None and self.verifier.contradiction_threshold is not None:
            scores = scores._replace(against=contradiction(self.model, sentence, sentence_lang, text, lang))
            rendering = decide()
        if rendering.verified and scores.judge is None and self.verifier.faithfulness_threshold > 0:
            scores = scores._replace(judge=self.judge.p_faithful(sentence, sentence_lang, text, lang))
            rendering = decide()
        return rendering, scores

    def draft(self, sentence: str, sentence_lang: str, lang: str) -> Rendering | None:
        """The model's greedy translation of ``sentence``, checked as any translation is, before the variants
        it is chosen among are written and read (:func:`translate_one`): what an answer can show while that
        choice is made. A translation cached (chosen before) is returned in its place when the checks pass it
        today, at no model call; None when the sentence is in ``lang``, or its cached translation is refused.

        Choosing among the candidates takes most of a translation's time (BENCHMARKS.md, where an uncached
        answer's time goes), and the greedy translation is often the one chosen (translations chosen by reading
        back). The draft is not cached as the sentence's translation: :meth:`render` still chooses, starting
        from this greedy reply, and takes the scores given here for it when it is chosen."""
        if sentence_lang == lang or self.candidates < 2:
            return None
        if self.store is not None and self.store.get_translations([self.key(sentence, sentence_lang, lang)]):
            return self.cached([(sentence, sentence_lang)], lang)[0]  # chosen before: itself, when it passes
        drafted = (sentence, sentence_lang, lang)
        text, scores = self._drafted.get(drafted, (None, _Scores()))  # drafted before: its scores taken
        if text is None:
            text = translate_one(self.model, sentence, sentence_lang, lang, candidates=1)
        if not text:
            return None
        original_vector, vector = self.verifier.embed([sentence, text])
        rendering, scores = self._checked(
            sentence, sentence_lang, lang, text, vector, original_vector, scores, self.carried()
        )
        self._drafted[drafted] = (text, scores)
        while len(self._drafted) > DRAFTS_REMEMBERED:
            self._drafted.popitem(last=False)
        return rendering

    def _read(self, items: Sequence[tuple[str, str]], lang: str) -> dict[int, tuple[CachedTranslation, Rendering]]:
        """The cached translation of each of ``items`` into ``lang`` that has one, by index, with today's
        verdict on it (the scores it was cached with; a score it lacks is not asked of the model)."""
        todo = [i for i, (_, sl) in enumerate(items) if sl != lang]
        if not todo or self.store is None:
            return {}
        keys = {i: self.key(items[i][0], items[i][1], lang) for i in todo}
        hits = self.store.get_translations(list(keys.values()))
        found = [i for i in todo if keys[i] in hits]
        if not found:
            return {}
        carried = self.carried()
        read: dict[int, tuple[CachedTranslation, Rendering]] = {}
        for i, original_vector in zip(found, self.verifier.embed([items[i][0] for i in found])):
            hit = hits[keys[i]]
            sentence, sentence_lang = items[i]
            rendering = self._decide(sentence, sentence_lang, lang, hit.text, hit.vector, original_vector, _Scores.of(hit), carried)
            rendering.cached = True
            read[i] = (hit, rendering)
        return read

    def cached(self, items: Sequence[tuple[str, str]], lang: str) -> list[Rendering | None]:
        """The cached translations of ``items`` (``(sentence, its language)``) into ``lang`` that pass the
        checks today, at no model call: None for a sentence without one, or whose cached record lacks a score
        the checks need (a translation the cheap checks refused was never scored; a model that cannot score, an
        endpoint, leaves none, so its cache is not read here). A sentence translated for
        an earlier question, or ahead by ``assistant translate``, costs nothing to read again."""
        needs_judge = self.verifier.faithfulness_threshold > 0
        needs_sure = self.verifier.confidence_threshold is not None
        out: list[Rendering | None] = [None] * len(items)
        for i, (hit, rendering) in self._read(items, lang).items():
            # A translation cached before the contradiction score was made is read as it was checked then
            # (the library translated ahead stays usable); it gets the score when it is next rendered.
            if (needs_judge and hit.judge is None) or (needs_sure and hit.confidence is None):
                continue
            out[i] = rendering if rendering.verified else None
        return out

    def refused(self, items: Sequence[tuple[str, str]], lang: str) -> list[bool]:
        """Whether each of ``items`` has a cached translation into ``lang`` that the checks refuse today
        (on the scores it was cached with): what ``render(..., retry_refused=True)`` drafts again."""
        read = self._read(items, lang)
        return [i in read and not read[i][1].verified for i in range(len(items))]

    def render(
        self,
        items: Sequence[tuple[str, str]],
        lang: str,
        *,
        on_progress: ProgressCallback | None = None,
        retry_refused: bool = False,
    ) -> list[Rendering]:
        """Each ``(sentence, its language)`` of ``items`` in ``lang``, checked. Sentences already in ``lang``
        come back as themselves (verified). Cached translations cost no model call; new ones are cached.

        A cached translation the checks refuse stays refused (a question does not pay for drafts that failed
        before) unless ``retry_refused``: then it counts as the first attempt and the sampled ones follow,
        with seeds after those of a first translation's retries (which were refused too, or the cache would
        hold them) — what `assistant translate --retry-refused` asks for after an upgrade."""
        out: list[Rendering | None] = [None] * len(items)
        todo = [i for i, (s, sl) in enumerate(items) if sl != lang]
        for i, (s, sl) in enumerate(items):
            if sl == lang:
                out[i] = Rendering(s, sl, lang, s, True)
        if not todo:
            return [r for r in out if r is not None]
        keys = {i: self.key(items[i][0], items[i][1], lang) for i in todo}
        cached = self.store.get_translations(list(keys.values())) if self.store is not None else {}
        originals = self.verifier.embed([items[i][0] for i in todo])
        original_vector = dict(zip(todo, originals))
        fresh: dict[int, CachedTranslation] = {}
        carried = self.carried()
        pending = list(todo)
        avoid: dict[int, list[str]] = {}  # the words each sentence's refused drafts were refused for, as written
        for attempt in range(self.attempts):
            # Calls of one kind together: each kind of prompt has its own fixed instructions, which llama.cpp
            # keeps cached only while the next prompt starts the same way. First every translation …
            drafts: dict[int, tuple[str, np.ndarray, _Scores, bool]] = {}
            written: dict[int, str] = {}
            for i in pending:
                hit = cached.get(keys[i]) if attempt == 0 else None
                if hit is not None:
                    drafts[i] = (hit.text, hit.vector, _Scores.of(hit), True)
                else:
                    sentence, sentence_lang = items[i]
                    again = self.attempts - 1 if keys[i] in cached else 0  # a cached refusal drafted again
                    greedy = self._drafted.get((sentence, sentence_lang, lang), (None,))[0]
                    written[i] = translate_one(
                        self.model, sentence, sentence_lang, lang, attempt=attempt + again, candidates=self.candidates,
                        avoid=avoid.get(i, ()), greedy=greedy,
                    )
            for i, vector in zip(written, self.verifier.embed([text or "-" for text in written.values()])):
                drafts[i] = (written[i], vector, _Scores(), False)
            # … then the model's scores, only of translations that pass the checks that need no model: how
            # sure it was of each word, how much the original speaks against them, then (if those pass too)
            # its yes/no judgement.
            for i in pending:
                sentence, sentence_lang = items[i]
                text, vector, had, was_cached = drafts[i]
                drafted = self._drafted.get((sentence, sentence_lang, lang))
                if not was_cached and drafted and drafted[0] == text:  # checked already (see :meth:`draft`)
                    had = drafted[1]
                rendering, scores = self._checked(
                    sentence, sentence_lang, lang, text, vector, original_vector[i], had, carried
                )
                rendering.cached = was_cached
                if not rendering.verified:
                    words = avoid.setdefault(i, [])
                    words += [w for item in rendering.unfounded for w in written_as(text, item) if w not in words]
                if out[i] is None or rendering.verified:  # a later attempt replaces a failed one only if it passes
                    out[i] = rendering
                    if not was_cached or scores != had:
                        fresh[i] = CachedTranslation(
                            keys[i], sentence, sentence_lang, lang, self.model.name, text, scores.judge, vector,
                            scores.sure, scores.against,
                        )
            # Another draft only for what this call translated and the checks refused (a cached refusal stays
            # unless asked otherwise).
            pending = [i for i in pending if not out[i].verified and (retry_refused or not out[i].cached)]
            if on_progress:
                on_progress(len(todo) - len(pending), len(todo))
            if not pending:
                break
        fresh = list(fresh.values())
        if fresh and self.store is not None:
            self.store.put_translations(fresh)
        return [r for r in out if r is not None]
