"""The answer judge: the model reads the best evidence sentences beside the question, and the one it says
states the answer leads, whatever its cosine."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.backends.fake_chat import FakeChatModel
from assistant.models import Source
from assistant.retrieval.answer_judge import AnswerJudge, judged, settled_first, standing
from assistant.retrieval.evidence import Evidence
from assistant.templates import render

QUESTION = "How many times has Polonia won the cup?"
SENTENCES = [  # by score: the first restates the question, the third answers it
    ("Polonia Warschau gewann die Meisterschaft im Jahr 2000.", 0.84),
    ("Der Verein spielt im Stadion an der Konwiktorska-Straße.", 0.83),
    ("Sie gewannen auch zweimal den Pokal.", 0.82),
    ("Die Fans des Vereins sind zahlreich.", 0.81),
    ("Polonia hat weniger Anhänger als Legia.", 0.80),
]


def evidence() -> Evidence:
    sources = [
        Source(n=n, doc_id="d", source="polonia.txt", title="Polonia", lang="de", chunk_id="d-0", quote=text,
               start=0, end=len(text), score=score)
        for n, (text, score) in enumerate(SENTENCES, 1)
    ]
    return Evidence(question=QUESTION, sources=sources, vectors={s.n: np.full(3, s.n, dtype=float) for s in sources})


def saying_yes_to(word: str) -> FakeChatModel:
    """A judge that is sure of the sentences holding ``word`` and gives the others a tenth."""
    return FakeChatModel(judge=lambda messages, options: [0.9, 0.1] if word in messages[-1].content else [0.1, 0.9])


def test_the_sentence_the_judge_says_answers_leads_and_keeps_its_vector():
    model = saying_yes_to("Pokal")
    ranked = judged(evidence(), AnswerJudge(model), pool=4, weight=1.0)
    assert [s.quote for s in ranked.sources][:2] == [SENTENCES[2][0], SENTENCES[0][0]]
    assert [s.n for s in ranked.sources] == [1, 2, 3, 4, 5]
    assert ranked.vectors[1][0] == 3.0  # the vector moved with its sentence
    assert [s.answers for s in ranked.sources] == [0.9, 0.1, 0.1, 0.1, None]  # the fifth was not read
    assert ranked.sources[-1].quote == SENTENCES[4][0]  # unjudged, it stays behind the judged ones
    # each call reads the question and one sentence, after the fixed instructions
    assert len(model.judged) == 4 and all(m[0].content == render("judge_answer_system").strip() for m in model.judged)
    request = model.judged[0][-1].content
    assert QUESTION in request and f"Sentence (German): {SENTENCES[0][0]}" in request
    # the worked judgements (a Yes and a No at least) come between, kept evaluated with the instructions
    worked = model.judged[0][1:-1]
    assert worked and all(m.fixed for m in worked) and {m.content for m in worked if m.role == "assistant"} == {"Yes", "No"}


def test_a_small_weight_only_breaks_near_ties():
    ranked = judged(evidence(), AnswerJudge(saying_yes_to("Pokal")), pool=4, weight=0.01)
    # +0.008 over the first would not overtake 0.84 from 0.82
    assert ranked.sources[0].quote == SENTENCES[0][0]
    assert standing(ranked.sources[0], 0.01) == pytest.approx(0.84 + 0.001)


def test_the_judge_can_be_turned_off_and_is_not_asked_about_a_single_source():
    model = saying_yes_to("Pokal")
    assert [s.quote for s in judged(evidence(), AnswerJudge(model), pool=0, weight=1.0).sources] == [t for t, _ in SENTENCES]
    one = evidence()
    one.sources = one.sources[:1]
    assert judged(one, AnswerJudge(model), pool=4, weight=1.0).sources[0].answers is None
    assert model.judged == []


def test_the_first_is_settled_once_no_judgement_still_to_come_can_pass_it():
    sources = evidence().sources  # 0.84, 0.83, 0.82 … by score
    sources[0].answers = 0.9
    # 0.84 + 0.2 × 0.9 = 1.02: the 0.83 still to be judged reaches 1.03 at most, so it is open
    assert settled_first(sources, sources[1:2], weight=0.2) is None
    # with a smaller weight no judgement of it can pass the first: 0.84 + 0.045 > 0.83 + 0.05
    assert settled_first(sources, sources[1:2], weight=0.05) is sources[0]
    sources[1].answers = 0.2  # judged: 0.83 + 0.04 < 1.02, and those beyond the pool stand by their score
    assert settled_first(sources, [], weight=0.2) is sources[0]
    # a source not judged yet is never settled first, however far ahead it is by score
    sources[0].answers, sources[1].answers = None, None
    assert settled_first(sources, [sources[0]], weight=0.01) is None
    # nor is one that a source still to be judged could pass
    sources[1].answers = 0.9
    assert settled_first(sources, [sources[0]], weight=0.2) is None


def test_the_settled_first_is_told_as_soon_as_it_is_sure_before_the_rest_are_judged():
    model = FakeChatModel(judge=lambda messages, options: [0.99, 0.01] if "Meisterschaft" in messages[-1].content else [0.1, 0.9])
    told = []
    ranked = judged(evidence(), AnswerJudge(model), pool=4, weight=0.2,
                    on_settled=lambda s: told.append((s.quote, len(model.judged))))
    # the best by score was judged sure: 0.84 + 0.198 beats 0.83 + 0.2 whatever the judge says of the rest
    assert told == [(SENTENCES[0][0], 1)] and len(model.judged) == 4
    assert ranked.sources[0].quote == SENTENCES[0][0]
    # unsure of the best, the first is known only when the judge has read enough: here the third answers
    told.clear()
    model = saying_yes_to("Pokal")
    ranked = judged(evidence(), AnswerJudge(model), pool=4, weight=1.0,
                    on_settled=lambda s: told.append((s.quote, len(model.judged))))
    assert told == [(SENTENCES[2][0], 4)] and ranked.sources[0].quote == SENTENCES[2][0]
