"""Watching folders: new and changed files are ingested as they appear; the only module importing watchfiles.

Each file keeps the source it would get from ``assistant ingest FOLDER``: its path relative to the watched
folder, so a file that changes replaces its earlier version. Files that disappear stay in the library (a
reporter's archive outlives the download folder); ``assistant remove`` takes them out. Editors and
downloads write a file in several steps: watchfiles groups the events of ``debounce_ms`` into one batch.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Sequence

from assistant.errors import InputError
from assistant.ingest.loaders import SUPPORTED_EXTENSIONS
from assistant.ingest.pipeline import Ingestor, expand_paths
from assistant.models import IngestReport


def _source_of(path: Path, roots: Sequence[Path]) -> tuple[Path, str] | None:
    """The (file, source) pair of a changed path, or None when it is not a file to ingest."""
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS or not path.is_file():
        return None
    for root in roots:
        try:
            rel = path.resolve().relative_to(root)
        except ValueError:
            continue
        if any(part.startswith(".") for part in rel.parts):
            return None
        return path, rel.as_posix()
    return None


def watch_folders(
    ingestor: Ingestor,
    folders: Sequence[str | Path],
    on_report: Callable[[IngestReport], None],
    stop: threading.Event | None = None,
    debounce_ms: int = 1600,
) -> None:
    """Ingest the folders now, then every new or changed file until ``stop`` is set (or Ctrl-C)."""
    from watchfiles import Change, watch

    roots = [Path(f).resolve() for f in folders]
    for root in roots:
        if not root.is_dir():
            raise InputError(f"{root}: not a folder", hint="`assistant watch` takes folders; `assistant ingest` takes files")
    files, _ = expand_paths(roots)
    on_report(ingestor.ingest_files(files))
    for changes in watch(*roots, debounce=debounce_ms, stop_event=stop, rust_timeout=500, yield_on_timeout=False):
        batch: dict[Path, str] = {}
        for change, raw in changes:
            if change == Change.deleted:
                continue
            found = _source_of(Path(raw), roots)
            if found:
                batch[found[0]] = found[1]
        if batch:
            on_report(ingestor.ingest_files(sorted(batch.items())))
