"""The language a question is asked in: how many questions of the public sets are read as their own language.

    .venv/bin/python -m benchmarks.question_language [--output .bench/question_language.json] [--limit N]

No model: :func:`~assistant.text.language.question_language` over every question, with the candidates the
answer pipeline gives it (every language read, English first and then the library's languages preferred:
here the language of the set's passages). A question read as another language is answered in that language,
its sources translated into it: TyDi QA's Indonesian questions read as Malay were answered in Malay from
Indonesian news. Per half (XQuAD by article, the others by position), as the QA evaluation splits them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from assistant.evaluation.retrieval import SPLITS, half, load_jsonl
from assistant.text.language import LANGUAGE_NAMES, question_language
from benchmarks.output import command_line, publish

EVAL = Path(__file__).resolve().parents[1] / "eval"

#: name, file, the question's field, its language, the library's languages.
SETS = (
    ("TyDi QA Indonesian", "tydiqa_id/tydiqa_goldp.dev.id.jsonl", "question", "id", ("id",)),
    ("XQuAD English", "xquad/xquad.de.jsonl", "question_en", "en", ("de",)),
    ("XQuAD German", "xquad/xquad.de.jsonl", "question", "de", ("de",)),
    ("PIAF French", "piaf_fr_sample/piaf_sample.fr.jsonl", "question", "fr", ("fr",)),
    ("seeds", "seeds_qa.jsonl", "question", "en", ("id", "de", "vi", "fr")),
)


def run(limit: int | None) -> list[dict]:
    rows = []
    for name, path, field, lang, library in SETS:
        records = load_jsonl(EVAL / path)
        for split in SPLITS:
            part = half(records, split)[:limit]
            read = Counter(question_language(r[field], tuple(LANGUAGE_NAMES), ["en", *library]) for r in part)
            rows.append({"set": name, "split": split, "lang": lang, "n": len(part), "read_as": dict(read.most_common())})
    return rows


def render(rows: list[dict]) -> list[str]:
    lines = ["| questions | half | read as their language | read otherwise |", "|---|---|---|---|"]
    for r in rows:
        other = ", ".join(f"{k} {v}" for k, v in r["read_as"].items() if k != r["lang"]) or "—"
        lines.append(f"| {r['set']} | {r['split']} | {r['read_as'].get(r['lang'], 0)}/{r['n']} | {other} |")
    return lines


def main() -> None:
    args = command_line(__doc__, "question_language", "only the first N questions of each half").parse_args()
    results = run(args.limit)
    publish(render(results), results, args.output)


if __name__ == "__main__":
    main()
