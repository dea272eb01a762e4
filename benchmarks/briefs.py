"""Brief benchmarks (issue 4), used by ``benchmarks/run.py``; alone:
``python benchmarks/briefs.py [--histsumm N] [--append BENCHMARKS.md]`` (adds a dated section).

* ``seeds_briefs.jsonl``: must-mention groups found in the English side, written points that verified,
  displayed points re-checked, time per brief — default model;
* HistSumm de→en (first N texts): ROUGE-L and keyword recall of the English brief against the reference
  (which may be machine-translated), time per brief.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.backends.embedder import E5Embedder  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.evaluation.briefs import evaluate_brief_file  # noqa: E402
from assistant.service import NewsAssistant  # noqa: E402

EVAL = ROOT / "eval"


def bench_briefs(embedder: E5Embedder, histsumm: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        assistant = NewsAssistant(Settings(store_dir=Path(tmp)), embedder=embedder)
        assistant.ingest([ROOT / "seeds"])
        seeds = evaluate_brief_file(EVAL / "seeds_briefs.jsonl", assistant.settings, current=assistant).model_dump()
        hist = evaluate_brief_file(
            EVAL / "histsumm_de_en" / "histsumm.de-en.jsonl", assistant.settings, limit=histsumm, current=assistant
        ).model_dump()
    return {"seeds": seeds, "histsumm": hist}


def render_briefs(r: dict) -> list[str]:
    s, h = r["seeds"], r["histsumm"]
    lines = [
        "## Briefs (issue 4)",
        "",
        f"Default model ({s['model']}), one point per three sentences of the input, "
        f"{Settings().brief_points}–{Settings().brief_max_points} per brief, temperature 0 "
        f"(then up to {Settings().brief_drafts - 1} sampled drafts at fixed seeds).",
        "",
        "| dataset | n | must-mention in English text (anywhere in the English column) | written points verified | displayed points verified | ROUGE-L | keyword recall | time per brief p50 |",
        "|---|---|---|---|---|---|---|---|",
        f"| seeds_briefs.jsonl | {s['n']} | {s['must_mention_found']}/{s['must_mention_total']} ({s['must_mention']:.0%}; "
        f"{s['must_mention_any_language']:.0%}) | "
        f"{s['written_points_verified']:.0%} | {s['displayed_points_verified']:.0%} | | | {s['seconds_per_brief_p50']} s |",
        f"| HistSumm de→en (first {h['n']}) | {h['n']} | | | | {h['rouge_l']:.3f} | {h['keyword_recall']:.3f} | {h['seconds_per_brief_p50']} s |",
        "",
        "Targets: ≥ 90% of must-mention groups, 100% of displayed citations verified. *Written points verified*: "
        "the share of the model's restatements that passed verification (the others are shown as quotes of the "
        "original sentence). HistSumm references may be machine translations (their origin is not stated); an "
        "extractive brief of 17th–18th-century German scores low against an abstractive English one-line "
        "summary by construction.",
        "",
        "Per seed brief (must-mention groups found, in order):",
        "",
    ]
    for item in s["items"]:
        lines.append(f"- {item['id']}: {item['must_mention']} ({item['seconds']} s)")
    lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--histsumm", type=int, default=5)
    parser.add_argument("--append", help="append a dated section to this file")
    args = parser.parse_args()
    results = bench_briefs(E5Embedder(), args.histsumm)
    print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "items"} for k, v in results.items()}, indent=2))
    if args.append:
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        head = [
            "",
            f"<!-- separate run: {stamp}, {platform.node() or 'this machine'}, command: "
            f"`python benchmarks/briefs.py --histsumm {args.histsumm} --append BENCHMARKS.md` -->",
            f"*This section comes from a separate run ({stamp}, same machine): "
            f"`python benchmarks/briefs.py --histsumm {args.histsumm} --append BENCHMARKS.md`.*",
            "",
        ]
        with open(args.append, "a", encoding="utf-8") as fh:
            fh.write("\n".join(head + render_briefs(results)))


if __name__ == "__main__":
    main()
