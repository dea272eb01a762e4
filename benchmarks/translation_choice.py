"""Translations chosen by reading back: the greedy translation against the best of it and its variants.

    .venv/bin/python -m benchmarks.translation_choice [--output .bench/translation_choice.json] [--limit N]

The labelled faithfulness set's faithful German → English pairs (``eval/faithfulness/pairs.jsonl``: XQuAD's
German sentences beside their human English) are translated by the loaded default model twice, through
:func:`~assistant.generation.translation.translate_one`: greedy alone (``candidates=1``), and as the product
translates (the greedy translation and its variants, the one that
:func:`~assistant.generation.translation.reads_best` kept). Each translation is scored against the human
English by chrF (character n-grams 1–6, β = 2, the usual machine-translation score; no package needed) and by
the share of the reference's words it holds, per half (tune / report), with the seconds each took. The
choice was made on the tune half; the report half is held out.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from pathlib import Path

from assistant.backends.chat import get_chat_model
from assistant.config import Settings
from assistant.evaluation.retrieval import load_jsonl
from assistant.generation.translation import CANDIDATES, translate_one
from benchmarks.output import command_line, publish

ROOT = Path(__file__).resolve().parents[1]


def chrf(hypothesis: str, reference: str, order: int = 6, beta: float = 2.0) -> float:
    """chrF (Popović 2015): the F-score of character n-grams, n = 1…``order``, recall weighted ``beta``."""

    def grams(text: str, n: int) -> Counter[str]:
        text = " ".join(text.split())
        return Counter(text[i : i + n] for i in range(len(text) - n + 1))

    precision = recall = 0.0
    for n in range(1, order + 1):
        h, r = grams(hypothesis, n), grams(reference, n)
        common = sum((h & r).values())
        precision += common / max(sum(h.values()), 1) / order
        recall += common / max(sum(r.values()), 1) / order
    if precision + recall == 0:
        return 0.0
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall)


def word_recall(hypothesis: str, reference: str) -> float:
    words = set(re.findall(r"\w+", reference.casefold()))
    return len(words & set(re.findall(r"\w+", hypothesis.casefold()))) / max(len(words), 1)


def collect(limit: int | None = None) -> list[dict]:
    model = get_chat_model(Settings())
    pairs = [
        p for p in load_jsonl(ROOT / "eval/faithfulness/pairs.jsonl")
        if p["label"] == "faithful" and p["original_lang"] == "de" and p["lang"] == "en"
    ]
    rows = []
    for split in ("tune", "report"):
        for p in [p for p in pairs if p["split"] == split][:limit]:
            row: dict = {"id": p["id"], "split": split, "reference": p["text"]}
            for name, candidates in (("greedy", 1), ("chosen", CANDIDATES)):
                if hasattr(model, "forget_replies"):
                    model.forget_replies()  # the greedy translation is made again, not replayed: both timed whole
                started = time.perf_counter()
                text = translate_one(model, p["original"], "de", "en", candidates=candidates)
                row[name] = {"text": text, "seconds": round(time.perf_counter() - started, 3),
                             "chrf": round(chrf(text, p["text"]), 4), "words": round(word_recall(text, p["text"]), 4)}
            rows.append(row)
    return rows


def summary(rows: list[dict]) -> list[dict]:
    out = []
    for split in ("tune", "report"):
        mine = [r for r in rows if r["split"] == split]
        cell: dict = {"split": split, "n": len(mine), "changed": sum(r["greedy"]["text"] != r["chosen"]["text"] for r in mine)}
        for name in ("greedy", "chosen"):
            cell[name] = {
                "chrf": round(100 * statistics.mean(r[name]["chrf"] for r in mine), 2),
                "words": round(100 * statistics.mean(r[name]["words"] for r in mine), 2),
                "seconds_p50": round(statistics.median(r[name]["seconds"] for r in mine), 2),
            }
        out.append(cell)
    return out


def render(cells: list[dict]) -> list[str]:
    lines = [
        "| half | pairs | greedy chrF | chosen chrF | greedy reference words | chosen | changed | s/sentence greedy → chosen (p50) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in cells:
        g, k = c["greedy"], c["chosen"]
        lines.append(
            f"| {c['split']} | {c['n']} | {g['chrf']:.2f} | {k['chrf']:.2f} | {g['words']:.2f} % | {k['words']:.2f} % "
            f"| {c['changed']} | {g['seconds_p50']:.2f} → {k['seconds_p50']:.2f} |"
        )
    return lines


def main() -> None:
    args = command_line(__doc__, "translation_choice", "only the first N pairs of each half").parse_args()
    rows = collect(args.limit)
    cells = summary(rows)
    publish(render(cells), {"rows": rows, "summary": cells}, args.output)


if __name__ == "__main__":
    main()
