"""What every command shares: the consoles, JSON output, the assistant they drive, the search filters.

Commands reach the assistant through :func:`open_assistant`, looked up on this module when they run, so a
test can hand the command line an assistant over a scripted model (``monkeypatch.setattr(common,
"open_assistant", …)``) and exercise the real commands.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.config import Settings
from assistant.models import SearchFilters


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def open_assistant(settings: Settings):
    from assistant.service import NewsAssistant

    return NewsAssistant(settings)


def filters_from(args: argparse.Namespace) -> SearchFilters:
    return SearchFilters(
        langs=args.lang or [],
        sources=args.source or [],
        doc_ids=args.doc or [],
        date_from=args.date_from,
        date_to=args.date_to,
        story=args.story,
    )


def add_filter_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", action="append", help="only passages in this language (repeatable)")
    p.add_argument("--source", action="append", help="only this source file (repeatable)")
    p.add_argument("--doc", action="append", help="only this doc id (repeatable)")
    p.add_argument("--story", help="only the documents of this story (`assistant stories` lists them)")
    p.add_argument("--from", dest="date_from", help="only documents dated on or after (YYYY[-MM[-DD]])")
    p.add_argument("--to", dest="date_to", help="only documents dated on or before (YYYY[-MM[-DD]])")
