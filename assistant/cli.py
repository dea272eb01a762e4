"""The ``assistant`` command line. A thin adapter: every command calls :class:`NewsAssistant`.

Errors of the assistant's own hierarchy print one line (and a hint) to stderr and exit with their code;
nothing prints a stack trace for a user mistake.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from pydantic import ValidationError

from assistant.config import Settings
from assistant.errors import AssistantError, ConfigError, InputError
from assistant.models import SearchFilters, summarize_results

DEFAULT_INGEST_PATH = "seeds"


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _assistant(settings: Settings):
    from assistant.service import NewsAssistant

    return NewsAssistant(settings)


# --- commands -------------------------------------------------------------------------------------------


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    assistant = _assistant(settings)
    paths = args.paths or [DEFAULT_INGEST_PATH]
    if args.if_empty and assistant.documents():
        _console().print(f"store already holds {len(assistant.documents())} documents; nothing to do")
        return 0
    err = _console(stderr=True)
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
        _print_json(report.model_dump())
    else:
        out = _console()
        for r in report.failed:
            out.print(f"[red]failed[/red]  {r.error}", markup=True)
        out.print(report.summary() + f" ({report.tokens} tokens in {report.seconds:.1f} s)")
    return InputError.exit_code if report.failed else 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    assistant = _assistant(settings)
    if args.translate:
        doc, sentences = assistant.read_translated(args.ref, args.translate)
    else:
        doc, sentences = assistant.document(args.ref), None
    if args.json:
        data = doc.model_dump()
        if sentences is not None:
            data["sentences"] = [s.model_dump() for s in sentences]
        _print_json(data)
        return 0
    out = _console()
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
    assistant = _assistant(settings)
    out = _console()
    if args.action == "list":
        subs = assistant.feeds.book.list()
        if args.json:
            _print_json([s.public() for s in subs])
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
        _print_json([r.model_dump() for r in reports])
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

    assistant = _assistant(settings)
    out = _console()

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
    docs = _assistant(settings).documents()
    if args.json:
        _print_json([d.model_dump() for d in docs])
        return 0
    from rich.table import Table

    table = Table(title=f"{len(docs)} documents in {settings.chroma_url or settings.store_dir}")
    for column in ("doc_id", "source", "lang", "date", "chunks", "chars", "story", "title"):
        table.add_column(column, overflow="fold")
    for d in docs:
        table.add_row(d.doc_id, d.source, d.lang, d.date or "", str(d.n_chunks), str(d.chars), d.story_id or "", d.title[:60])
    _console().print(table)
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    removed = _assistant(settings).remove(args.ref)
    for d in removed:
        _console().print(f"removed {d.doc_id} ({d.source})")
    return 0


def _filters(args: argparse.Namespace) -> SearchFilters:
    return SearchFilters(
        langs=args.lang or [],
        sources=args.source or [],
        doc_ids=args.doc or [],
        date_from=args.date_from,
        date_to=args.date_to,
        story=args.story,
    )


def _add_filter_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", action="append", help="only passages in this language (repeatable)")
    p.add_argument("--source", action="append", help="only this source file (repeatable)")
    p.add_argument("--doc", action="append", help="only this doc id (repeatable)")
    p.add_argument("--story", help="only the documents of this story (`assistant stories` lists them)")
    p.add_argument("--from", dest="date_from", help="only documents dated on or after (YYYY[-MM[-DD]])")
    p.add_argument("--to", dest="date_to", help="only documents dated on or before (YYYY[-MM[-DD]])")


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    filters = _filters(args)
    hits = _assistant(settings).search(args.query, k=args.k, filters=filters)
    if args.json:
        _print_json([h.model_dump() for h in hits])
        return 0
    out = _console()
    if not hits:
        out.print("no matching passages")
    for rank, h in enumerate(hits, start=1):
        also = f"  also in: {', '.join(h.also_in)}" if h.also_in else ""
        also += f"  also published by: {', '.join(h.also_published_by)}" if h.also_published_by else ""
        out.print(f"[bold]{rank}. {h.title}[/bold]  ({h.source}, {h.lang}{', ' + h.date if h.date else ''}, score {h.score:.3f}){also}", markup=True)
        snippet = " ".join(h.text.split())
        out.print(f"   {snippet[:300]}{'…' if len(snippet) > 300 else ''}", markup=False)
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    assistant = _assistant(settings)
    if args.json:
        answer = assistant.ask(args.question, answer_lang=args.answer_lang, filters=_filters(args), k=args.k, session=args.session)
        _print_json(answer.public())
        return 0
    from rich.markup import escape

    from assistant.generation.answer import displayed

    out, err = _console(), _console(stderr=True)
    streamed: list[str] = []
    answer_lang = assistant.answers.answer_language(args.question, args.answer_lang)

    def on_sentence(sentence) -> None:
        # What is verified before the model writes (the leading source) is shown at once, as the answer
        # will show it; the model's own sentences are in the draft below, then in the answer.
        if not streamed:
            err.print("[dim]verified:[/dim] " + escape(displayed(sentence, answer_lang)))

    def on_token(piece: str) -> None:
        if not streamed:
            err.print("[dim]draft (checking citations next):[/dim] ", end="")
        streamed.append(piece)
        err.print(piece, end="", markup=False, highlight=False)

    answer = assistant.ask(
        args.question, answer_lang=args.answer_lang, filters=_filters(args), k=args.k, on_token=on_token,
        on_sentence=on_sentence, session=args.session,
    )
    if streamed:
        err.print()
    print_answer(answer, out)
    return 0


def cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    store = _assistant(settings).conversations
    out = _console()
    if args.action in ("show", "delete") and not args.ref:
        raise InputError(f"history {args.action}: which conversation? give its id or name", hint="`assistant history` lists them")
    if args.action == "delete":
        gone = store.delete(args.ref)
        out.print(f"deleted conversation {gone.id} ({gone.name}, {gone.turns} turns)", markup=False)
        return 0
    if args.action == "show":
        conversation, turns = store.turns(args.ref)
        if args.json:
            _print_json({**conversation.model_dump(), "turns": [{"n": t.n, "asked": t.asked, "answer": t.answer.public()} for t in turns]})
            return 0
        out.print(f"[bold]{conversation.name}[/bold] ({conversation.id}), {conversation.turns} turns", markup=True)
        for turn in turns:
            out.print(f"\n[bold]{turn.n}. {turn.answer.question}[/bold]  [dim]{turn.asked}[/dim]", markup=True)
            print_answer(turn.answer, out)
        return 0
    conversations = store.list()
    if args.json:
        _print_json([c.model_dump() for c in conversations])
        return 0
    if not conversations:
        out.print("no saved conversations (`assistant ask QUESTION --session NAME` starts one)")
    for c in conversations:
        out.print(f"{c.id}  {c.name}  {c.turns} turns  started {c.started}  updated {c.updated}", markup=False)
    return 0


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.ui.users import add_user, read_users, remove_user

    path = settings.ui_users
    if path is None:
        raise ConfigError("ASSISTANT_UI_USERS is not set", hint="point it at a file, e.g. ASSISTANT_UI_USERS=~/.news-assistant/users")
    out = _console()
    if args.action == "list":
        for name in sorted(read_users(path)):
            out.print(name, markup=False)
        return 0
    if not args.name:
        raise InputError(f"users {args.action}: which user? give a name")
    if args.action == "remove":
        remove_user(path, args.name)
        out.print(f"removed {args.name}", markup=False)
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        import getpass

        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise InputError("the two passwords differ")
    new = add_user(path, args.name, password)
    out.print(f"{'added' if new else 'changed the password of'} {args.name} in {path}", markup=False)
    return 0


def cmd_timeline(args: argparse.Namespace, settings: Settings) -> int:
    if args.story and args.topic:
        raise InputError("give --story or --topic, not both")
    timeline = _assistant(settings).timeline(story=args.story, topic=args.topic, lang=args.lang)
    if args.json:
        _print_json(timeline.model_dump())
        return 0
    from assistant.text.language import LANGUAGE_NAMES

    out = _console()
    scope = f"story {timeline.story}" if timeline.story else f"topic “{timeline.topic}”" if timeline.topic else "the library"
    out.print(f"[bold]Timeline of {scope}[/bold] ({len(timeline.entries)} documents, in {LANGUAGE_NAMES.get(timeline.lang, timeline.lang)})", markup=True)
    for e in timeline.entries:
        out.print(f"\n[bold]{e.date or 'undated'}[/bold]  {e.title}  [dim]{e.source} ({e.lang})[/dim]", markup=True)
        if e.sentence is None:
            continue
        if e.kind == "translation":
            out.print(f"  {e.sentence}  [dim](translated from {LANGUAGE_NAMES.get(e.original_lang or '', e.original_lang)}: {e.original})[/dim]", markup=True)
        elif e.kind == "quote":
            out.print(f"  “{e.sentence}”  [dim](in {LANGUAGE_NAMES.get(e.original_lang or '', e.original_lang)}, not translated)[/dim]", markup=True)
        else:
            out.print(f"  {e.sentence}", markup=False)
    for d in timeline.disagreements:
        out.print(f"\n[yellow]⚠[/yellow] {d.note}", markup=True)
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    text = _assistant(settings).export_conversation(args.ref, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        _console(stderr=True).print(f"wrote {args.output}", markup=False)
    else:
        sys.stdout.write(text)
    return 0


def print_answer(answer, out) -> None:
    """The checked answer: supported sentences, quotes labelled, failures listed, then the sources."""
    from rich.markup import escape

    from assistant.grounding.citations import format_cited
    from assistant.text.language import LANGUAGE_NAMES

    if not answer.answerable:
        out.print(answer.answer)
        for note in answer.notes:
            out.print(f"[dim]({escape(note)})[/dim]")
        return
    out.print("[bold]Answer[/bold]")
    for s in answer.sentences:
        if s.supported and s.context:  # the sentence before, where the pronoun it opens with is named
            out.print(f"  [dim]{escape(s.context)}[/dim]")
        if s.kind == "quote" and s.lang == answer.answer_lang:
            out.print(f"  [italic]quote:[/italic] “{escape(s.text)}” [{s.citations[0]}]")
        elif s.kind == "quote":
            out.print(f"  [italic]original in {escape(LANGUAGE_NAMES.get(s.lang or '', s.lang or '?'))}, no verified "
                      f"translation:[/italic] “{escape(s.text)}” [{s.citations[0]}]")
        elif s.kind == "translation":
            out.print(f"  {escape(format_cited(s.text, s.citations))}")
            original = f"{s.context_original} {s.original}" if s.context else s.original
            out.print(f"    [dim]translated from {escape(LANGUAGE_NAMES.get(s.original_lang or '', s.original_lang or '?'))}: "
                      f"“{escape(original or '')}”[/dim]")
        elif s.supported:
            out.print(f"  {escape(format_cited(s.text, s.citations))}")
    rejected = [s for s in answer.sentences if not s.supported]
    if rejected:
        out.print("[dim]Not shown as fact (failed verification):[/dim]")
        for s in rejected:
            out.print(f"  [dim strike]{escape(s.text)}[/dim strike] [dim]— {escape(s.reason or '')}[/dim]")
    for note in answer.notes:
        out.print(f"[dim]({escape(note)})[/dim]")
    out.print("[bold]Sources[/bold]")
    for src in answer.sources:
        also = f"; also in: {', '.join(src.also_in)}" if src.also_in else ""
        also += f"; also published by: {', '.join(src.also_published_by)}" if src.also_published_by else ""
        out.print(f"  [{src.n}] {escape(src.title)} ({escape(src.source)}, {src.lang}{', ' + src.date if src.date else ''}{also})")
        out.print(f"      “{escape(' '.join(src.quote.split()))}”")
        if src.translation:
            out.print(f"      [dim]{escape(src.translation_lang or '')}: {escape(src.translation)}[/dim]")
        if src.context:  # where its pronoun is named, as the verifier read it
            out.print(f"      [dim](the sentence before, {escape(src.context_lang or '')}: “{escape(src.context)}”)[/dim]")
    t = answer.timings
    ttft = f"first answer sentence {t.first_answer_ms:.0f} ms, " if t.first_answer_ms is not None else ""
    out.print(f"[dim]{escape(answer.model)} · retrieve {t.retrieve_ms:.0f} ms, {ttft}total {t.total_ms:.0f} ms[/dim]")


def cmd_summarize(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.generation.brief import brief_markdown

    assistant = _assistant(settings)
    err = _console(stderr=True)

    def on_progress(done: int, total: int) -> None:
        if not args.json and not args.markdown:
            err.print(f"[dim]writing points {done}/{total}[/dim]", end="\r")

    brief = assistant.brief(args.refs, story=args.story, topic=args.topic, langs=args.lang or [], on_progress=on_progress)
    if args.json:
        _print_json(brief.model_dump())
    else:
        sys.stdout.write(brief_markdown(brief))
    return 0


def cmd_stories(args: argparse.Namespace, settings: Settings) -> int:
    stories = _assistant(settings).stories()
    if args.json:
        _print_json([s.model_dump() for s in stories])
        return 0
    out = _console()
    for s in stories:
        out.print(f"[bold]{s.story_id}[/bold]  {', '.join(s.langs)}  {s.title[:60]}", markup=True)
        for source in s.sources:
            out.print(f"   {source}")
    return 0


def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    report = _assistant(settings).reindex()
    _console().print(f"reindexed {report.count('added')} documents with embedder {settings.embedder}")
    return 0


def cmd_translate(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.generation.answer import language_name

    assistant = _assistant(settings)
    lang = args.lang or assistant.pretranslation_lang
    language_name(lang)
    err = _console(stderr=True)
    pruned = assistant.prune_translations()
    if pruned:
        err.print(f"removed {pruned} cached translation(s) no answer can use any more (made under changed instructions)")
    untranslated = assistant.untranslated(lang, args.refs)
    refused_before = assistant.refused(lang, args.refs) if args.retry_refused else []
    todo, refused = len(untranslated), len(refused_before)
    if not todo and not refused:
        _console().print(
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
    _console().print(f"translated {done} sentence(s) into {lang}; {assistant.store.count_translations()} cached in all")
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.evaluation.retrieval import evaluate_retrieval_file

    if args.mode == "qa":
        return _eval_qa(args, settings)
    if args.mode == "brief":
        return _eval_brief(args, settings)
    if args.mode == "faithfulness":
        return _eval_faithfulness(args, settings)
    report = evaluate_retrieval_file(args.dataset, settings, mode=args.retriever, limit=args.limit, split=args.split)
    if args.json:
        _print_json(report.as_json())
    else:
        _console().print(
            f"{report.dataset} ({report.mode}, n={report.n}): recall@1 {report.recall_at_1:.3f}  "
            f"recall@5 {report.recall_at_5:.3f}  MRR {report.mrr:.3f}  "
            f"latency p50 {report.latency_ms_p50:.1f} ms  p95 {report.latency_ms_p95:.1f} ms"
        )
    return 0


def _eval_qa(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.evaluation.qa import evaluate_qa_file

    report = evaluate_qa_file(args.dataset, settings, limit=args.limit, split=args.split, store_dir=args.store_dir)
    if args.json:
        _print_json(report.as_json())
        return 0
    out = _console()

    def pct(value) -> str:
        return "n/a" if value is None else f"{value:.0%}"

    out.print(f"{report.dataset} · {report.model} · n={report.n}", markup=False)
    out.print(
        f"  correct in the answer language {report.correct}/{report.answerable} ({pct(report.answer_accuracy)})  "
        f"found in any language {report.found_any_language}/{report.answerable}  "
        f"source hit {report.source_hits}/{report.answerable}  refusal {pct(report.refusal_accuracy)} of {report.unanswerable}  "
        f"mean answer {report.mean_answer_words} words",
        markup=False,
    )
    out.print(
        f"  citation precision (model) {pct(report.citation_precision)}  displayed citations verified "
        f"{pct(report.displayed_citations_verified)}  quote fallbacks {report.quote_fallbacks}",
        markup=False,
    )
    if report.evidence_hit_at_3 is not None:
        out.print(f"  evidence hit@3 {report.evidence_hit_at_3:.3f} (n={report.evidence_n})", markup=False)
    out.print(f"  first token p50 {report.first_token_ms_p50} ms  total p50 {report.total_ms_p50} ms", markup=False)
    return 0


def _eval_faithfulness(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.evaluation.faithfulness import evaluate_faithfulness_file

    report = evaluate_faithfulness_file(
        args.dataset, settings, split=args.split, limit=args.limit, calibrate_thresholds=args.calibrate
    )
    if args.json:
        _print_json(report.model_dump())
        return 0
    _console().print(
        f"{report.dataset} ({report.model}, n={report.n}, thresholds cosine {report.translation_threshold:.2f} / "
        f"judge {report.faithfulness_threshold:.2f} / confidence {report.confidence_threshold}): faithful accepted {report.faithful_accepted}, corrupted "
        f"rejected {report.corrupted_rejected}, precision {report.precision}, recall {report.recall}\n"
        f"  rejected by kind: {report.rejected_by_kind}"
    )
    return 0


def _eval_brief(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.evaluation.briefs import evaluate_brief_file

    report = evaluate_brief_file(args.dataset, settings, limit=args.limit)
    if args.json:
        _print_json(report.model_dump())
        return 0
    out = _console()
    out.print(f"{report.dataset} · {report.model} · n={report.n}", markup=False)
    if report.must_mention is not None:
        out.print(
            f"  must-mention in English text {report.must_mention_found}/{report.must_mention_total} ({report.must_mention:.0%}; "
            f"anywhere in the English column {report.must_mention_any_language:.0%})  "
            f"written points verified {report.written_points_verified}  displayed points verified {report.displayed_points_verified}",
            markup=False,
        )
    if report.rouge_l is not None:
        out.print(f"  ROUGE-L {report.rouge_l:.3f}  keyword recall {report.keyword_recall:.3f}", markup=False)
    out.print(f"  time per brief p50 {report.seconds_per_brief_p50} s", markup=False)
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    updates = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = Settings(**updates) if updates else settings  # the environment, then the flags
    from assistant.backends.memory import limit_malloc_arenas

    limit_malloc_arenas(settings.malloc_arenas)  # before any worker thread exists
    from assistant.backends.fetcher import is_loopback
    from assistant.service import NewsAssistant
    from assistant.ui.app import serve

    err = _console(stderr=True)
    if not is_loopback(settings.host) and not (settings.ui_username or settings.ui_users):
        err.print(
            f"[yellow]warning:[/yellow] serving on {settings.host} without a login: anyone who can reach this "
            "address can read the library (set ASSISTANT_UI_USERNAME and ASSISTANT_UI_PASSWORD)"
        )
    err.print(f"serving the news assistant on http://{settings.host}:{settings.port} (Ctrl+C stops it)")
    serve(NewsAssistant(settings), block=True)
    end_process(0)
    return 0  # reached only where end_process is replaced (tests)


def end_process(code: int) -> None:
    """Run the exit handlers (the model's close, the exports' folder, Chroma's), then end the process
    without the interpreter's finalisation.

    `serve` may be stopped while a background thread is inside llama.cpp (a prompt's evaluation lasts
    seconds and cannot be interrupted); the C++ library's exit-time destructors then free what that
    thread still uses and the process dies of SIGSEGV instead of exiting 0. Everything worth keeping is
    already written (Chroma and the conversations commit each write), so nothing is lost by skipping it."""
    import atexit

    atexit._run_exitfuncs()  # what a normal exit would run first
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    rows = []
    for name, field in Settings.model_fields.items():
        rows.append({"variable": f"ASSISTANT_{name.upper()}", "value": getattr(settings, name), "description": field.description})
    if args.json:
        _print_json([{**r, "value": str(r["value"]) if r["value"] is not None else None} for r in rows])
        return 0
    for r in rows:
        _console().print(f"{r['variable']}={r['value']}\n    {r['description']}", markup=False)
    return 0


# --- parser ---------------------------------------------------------------------------------------------


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
    _add_filter_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="answer a question from the documents, with verified citations")
    p.add_argument("question")
    p.add_argument(
        "--answer-lang", default=None,
        help="language of the answer (ISO 639-1); default: ASSISTANT_ANSWER_LANG, 'auto' = the question's language",
    )
    p.add_argument("-k", type=int, default=None, help="passages to draw evidence from (default ASSISTANT_TOP_K)")
    _add_filter_options(p)
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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "ASSISTANT_" + str(first["loc"][0]).upper() if first.get("loc") else "a setting"
        print(f"error: {name}: {first['msg']}", file=sys.stderr)
        return ConfigError.exit_code
    try:
        return args.func(args, settings)
    except AssistantError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return exc.exit_code
    except ValidationError as exc:
        print(f"error: {exc.errors()[0]['msg']}", file=sys.stderr)
        return InputError.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
