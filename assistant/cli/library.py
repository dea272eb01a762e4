"""Commands over the library itself: adding (files, pages, feeds, watched folders), listing, reading,
removing and re-embedding documents, and translating them ahead of questions."""

from __future__ import annotations

import argparse

from assistant.cli import common
from assistant.cli.common import console, print_json
from assistant.config import Settings
from assistant.errors import InputError
from assistant.models import summarize_results

DEFAULT_INGEST_PATH = "seeds"


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    assistant = common.open_assistant(settings)
    paths = args.paths or [DEFAULT_INGEST_PATH]
    if args.if_empty and assistant.documents():
        console().print(f"store already holds {len(assistant.documents())} documents; nothing to do")
        return 0
    err = console(stderr=True)
    with Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        TextColumn("{task.fields[files]} files"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[name]}"),
        console=err,
        transient=False,
        disable=args.quiet,
    ) as progress:
        task = progress.add_task("ingest", total=None, name="", files="0")

        def on_progress(done: int, total: int, done_bytes: int, total_bytes: int, name: str) -> None:
            # Bytes drive the bar (and so the ETA): a big file takes longer than a small one.
            progress.update(task, total=max(total_bytes, 1), completed=done_bytes, name=name, files=f"{done}/{total}")

        report = assistant.ingest(paths, progress=on_progress)
    if args.json:
        print_json(report.model_dump())
    else:
        out = console()
        for r in report.failed:
            out.print(f"[red]failed[/red]  {r.error}", markup=True)
        out.print(report.summary() + f" ({report.tokens} tokens in {report.seconds:.1f} s)")
    return InputError.exit_code if report.failed else 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    assistant = common.open_assistant(settings)
    if args.translate:
        doc, sentences = assistant.read_translated(args.ref, args.translate)
    else:
        doc, sentences = assistant.document(args.ref), None
    if args.json:
        data = doc.model_dump()
        if sentences is not None:
            data["sentences"] = [s.model_dump() for s in sentences]
        print_json(data)
        return 0
    out = console()
    out.print(f"[bold]{doc.title}[/bold]", markup=True)
    for label, value in (
        ("doc_id", doc.doc_id), ("source", doc.source), ("url", doc.url), ("site", doc.site), ("author", doc.author),
        ("date", doc.date), ("lang", doc.lang), ("story", doc.story_id),
        ("also published at", ", ".join(doc.also_published_at)), ("ingested", doc.ingested_at),
    ):
        if value:
            out.print(f"{label}: {value}", markup=False)
    out.print("")
    if sentences is None:
        out.print(doc.text, markup=False)
        return 0
    for s in sentences:
        if s.kind == "original":
            out.print(s.original, markup=False)
        elif s.kind == "translation":
            out.print(s.text, markup=False)
            out.print(f"    [dim]{s.original}[/dim]", markup=True, highlight=False)
        else:
            out.print(f"[dim]({doc.lang}, not translated: {s.note})[/dim] ", markup=True, end="")
            out.print(s.original, markup=False)
    return 0


def cmd_feeds(args: argparse.Namespace, settings: Settings) -> int:
    assistant = common.open_assistant(settings)
    out = console()
    if args.action == "list":
        subs = assistant.feeds.book.list()
        if args.json:
            print_json([s.public() for s in subs])
            return 0
        if not subs:
            out.print("no feed subscriptions (`assistant feeds add URL` adds one)")
        for sub in subs:
            state = f"error: {sub.last_error}" if sub.last_error else "ok"
            out.print(f"{sub.url}  {sub.title or ''}  entries {sub.entries}  last refresh {sub.last_refresh or 'never'}  {state}", markup=False)
        return 0
    if args.action == "remove":
        if not args.url:
            raise InputError("which feed? give its URL", hint="`assistant feeds list` shows them")
        removed = assistant.feeds.remove(args.url)
        out.print(f"unsubscribed from {removed.url} (its {removed.entries} ingested entries stay in the library)", markup=False)
        return 0
    if args.action == "add":
        if not args.url:
            raise InputError("which feed? give its URL")
        reports = [assistant.subscribe(args.url)]
    else:
        reports = assistant.refresh_feeds(args.url)
    if args.json:
        print_json([r.model_dump() for r in reports])
    else:
        for r in reports:
            if r.error:
                out.print(f"[red]failed[/red]  {r.url}: {r.error}", markup=True)
            elif r.not_modified:
                out.print(f"{r.url}: not modified", markup=False)
            else:
                out.print(f"{r.url}: {r.new_entries} new entries; " + summarize_results(r.results), markup=False)
                for failed in r.failed:
                    out.print(f"[red]failed[/red]  {failed.error}", markup=True)
    bad = any(r.error or r.failed for r in reports)
    return InputError.exit_code if bad else 0


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.ingest.watching import watch_folders

    assistant = common.open_assistant(settings)
    out = console()

    def on_report(report) -> None:
        assistant.retriever.invalidate()
        for r in report.results:
            if r.status != "unchanged":
                out.print(f"{r.status:<11} {r.error or r.path}", markup=False)
        out.print(report.summary(), markup=False)

    out.print(f"watching {', '.join(args.folders)} (Ctrl+C stops)", markup=False)
    watch_folders(assistant.ingestor, args.folders, on_report)
    return 0


def cmd_docs(args: argparse.Namespace, settings: Settings) -> int:
    docs = common.open_assistant(settings).documents()
    if args.json:
        print_json([d.model_dump() for d in docs])
        return 0
    from rich.table import Table

    table = Table(title=f"{len(docs)} documents in {settings.chroma_url or settings.store_dir}")
    for column in ("doc_id", "source", "lang", "date", "chunks", "chars", "story", "title"):
        table.add_column(column, overflow="fold")
    for d in docs:
        table.add_row(d.doc_id, d.source, d.lang, d.date or "", str(d.n_chunks), str(d.chars), d.story_id or "", d.title[:60])
    console().print(table)
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    removed = common.open_assistant(settings).remove(args.ref)
    for d in removed:
        console().print(f"removed {d.doc_id} ({d.source})")
    return 0


def cmd_stories(args: argparse.Namespace, settings: Settings) -> int:
    stories = common.open_assistant(settings).stories()
    if args.json:
        print_json([s.model_dump() for s in stories])
        return 0
    out = console()
    for s in stories:
        out.print(f"[bold]{s.story_id}[/bold]  {', '.join(s.langs)}  {s.title[:60]}", markup=True)
        for source in s.sources:
            out.print(f"   {source}")
    return 0


def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    report = common.open_assistant(settings).reindex()
    console().print(f"reindexed {report.count('added')} documents with embedder {settings.embedder}")
    return 0


def cmd_translate(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.generation.answer import language_name

    assistant = common.open_assistant(settings)
    lang = args.lang or assistant.pretranslation_lang
    language_name(lang)
    err = console(stderr=True)
    pruned = assistant.prune_translations()
    if pruned:
        err.print(f"removed {pruned} cached translation(s) no answer can use any more (made under changed instructions)")
    untranslated = assistant.untranslated(lang, args.refs)
    refused_before = assistant.refused(lang, args.refs) if args.retry_refused else []
    todo, refused = len(untranslated), len(refused_before)
    if not todo and not refused:
        console().print(
            f"every sentence already has a cached translation into {lang}"
            + ("; none is refused" if args.retry_refused else " (see --retry-refused)")
        )
        return 0
    err.print(
        f"translating {todo} sentence(s) into {lang}"
        + (f" and {refused} refused before" if refused else "")
        + " (each checked; a few seconds each)"
    )

    def on_progress(done: int, total: int) -> None:
        err.print(f"  {done}/{total}", end="\r")

    done = assistant.pretranslate(
        lang, on_progress=on_progress, retry_refused=args.retry_refused, sentences=untranslated + refused_before
    )
    err.print()
    console().print(f"translated {done} sentence(s) into {lang}; {assistant.store.count_translations()} cached in all")
    return 0
