"""Calibrate story grouping on XQuAD's parallel paragraphs (English original, German translation).

Positives: each English paragraph with its German translation. Negatives: the same English paragraph with
the *other* German paragraphs of the same article (same topic, same names: the hard case). Prints the
alignment distributions and, for a few scales and thresholds, how many translations group and how many
non-translations wrongly do. The constants in ``assistant/ingest/stories.py`` come from this.

    .venv/bin/python benchmarks/story_calibration.py [--paragraphs 80]
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
from assistant.ingest.chunking import segment_document  # noqa: E402
from assistant.ingest.stories import alignment  # noqa: E402
from assistant.text.words import anchors  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=80)
    args = parser.parse_args()
    rows = [json.loads(line) for line in (ROOT / "eval" / "xquad" / "xquad.paragraphs.jsonl").open(encoding="utf-8")]
    en = {r["para_id"]: r for r in rows if r["lang"] == "en"}
    de = {r["para_id"]: r for r in rows if r["lang"] == "de"}
    ids = sorted(en)[: args.paragraphs]
    embedder = E5Embedder()

    def vectors(text: str, lang: str) -> np.ndarray:
        _, sentences = segment_document("x", text, lang, 192, 32)
        return embedder.embed_passages([s.text for s in sentences])

    E = {pid: vectors(en[pid]["context"], "en") for pid in ids}
    D = {pid: vectors(de[pid]["context"], "de") for pid in ids}

    def jaccard(p: str, q: str) -> float | None:
        a, b = anchors(en[p]["context"]), anchors(de[q]["context"])
        return len(a & b) / len(a | b) if len(a | b) >= 3 else None

    pos = [(alignment(E[p], D[p]), p, p) for p in ids]
    neg = [(alignment(E[p], D[q]), p, q) for p in ids for q in ids if q != p and en[q]["title"] == en[p]["title"]]
    P, N = np.array([x for x, _, _ in pos]), np.array([x for x, _, _ in neg])
    print(f"translations   n={len(P)}: alignment min {P.min():.3f}, p5 {np.percentile(P, 5):.3f}, median {np.median(P):.3f}")
    print(f"same article   n={len(N)}: alignment max {N.max():.3f}, p95 {np.percentile(N, 95):.3f}, median {np.median(N):.3f}")
    for floor, ceil in ((0.84, 0.90), (0.85, 0.95), (0.86, 0.92)):
        for threshold in (0.4, 0.5, 0.6):
            def score(al: float, j: float | None) -> float:
                t = float(np.clip((al - floor) / (ceil - floor), 0, 1))
                return t if j is None else 0.5 * t + 0.5 * j

            grouped = np.mean([score(al, jaccard(p, q)) >= threshold for al, p, q in pos])
            wrong = sum(score(al, jaccard(p, q)) >= threshold for al, p, q in neg)
            print(f"scale {floor:.2f}..{ceil:.2f}  threshold {threshold}: translations grouped {grouped:.3f}, non-translations grouped {wrong}/{len(neg)}")


if __name__ == "__main__":
    main()
