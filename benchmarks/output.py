"""What the stand-alone benchmarks share: their command line (a description, ``--output``, ``--limit``) and
how their results are published (the table printed, every row written as JSON under ``.bench/``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def command_line(doc: str, name: str, limit_help: str, limit_default: int | None = None) -> argparse.ArgumentParser:
    """The parser of ``python -m benchmarks.<name>``: described by its docstring's first line, writing
    ``.bench/<name>.json`` unless told otherwise; a benchmark adds its own options to it."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / ".bench" / f"{name}.json"))
    parser.add_argument("--limit", type=int, default=limit_default, help=limit_help)
    return parser


def publish(lines: list[str], results: object, output: str | Path) -> None:
    """Print the table ``lines`` and write ``results`` to ``output``."""
    print("\n".join(lines))
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
