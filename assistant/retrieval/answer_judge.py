"""Which evidence sentence states the answer? The model as a yes/no judge, read from its token probabilities.

e5 scores a sentence by how near it is to the question, and the nearest is often the one that restates
the question ("Tesla was famous for his scientific achievements and …" for "Other than his scientific
achievements what was Tesla famous for?") while the one that answers comes second or fourth. The reader
sees the first sentence first (it leads the answer, and is translated first), so the order matters.
The model reads each of the best few sentences beside the question, in the sentence's own language (no
translation needed), and the probability it gives "Yes" after ``prompts/judge_answer_system.txt`` and the
worked judgements of ``prompts/judge_answer_examples.tsv`` is added, weighted, to the sentence's score:
the sentences are ranked by that standing from then on (:func:`standing`). The weight and the number
judged are settings, chosen on the tune half of XQuAD (BENCHMARKS.md, the answer judge). The fixed
instructions and worked judgements come first, so llama.cpp keeps them cached.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from assistant.backends.chat import ChatMessage, ChatModel
from assistant.models import Source
from assistant.retrieval.evidence import Evidence, keep_sources
from assistant.templates import render
from assistant.text.langdata import language_name

OPTIONS = ("Yes", "No")


def request(question: str, sentence: str, lang: str) -> str:
    return render(
        "judge_answer", question=question, language=language_name(lang), sentence=" ".join(sentence.split())
    ).strip()


@lru_cache(maxsize=1)
def examples() -> tuple[ChatMessage, ...]:
    """The worked judgements of ``prompts/judge_answer_examples.tsv`` as request and reply turns, kept
    evaluated with the instructions: a sentence on the question's topic that does not answer is No, one
    that answers in another language than the question is Yes."""
    text = resources.files("assistant.prompts").joinpath("judge_answer_examples.tsv").read_text(encoding="utf-8")
    turns: list[ChatMessage] = []
    for row in csv.DictReader(text.splitlines(), delimiter="\t"):
        turns.append(ChatMessage("user", request(row["question"], row["sentence"], row["lang"]), fixed=True))
        turns.append(ChatMessage("assistant", row["verdict"], fixed=True))
    return tuple(turns)


class AnswerJudge:
    """The model's probability that a sentence states the answer to a question."""

    def __init__(self, model: ChatModel) -> None:
        self.model = model

    @staticmethod
    def messages(question: str, sentence: str, lang: str) -> list[ChatMessage]:
        return [
            ChatMessage("system", render("judge_answer_system").strip()),
            *examples(),
            ChatMessage("user", request(question, sentence, lang)),
        ]

    def p_answers(self, question: str, sentence: str, lang: str) -> float:
        return self.model.choice_probs(self.messages(question, sentence, lang), OPTIONS)[0]


def standing(source: Source, weight: float) -> float:
    """A source's rank key: its retrieval score plus ``weight`` × the judge's probability that it answers
    (nothing for a source the judge did not read)."""
    return source.score + weight * (source.answers or 0.0)


def by_standing(sources: list[Source], weight: float) -> list[Source]:
    """``sources`` best first by :func:`standing`: the one order leading, seconding and quoting read."""
    return sorted(sources, key=lambda s: -standing(s, weight))


def settled_first(sources: list[Source], pending: list[Source], weight: float) -> Source | None:
    """The source that stands first by :func:`standing` whatever the judge will say of the ``pending``
    sources it has not read yet (each could gain up to ``weight``), or None while that is open."""
    waiting = {s.n for s in pending}
    first = by_standing(sources, weight)[0]
    if first.n in waiting:
        return None
    ceiling = max((s.score + (weight if s.n in waiting else weight * (s.answers or 0.0)) for s in sources if s.n != first.n), default=None)
    return first if ceiling is None or standing(first, weight) > ceiling else None


def judged(
    evidence: Evidence,
    judge: AnswerJudge,
    pool: int,
    weight: float,
    on_settled: Callable[[Source], None] | None = None,
) -> Evidence:
    """``evidence`` with its ``pool`` best sources judged (``Source.answers``) and every source renumbered
    by :func:`standing`, best first (sources beyond the pool stand by their score alone).

    They are judged best first, and ``on_settled`` is called once with the source that will stand first
    as soon as no judgement still to come can move it (:func:`settled_first`; the source itself, before
    renumbering): when the judge is sure of the best one, the answer can show it a judgement sooner."""
    if pool <= 0 or len(evidence.sources) < 2:
        return evidence
    best = sorted(evidence.sources, key=lambda s: -s.score)[:pool]
    settled = False
    for i, source in enumerate(best):
        source.answers = round(judge.p_answers(evidence.question, source.quote, source.lang), 4)
        if on_settled and not settled and (first := settled_first(evidence.sources, best[i + 1 :], weight)):
            settled = True
            on_settled(first)
    order = by_standing(evidence.sources, weight)
    return keep_sources(evidence, [s.n for s in order])
