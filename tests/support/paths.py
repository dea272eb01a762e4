"""Where the project's test data lives: the seeds, the evaluation files, the shared material beside the repo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SHARED_EVAL = ROOT.parent / "shared" / "eval"
EVAL = ROOT / "eval"
#: Screenshots and server logs of the browser tests (git-ignored).
ARTIFACTS = ROOT / "tests" / "artifacts"


def eval_file(name: str) -> Path:
    """An evaluation file from the project's copy in eval/ (falls back to ../shared/eval)."""
    for base in (EVAL, SHARED_EVAL):
        for path in base.rglob(name):
            return path
    pytest.fail(f"evaluation file {name} not found in {EVAL}")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
