"""``assistant eval eval/faithfulness/pairs.jsonl --mode faithfulness``: does the translation check let
faithful translations through and stop corrupted ones?

Each labelled pair (see ``benchmarks/faithfulness_set.py``) is scored once — the checks that need no model,
the e5 cosine between original and translation, the log-probability of the translation's least likely token
as the model reads it after the original, how much the original speaks against the translation's words
(:func:`~assistant.generation.translation.contradiction`), and the model's probability that the translation
is faithful —
and then decided at the thresholds given. So calibration (``--calibrate``, on the tune half)
searches thresholds over the same scores without asking the model again.

Reported: faithful pairs accepted, corrupted pairs rejected (overall and per kind of corruption), and the
check's precision and recall as a detector of corrupted translations.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, Sequence

from pydantic import BaseModel, Field

from assistant.evaluation.retrieval import load_jsonl
from assistant.generation.translation import confidence, contradiction
from assistant.grounding.faithfulness import FaithfulnessJudge
from assistant.grounding.verifier import Verifier


class ScoredPair(BaseModel):
    id: str
    split: str
    source: str
    label: str
    corruption: str | None = None
    lang: str
    original_lang: str
    cosine: float
    judge: float | None = None
    confidence: float | None = None
    contradiction: float | None = None
    flaw: str | None = Field(None, description="What the checks that need no model found (None: nothing).")


class FaithfulnessReport(BaseModel):
    dataset: str
    model: str
    n: int
    translation_threshold: float
    faithfulness_threshold: float
    confidence_threshold: float | None = None
    contradiction_threshold: float | None = None
    faithful: int
    faithful_accepted: float | None
    corrupted: int
    corrupted_rejected: float | None
    precision: float | None = Field(description="Of the pairs the check rejects, the share that are corrupted.")
    recall: float | None = Field(description="Of the corrupted pairs, the share the check rejects.")
    rejected_by_kind: dict[str, str] = Field(default_factory=dict)
    faithful_accepted_by_source: dict[str, str] = Field(default_factory=dict)
    without_judge: dict[str, float | None] = Field(default_factory=dict)


def score_pairs(pairs: Sequence[dict[str, Any]], verifier: Verifier, judge: FaithfulnessJudge) -> list[ScoredPair]:
    """Every pair's scores: the model is asked about every pair (also those the cheap checks reject), so
    that each part of the check can be measured alone."""
    originals = verifier.embed([p["original"] for p in pairs])
    texts = verifier.embed([p["text"] for p in pairs])
    out = []
    for p, a, b in zip(pairs, originals, texts):
        cosine = float(a @ b)
        cheap = verifier.check_translation(p["original"], p["original_lang"], p["text"], p["lang"], cosine=1.0)
        out.append(ScoredPair(
            id=p["id"], split=p["split"], source=p["source"], label=p["label"], corruption=p.get("corruption"),
            lang=p["lang"], original_lang=p["original_lang"], cosine=round(cosine, 4),
            judge=round(judge.p_faithful(p["original"], p["original_lang"], p["text"], p["lang"]), 4),
            confidence=confidence(judge.model, p["original"], p["original_lang"], p["text"], p["lang"]),
            contradiction=contradiction(judge.model, p["original"], p["original_lang"], p["text"], p["lang"]),
            flaw=cheap.reason,
        ))
    return out


def accepted(pair: ScoredPair, translation_threshold: float, faithfulness_threshold: float,
             confidence_threshold: float | None = None, contradiction_threshold: float | None = None, *,
             use_judge: bool = True) -> bool:
    """The verifier's decision (:meth:`~assistant.grounding.verifier.Verifier.check_translation`) re-made
    from the pair's scores; ``use_judge=False``: without the model's scores (confidence, contradiction and
    judgement)."""
    if pair.flaw is not None or pair.cosine < translation_threshold:
        return False
    if not use_judge:
        return True
    if confidence_threshold is not None and pair.confidence is not None and pair.confidence < confidence_threshold:
        return False
    if (
        contradiction_threshold is not None and pair.contradiction is not None
        and pair.contradiction < contradiction_threshold
    ):
        return False
    return pair.judge is None or pair.judge >= faithfulness_threshold


def _share(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def report(
    scored: Sequence[ScoredPair], dataset: str, model: str, translation_threshold: float, faithfulness_threshold: float,
    confidence_threshold: float | None = None, contradiction_threshold: float | None = None,
) -> FaithfulnessReport:
    def decide(p: ScoredPair, use_judge: bool = True) -> bool:
        return accepted(p, translation_threshold, faithfulness_threshold, confidence_threshold,
                        contradiction_threshold, use_judge=use_judge)

    faithful = [p for p in scored if p.label == "faithful"]
    corrupted = [p for p in scored if p.label == "corrupted"]
    rejected = [p for p in scored if not decide(p)]
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for p in corrupted:
        kind = p.corruption if p.source == "xquad" or p.corruption in _KINDS else "model error (hand-labelled)"
        by_kind[kind].append(not decide(p))
    by_source: dict[str, list[bool]] = defaultdict(list)
    for p in faithful:
        by_source[p.source].append(decide(p))
    plain_rejected = [p for p in scored if not decide(p, use_judge=False)]
    return FaithfulnessReport(
        dataset=dataset,
        model=model,
        n=len(scored),
        translation_threshold=translation_threshold,
        faithfulness_threshold=faithfulness_threshold,
        confidence_threshold=confidence_threshold,
        contradiction_threshold=contradiction_threshold,
        faithful=len(faithful),
        faithful_accepted=_share(sum(decide(p) for p in faithful), len(faithful)),
        corrupted=len(corrupted),
        corrupted_rejected=_share(sum(not decide(p) for p in corrupted), len(corrupted)),
        precision=_share(sum(p.label == "corrupted" for p in rejected), len(rejected)),
        recall=_share(sum(p.label == "corrupted" for p in rejected), len(corrupted)),
        rejected_by_kind={k: f"{sum(v)}/{len(v)}" for k, v in sorted(by_kind.items())},
        faithful_accepted_by_source={k: f"{sum(v)}/{len(v)}" for k, v in sorted(by_source.items())},
        without_judge={
            "faithful_accepted": _share(sum(decide(p, False) for p in faithful), len(faithful)),
            "corrupted_rejected": _share(sum(not decide(p, False) for p in corrupted), len(corrupted)),
            "precision": _share(sum(p.label == "corrupted" for p in plain_rejected), len(plain_rejected)),
        },
    )


_KINDS = {"swap_names", "number", "reversal", "negation", "office", "untranslated"}


def calibrate(
    scored: Sequence[ScoredPair], min_faithful_accepted: float = 0.8
) -> tuple[float, float, float, float | None]:
    """The thresholds (cosine, judge, confidence, contradiction) that reject the most corrupted pairs while
    accepting at least ``min_faithful_accepted`` of the faithful ones (ties: the more faithful accepted); when
    no thresholds accept that many, those with the best balanced accuracy. A contradiction threshold of None
    leaves that check out. Searched over the scores as arrays (a grid of some 310,000 combinations)."""
    import numpy as np

    def column(values: list[float | None], absent: float) -> np.ndarray:
        return np.array([absent if v is None else v for v in values], dtype=np.float64)

    flawed = np.array([p.flaw is not None for p in scored])
    cosine = column([p.cosine for p in scored], 1.0)
    judge = column([p.judge for p in scored], 1.0)  # no score: not checked
    sure = column([p.confidence for p in scored], 0.0)
    against = column([p.contradiction for p in scored], 0.0)
    faithful = np.array([p.label == "faithful" for p in scored])
    corrupted = np.array([p.label == "corrupted" for p in scored])
    n_faithful, n_corrupted = max(int(faithful.sum()), 1), max(int(corrupted.sum()), 1)
    best: tuple[tuple[float, float], tuple[float, float, float, float | None]] | None = None
    balanced: tuple[float, tuple[float, float, float, float | None]] | None = None
    for c in [x / 100 for x in range(70, 96, 2)]:
        plain = ~flawed & (cosine >= c)
        for s in [-x / 2 for x in range(4, 41)]:
            sure_ok = plain & (sure >= s)
            for a in [-float(x) for x in range(6, 31)] + [None]:
                against_ok = sure_ok if a is None else sure_ok & (against >= a)
                for j in [x / 100 for x in range(0, 100, 4)]:
                    ok_all = against_ok & (judge >= j)
                    ok = float((ok_all & faithful).sum()) / n_faithful
                    caught = float((~ok_all & corrupted).sum()) / n_corrupted
                    chosen = (c, j, s, a)
                    if balanced is None or ok + caught > balanced[0]:
                        balanced = (ok + caught, chosen)
                    if ok >= min_faithful_accepted and (best is None or (caught, ok) > best[0]):
                        best = ((caught, ok), chosen)
    if best:
        return best[1]
    return balanced[1] if balanced else (0.8, 0.0, -50.0, None)


def evaluate_faithfulness_file(dataset: str | Path, settings, *, split: str | None = None, limit: int | None = None,
                               calibrate_thresholds: bool = False, model=None, embedder=None) -> FaithfulnessReport:
    from assistant.backends.chat import get_chat_model
    from assistant.backends.embedder import get_embedder

    pairs = load_jsonl(dataset)
    if split:
        pairs = [p for p in pairs if p["split"] == split]
    pairs = pairs[:limit] if limit else pairs
    embedder = embedder or get_embedder(settings.embedder, settings.embed_batch_size)
    model = model or get_chat_model(settings)
    verifier = Verifier(embedder, settings.support_threshold)
    scored = score_pairs(pairs, verifier, FaithfulnessJudge(model))
    c, j, s, a = (settings.translation_threshold, settings.faithfulness_threshold, settings.confidence_threshold,
                  settings.contradiction_threshold)
    if calibrate_thresholds:
        c, j, s, a = calibrate(scored)
    return report(scored, Path(dataset).name, model.name, c, j, s, a)
