"""Commands that read the library for the user: search, questions with checked citations, saved
conversations, timelines and briefs — and how a checked answer is printed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli import common
from assistant.cli.common import console, filters_from, print_json
from assistant.config import Settings
from assistant.errors import InputError


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    filters = filters_from(args)
    hits = common.open_assistant(settings).search(args.query, k=args.k, filters=filters)
    if args.json:
        print_json([h.model_dump() for h in hits])
        return 0
    out = console()
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
    assistant = common.open_assistant(settings)
    if args.json:
        answer = assistant.ask(args.question, answer_lang=args.answer_lang, filters=filters_from(args), k=args.k, session=args.session)
        print_json(answer.public())
        return 0
    from rich.markup import escape

    from assistant.generation.shown_sources import displayed

    out, err = console(), console(stderr=True)
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
        args.question, answer_lang=args.answer_lang, filters=filters_from(args), k=args.k, on_token=on_token,
        on_sentence=on_sentence, session=args.session,
    )
    if streamed:
        err.print()
    print_answer(answer, out)
    return 0


def print_answer(answer, out) -> None:
    """The checked answer: supported sentences, quotes labelled, failures listed, then the sources."""
    from rich.markup import escape

    from assistant.generation.shown_sources import provenance
    from assistant.grounding.citations import format_cited

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
            label = provenance("quote", s.lang, answer.answer_lang)
            out.print(f"  [italic]{escape(label or '')}:[/italic] “{escape(s.text)}” [{s.citations[0]}]")
        elif s.kind == "translation":
            out.print(f"  {escape(format_cited(s.text, s.citations))}")
            original = f"{s.context_original} {s.original}" if s.context else s.original
            label = provenance("translation", s.original_lang, answer.answer_lang)
            out.print(f"    [dim]{escape(label or '')}: “{escape(original or '')}”[/dim]")
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


def cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    store = common.open_assistant(settings).conversations
    out = console()
    if args.action in ("show", "delete") and not args.ref:
        raise InputError(f"history {args.action}: which conversation? give its id or name", hint="`assistant history` lists them")
    if args.action == "delete":
        gone = store.delete(args.ref)
        out.print(f"deleted conversation {gone.id} ({gone.name}, {gone.turns} turns)", markup=False)
        return 0
    if args.action == "show":
        conversation, turns = store.turns(args.ref)
        if args.json:
            print_json({**conversation.model_dump(), "turns": [{"n": t.n, "asked": t.asked, "answer": t.answer.public()} for t in turns]})
            return 0
        out.print(f"[bold]{conversation.name}[/bold] ({conversation.id}), {conversation.turns} turns", markup=True)
        for turn in turns:
            out.print(f"\n[bold]{turn.n}. {turn.answer.question}[/bold]  [dim]{turn.asked}[/dim]", markup=True)
            print_answer(turn.answer, out)
        return 0
    conversations = store.list()
    if args.json:
        print_json([c.model_dump() for c in conversations])
        return 0
    if not conversations:
        out.print("no saved conversations (`assistant ask QUESTION --session NAME` starts one)")
    for c in conversations:
        out.print(f"{c.id}  {c.name}  {c.turns} turns  started {c.started}  updated {c.updated}", markup=False)
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    text = common.open_assistant(settings).export_conversation(args.ref, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        console(stderr=True).print(f"wrote {args.output}", markup=False)
    else:
        sys.stdout.write(text)
    return 0


def cmd_timeline(args: argparse.Namespace, settings: Settings) -> int:
    if args.story and args.topic:
        raise InputError("give --story or --topic, not both")
    timeline = common.open_assistant(settings).timeline(story=args.story, topic=args.topic, lang=args.lang)
    if args.json:
        print_json(timeline.model_dump())
        return 0
    from rich.markup import escape

    from assistant.generation.shown_sources import provenance
    from assistant.text.language import LANGUAGE_NAMES

    out = console()
    scope = escape(f"story {timeline.story}" if timeline.story else f"topic “{timeline.topic}”" if timeline.topic else "the library")
    out.print(f"[bold]Timeline of {scope}[/bold] ({len(timeline.entries)} documents, in {LANGUAGE_NAMES.get(timeline.lang, timeline.lang)})", markup=True)
    for e in timeline.entries:
        out.print(f"\n[bold]{e.date or 'undated'}[/bold]  {escape(e.title)}  [dim]{escape(e.source)} ({e.lang})[/dim]", markup=True)
        if e.sentence is None:
            continue
        label = provenance(e.kind, e.original_lang, timeline.lang)
        if e.kind == "translation":
            out.print(f"  {escape(e.sentence)}  [dim]({escape(label or '')}: {escape(e.original or '')})[/dim]", markup=True)
        elif e.kind == "quote":
            out.print(f"  “{escape(e.sentence)}”  [dim]({escape(label or '')})[/dim]", markup=True)
        else:
            out.print(f"  {e.sentence}", markup=False)
    for d in timeline.disagreements:
        out.print(f"\n[yellow]⚠[/yellow] {escape(d.note)}", markup=True)
    return 0


def cmd_summarize(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.generation.brief import brief_markdown

    assistant = common.open_assistant(settings)
    err = console(stderr=True)

    def on_progress(done: int, total: int) -> None:
        if not args.json and not args.markdown:
            err.print(f"[dim]writing points {done}/{total}[/dim]", end="\r")

    brief = assistant.brief(args.refs, story=args.story, topic=args.topic, langs=args.lang or [], on_progress=on_progress)
    if args.json:
        print_json(brief.model_dump())
    else:
        sys.stdout.write(brief_markdown(brief))
    return 0
