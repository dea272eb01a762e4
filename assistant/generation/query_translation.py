"""Query translation: the question in the store's other languages, for retrieval only.

multilingual-e5-small matches an English question to German or French passages well (XQuAD en→de dense
recall@1 0.90) but to Vietnamese ones poorly: for "Since when have Vietnam and South Korea had diplomatic
relations?" it ranked the Vietnamese sentence that answers it ("… kể từ khi thiết lập quan hệ ngoại giao
song phương (22/12/1992 đến nay)") 45th of the seeds' 89 sentences. The same question translated into
Vietnamese by the local model ranks it first. So, when ``ASSISTANT_TRANSLATE_QUERIES`` is on, the question
is translated into each language the store holds (besides its own), and each translation searches the
documents of its language only (see :meth:`assistant.retrieval.retriever.Retriever.search`): a poor translation can
only reorder passages of its own language. Translations are never shown as text the user reads, and
answers are still verified against the passages themselves.

The prompt (``prompts/translate_query_system.txt``) is few-shot with eight everyday news questions per language
(``prompts/translate_examples.tsv``: who, what, when, how many, which, why, where) that carry no numbers
or dates, because a tiny model copies them. With two examples gemma-3-270m turned "What did the
ambassador propose?" into "Báo cho ai dự kiến về nhà máy?" (who expects what of the factory); with eight,
into "Người đại sứ đề nghị gì?". Persons' names are masked while the model translates (it invents
others, see :func:`masked_names`).
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections import OrderedDict
from functools import lru_cache
from importlib import resources
from typing import Sequence

from assistant.backends.chat import ChatMessage, ChatModel
from assistant.backends.embedder import Embedder
from assistant.grounding.facts import is_repetitive
from assistant.retrieval.translations import Translation
from assistant.templates import render
from assistant.text.language import LANGUAGE_NAMES, question_language, written_in
from assistant.text.names import is_name_part
from assistant.text.scripts import foreign_script
from assistant.text.words import WORD


@lru_cache(maxsize=1)
def examples() -> dict[str, tuple[str, ...]]:
    """The example questions of every language (the same questions, in the same order), from
    ``prompts/translate_examples.tsv``."""
    text = resources.files("assistant.prompts").joinpath("translate_examples.tsv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    return {row[0]: tuple(row[1:]) for row in rows[1:] if row}


#: The replies a question's translation is drawn from until one is usable (:func:`clean`): the configured
#: sampling first (greedy by default), then one sampled with a fixed seed (repeatable), for a greedy reply
#: that drifted into another script or language.
ATTEMPTS: tuple[tuple[float | None, int | None], ...] = ((None, None), (0.7, 1))

#: What stands for a person's name while the question is translated.
PLACEHOLDERS = ("X", "Y", "Z")


def masked_names(question: str) -> tuple[str, dict[str, str]]:
    """``question`` with each person's name (a run of two or more capitalised words after the first word,
    none of them a title, institution, nationality or country) replaced by a placeholder, and the names by
    placeholder.

    gemma-3-270m turns names into other names: "Which Korean policy for the fourth industrial revolution
    did Minister You Young Min mention?" came back as "Bộ trưởng đã nhắc đến chính sách kinh tế cho phép
    của ông Nguyễn Văn Mỹ?", whose vector finds the passages about Vietnamese ministers. With "Minister X"
    it wrote "Bộ trưởng đã nhắc đến chính sách kinh tế 4.0 của ông?", and the sentence that answers
    ("… Hàn Quốc đã xây dựng chính sách i-Korea 4.0 …") rose from 17th to 1st of the seeds' sentences.
    The question itself still searches by the name (e5 and BM25). A place of two words that no list knows
    ("Da Nang") is masked too; its name is then missing from the translation, not mistranslated.
    """
    words = list(WORD.finditer(question))
    runs: list[list[re.Match[str]]] = []
    for i, m in enumerate(words):
        if i == 0 or not is_name_part(m.group(0), generic_words_count=True):
            continue
        if runs and runs[-1][-1] is words[i - 1] and not question[words[i - 1].end() : m.start()].strip():
            runs[-1].append(m)
        else:
            runs.append([m])
    free = [p for p in PLACEHOLDERS if not re.search(rf"\b{p}\b", question)]
    names: dict[str, str] = {}
    out, at = [], 0
    for run in (r for r in runs if len(r) >= 2):
        if not free:
            break
        start, end = run[0].start(), run[-1].end()
        end -= len(re.search(r"(['’]s)?$", run[-1].group(0)).group(0))  # "Da Nang's" → "X's"
        placeholder = free.pop(0)
        names[placeholder] = question[start:end]
        out += [question[at:start], placeholder]
        at = end
    return "".join(out) + question[at:], names


def unmasked(text: str, names: dict[str, str]) -> str:
    """``text`` with the placeholders it kept replaced by the names they stand for."""
    for placeholder, name in names.items():
        text = re.sub(rf"\b{placeholder}\b", lambda _: name, text)
    return text


def clean(reply: str, question: str, lang: str, source_lang: str) -> str | None:
    """The translation in ``reply``, or None when it is no usable translation (empty, a copy of the
    question, looping, far longer than the question, not in ``lang``, or drifting into a script ``lang`` is
    not written in: qwen2.5-coder-1.5b wrote "Việt Nam và Hàn Quốc đã có liên hệ外交 từ khi nào?")."""
    text = reply.strip().split("\n")[0].strip().strip('"“”').strip()
    if not text or text.casefold() == question.casefold() or is_repetitive(text):
        return None
    if len(text) > 3 * len(question) + 20:
        return None
    if written_in(text, lang, [source_lang]) is False or foreign_script(text, lang, [question]):
        return None
    return text


class QueryTranslator:
    """Translates questions with the configured model; remembers recent translations."""

    CACHE_SIZE = 512

    def __init__(self, model: ChatModel, embedder: Embedder) -> None:
        self.model = model
        self.embedder = embedder
        self._cache: OrderedDict[tuple[str, str, str], str | None] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def messages(question: str, lang: str, source_lang: str = "en") -> list[ChatMessage]:
        """The instructions, the example questions as requests and replies, then ``question``.

        As turns of a conversation, not one text to continue: given "English: …\nVietnamese:" as one message,
        qwen2.5-coder-1.5b-instruct replied with a preamble ("Voici la traduction en français de chaque
        question :") on the first line, and for Vietnamese with nothing usable, so no translation searched.
        The instructions and examples are the same for every question into ``lang``: a fixed beginning the
        model keeps evaluated."""
        source_name, name = LANGUAGE_NAMES[source_lang], LANGUAGE_NAMES[lang]
        turns = [
            message
            for source, target in zip(examples()[source_lang], examples()[lang])
            for message in (ChatMessage("user", source, fixed=True), ChatMessage("assistant", target, fixed=True))
        ]
        return [
            ChatMessage("system", render("translate_query_system", source_language=source_name, language=name).strip()),
            *turns,
            ChatMessage("user", question),
        ]

    def forget(self) -> None:
        """Drop the remembered translations (benchmarks time fresh ones)."""
        with self._lock:
            self._cache.clear()

    def text(self, question: str, lang: str, source_lang: str = "en") -> str | None:
        """``question`` in ``lang``, or None when the model gave no usable translation."""
        key = (question, lang, source_lang)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        masked, names = masked_names(question)
        text = None
        for temperature, seed in ATTEMPTS:
            reply = "".join(
                self.model.stream(
                    self.messages(masked, lang, source_lang), max_tokens=64, stop=["\n"], temperature=temperature, seed=seed
                )
            )
            if text := clean(reply, masked, lang, source_lang):
                break
        text = unmasked(text, names) if text else None
        with self._lock:
            self._cache[key] = text
            while len(self._cache) > self.CACHE_SIZE:
                self._cache.popitem(last=False)
        return text

    def for_store(self, question: str, store_langs: Sequence[str], codes: Sequence[str], only: Sequence[str] = ()) -> list[Translation]:
        """``question`` in every language of the store (or of ``only``, the search's language filter)
        except its own."""
        langs = [lang for lang in store_langs if not only or lang in only]
        return self.translate(question, langs, question_language(question, codes, ["en", *store_langs]))

    def translate(self, question: str, langs: Sequence[str], source_lang: str = "en") -> list[Translation]:
        """``question`` in each of ``langs`` that the prompt supports, other than ``source_lang``."""
        supported = examples()  # the languages the prompt has examples for
        if source_lang not in supported:
            return []
        texts = [(lang, self.text(question, lang, source_lang)) for lang in langs if lang in supported and lang != source_lang]
        texts = [(lang, text) for lang, text in texts if text]
        if not texts:
            return []
        vectors = self.embedder.embed_queries([text for _, text in texts])
        return [Translation(lang, text, vector) for (lang, text), vector in zip(texts, vectors)]
