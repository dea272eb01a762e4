"""The ``assistant`` command's arguments: one subcommand per task, each bound to its command function."""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.cli.common import add_filter_options
from assistant.cli.evaluation import cmd_eval
from assistant.cli.library import (
    cmd_docs,
    cmd_feeds,
    cmd_ingest,
    cmd_reindex,
    cmd_remove,
    cmd_show,
    cmd_stories,
    cmd_translate,
    cmd_watch,
)
from assistant.cli.reading import cmd_ask, cmd_export, cmd_history, cmd_search, cmd_summarize, cmd_timeline
from assistant.cli.serving import cmd_config, cmd_serve, cmd_users


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="A private, local news assistant.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="add files, folders, web pages or feeds (default: seeds/) to the store")
    p.add_argument(
        "paths", nargs="*", metavar="PATH|URL",
        help=".txt, .md, .html, .pdf files or folders (recursive); http(s) page URLs; RSS/Atom feeds (URLs or "
        ".xml/.rss/.atom files: each entry's page is ingested)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--if-empty", action="store_true", help="only ingest when the store holds no documents")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("show", help="a stored document's metadata and text")
    p.add_argument("ref", metavar="DOC_ID|SOURCE")
    p.add_argument("--translate", metavar="LANG", help="each sentence with its verified translation into LANG (cached)")
    p.add_argument("--json", action="store_true", help="the fields of `docs --json` plus text (and sentences with --translate)")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("feeds", help="RSS/Atom subscriptions: add, list, remove, refresh")
    p.add_argument("action", choices=["add", "list", "remove", "refresh"])
    p.add_argument("url", nargs="?", help="the feed's URL (refresh: only this one; default all)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_feeds)

    p = sub.add_parser("watch", help="ingest folders now, then new and changed files as they appear")
    p.add_argument("folders", nargs="+", metavar="DIR")
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("docs", help="list the stored documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("remove", help="remove a document by doc id or source file name")
    p.add_argument("ref", metavar="DOC_ID|SOURCE")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("search", help="hybrid search over the stored passages")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=None, help="number of passages (default ASSISTANT_TOP_K)")
    add_filter_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="answer a question from the documents, with verified citations")
    p.add_argument("question")
    p.add_argument(
        "--answer-lang", default=None,
        help="language of the answer (ISO 639-1); default: ASSISTANT_ANSWER_LANG, 'auto' = the question's language",
    )
    p.add_argument("-k", type=int, default=None, help="passages to draw evidence from (default ASSISTANT_TOP_K)")
    add_filter_options(p)
    p.add_argument(
        "--session", metavar="NAME", default=None,
        help="continue the saved conversation with this id or name (a new name starts one); the turn is saved",
    )
    p.add_argument("--json", action="store_true", help="print the answer, sentences and sources as JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("history", help="saved conversations: list, show or delete one")
    p.add_argument("action", nargs="?", default="list", choices=["list", "show", "delete"])
    p.add_argument("ref", nargs="?", metavar="ID|NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("timeline", help="documents in date order, one key sentence each in your language")
    p.add_argument("--story", help="only this story (`assistant stories` lists them)")
    p.add_argument("--topic", help="only documents about this topic")
    p.add_argument("--lang", default=None, help="the reader's language (default: ASSISTANT_ANSWER_LANG, English when auto)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("users", help="logins of the browser app (ASSISTANT_UI_USERS): add, list, remove")
    p.add_argument("action", choices=["add", "list", "remove"])
    p.add_argument("name", nargs="?")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.set_defaults(func=cmd_users)

    p = sub.add_parser("export", help="a saved conversation as Markdown or JSON, every claim with its source")
    p.add_argument("ref", metavar="ID|NAME")
    p.add_argument("--format", choices=["md", "json"], default="md")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("summarize", help="a bilingual brief of documents, a story or a topic, with citations")
    p.add_argument("refs", nargs="*", metavar="SOURCE|DOC_ID", help="documents to brief")
    p.add_argument("--story", help="brief a story (all its language versions)")
    p.add_argument("--topic", help="retrieve passages about this topic, then brief them")
    p.add_argument("--lang", action="append", help="a language of the brief (give at most twice; default: en + the source's)")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="the brief as JSON")
    fmt.add_argument("--markdown", action="store_true", help="the brief as Markdown (the default output)")
    p.set_defaults(func=cmd_summarize)

    p = sub.add_parser("stories", help="documents grouped as the same story in several languages")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stories)

    p = sub.add_parser("reindex", help="re-embed every stored document with the current embedder")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("translate", help="translate stored documents' sentences ahead of questions (cached, checked)")
    p.add_argument("refs", nargs="*", metavar="DOC", help="doc ids or sources (default: every document)")
    p.add_argument("--lang", default=None, help="target language (default: ASSISTANT_ANSWER_LANG, or en when auto)")
    p.add_argument(
        "--retry-refused", action="store_true",
        help="also draft again each sentence whose cached translation the checks refuse (after an upgrade)",
    )
    p.set_defaults(func=cmd_translate)

    p = sub.add_parser("eval", help="evaluate on a QA dataset (JSON Lines)")
    p.add_argument("dataset", metavar="DATASET.jsonl")
    p.add_argument("--mode", default="retrieval", choices=["retrieval", "qa", "brief", "faithfulness"])
    p.add_argument("--retriever", default="hybrid", choices=["hybrid", "dense", "lexical"])
    p.add_argument("--limit", type=int, default=None, help="only the first N questions")
    p.add_argument(
        "--split", choices=["tune", "report"], default=None,
        help="one half of the questions: XQuAD by article (even article_idx = tune, odd = report), others by line",
    )
    p.add_argument(
        "--store-dir", type=Path, default=None,
        help="keep the evaluation store of a file with contexts here (reused: its cached translations serve the next run)",
    )
    p.add_argument("--calibrate", action="store_true", help="faithfulness: choose the thresholds on these pairs")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("serve", help="start the browser app (chat, briefs, library)")
    p.add_argument("--host", help="address to bind (default ASSISTANT_HOST, 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default ASSISTANT_PORT, 7860)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("config", help="show every setting and its value")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_config)
    return parser
