"""HTML for the browser app: answers, source cards, briefs and the library, always escaped.

Everything shown comes from documents or from the model, and both are untrusted: a document may contain
``<script>`` or Markdown that would restyle the page, and a model may echo it. Every piece of text passes
through :func:`text` (HTML entities for markup *and* for Markdown punctuation, because the chat renders
Markdown); only the tags written here are markup. Pure functions, no Gradio: testable without a browser.
"""

from __future__ import annotations

from typing import Sequence

from assistant.generation.shown_sources import provenance
from assistant.models import (
    Answer,
    AnswerSentence,
    Brief,
    Document,
    DocumentInfo,
    Hit,
    SentenceRendering,
    Source,
    Story,
    Timeline,
)
from assistant.text.language import LANGUAGE_NAMES

#: HTML specials, and the Markdown punctuation that would otherwise turn document text into emphasis,
#: links, code or tables, as numeric character references (one pass, so nothing is escaped twice).
_ENTITIES = {c: f"&#{ord(c)};" for c in "&<>\"'\\`*_[]{}()#+-!|~$"}


def text(value: str | None) -> str:
    """Untrusted text as inert HTML (and inert Markdown): ``<script>`` is shown, never run."""
    return "".join(_ENTITIES.get(c, c) for c in " ".join((value or "").split()))


def language(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def card_id(turn: int, n: int, prefix: str = "src") -> str:
    """The anchor of source ``n`` of the ``turn``-th answer (answers keep their own numbering); briefs use
    their own prefix, so that no two tabs share an id."""
    return f"{prefix}-{turn}-{n}"


def citation_links(turn: int, citations: Sequence[int], prefix: str = "src") -> str:
    return "".join(
        f'<a class="cite" href="#{card_id(turn, n, prefix)}" title="source {n}">[{n}]</a>' for n in citations
    )


# --- chat -----------------------------------------------------------------------------------------------


def context_before(context: str | None) -> str:
    """The sentence before a shown source sentence that opens with a pronoun, set in a lighter tone."""
    if not context:
        return ""
    return f"<span class='context' title='the sentence before, where its pronoun is named'>{text(context)}</span> "


def answer_html(answer: Answer, turn: int) -> str:
    """The checked answer as it appears in the chat.

    Verified sentences read as prose with their citation links; quotes are set apart and labelled with
    their language; sentences that failed verification are never shown as fact — only struck through
    inside a collapsed "not shown" section, with the reason.
    """
    if not answer.answerable:
        notes = "".join(f"<br><small class='note'>{text(n)}</small>" for n in answer.notes)
        return f"<span class='refusal'>{text(answer.answer)}</span>{notes}"
    parts: list[str] = []
    quotes = [s for s in answer.sentences if s.supported and s.kind == "quote"]
    translations = [s for s in answer.sentences if s.supported and s.kind == "translation"]
    verified = [s for s in answer.sentences if s.supported and s.kind == "generated"]
    if verified:
        parts.append(
            "<p class='verified'>"
            + " ".join(f"{text(s.text)} {citation_links(turn, s.citations)}" for s in verified)
            + "</p>"
        )
    if (translations or quotes) and not verified:
        parts.append("<p class='quote-label'><small>No written sentence could be verified; the sources say:</small></p>")
    for s in translations:
        parts.append(
            f"<blockquote class='translation'>{context_before(s.context)}{text(s.text)} {citation_links(turn, s.citations)}"
            f"<br><small>{text(provenance('translation', s.original_lang, answer.answer_lang))}: "
            f"<span lang='{text(s.original_lang or '')}'>“{context_before(s.context_original)}{text(s.original or '')}”</span>"
            "</small></blockquote>"
        )
    for s in quotes:
        label = provenance("quote", s.lang, answer.answer_lang) or "quote"
        parts.append(
            f"<blockquote class='quote'><small>{text(label)}:</small> "
            f"<span lang='{text(s.lang or '')}'>“{context_before(s.context)}{text(s.text)}”</span> "
            f"{citation_links(turn, s.citations)}</blockquote>"
        )
    rejected = [s for s in answer.sentences if not s.supported]
    if rejected:
        items = "".join(
            f"<li><del>{text(s.text)}</del> <small>({text(s.reason or 'not supported')})</small></li>" for s in rejected
        )
        parts.append(
            f"<details class='unsupported'><summary>{len(rejected)} sentence(s) not shown as fact: "
            f"failed verification</summary><ul>{items}</ul></details>"
        )
    for d in answer.disagreements:
        cites = [int(r.strip("[]")) for r in d.refs if r.strip("[]").isdigit()]
        parts.append(
            f"<div class='disagreement'>⚠ The sources differ: {citation_links(turn, cites[:1])} gives "
            f"{text(', '.join(d.values[0]))}, {citation_links(turn, cites[1:])} gives {text(', '.join(d.values[1]))} "
            f"for what reads as the same thing; check which is right.</div>"
        )
    shown = {d.note for d in answer.disagreements}
    for note in answer.notes:
        if note not in shown:
            parts.append(f"<small class='note'>{text(note)}</small>")
    return "\n".join(p for p in parts if p)


def draft_html(draft: str, status: str, checked: Sequence[AnswerSentence] = ()) -> str:
    """The answer while it streams: the sentences verified so far, as the answer; then the model's draft,
    marked as not yet checked."""
    verified = " ".join(f"{text(s.text)} <sup>[{', '.join(str(n) for n in s.citations)}]</sup>" for s in checked)
    head = f"<p class='verified'>{verified}</p>" if verified else ""
    body = text(draft) if draft else "…"
    return f"<small class='status'>{text(status)}</small>{head}<details class='draft'><summary>draft</summary>{body}</details>" if checked else f"<small class='status'>{text(status)}</small><p class='draft'>{body}</p>"


def passage_html(source: Source) -> str:
    """The passage with the supporting sentence highlighted (offsets are into the document text)."""
    passage = source.passage or source.quote
    start = source.start - source.passage_start if source.passage else 0
    end = start + (source.end - source.start)
    if not source.passage or not (0 <= start <= end <= len(passage)):
        return f"<mark>{text(source.quote)}</mark>"
    return f"{text(passage[:start])} <mark>{text(passage[start:end])}</mark> {text(passage[end:])}"


def source_card(source: Source, turn: int) -> str:
    meta = [text(source.source), text(language(source.lang))]
    if source.date:
        meta.append(text(source.date))
    also = (
        f"<div class='also-in'>also in: {text(', '.join(source.also_in))}</div>" if source.also_in else ""
    ) + (
        f"<div class='also-published'>also published by: {text(', '.join(source.also_published_by))}</div>"
        if source.also_published_by else ""
    )
    warning = (
        "<div class='injection'>⚠ this document contains text addressed to AI assistants; it was not used</div>"
        if source.instructions_withheld else ""
    )
    # the sentence before a pronoun, in the reader's language, when the verifier read it so ("It was
    # restored …" names the exchange only there); in the source's language it is already in the passage
    context = context_before(
        source.context if source.translation and source.context_lang == source.translation_lang else None
    )
    translation = (
        f"<div class='translation'><small>{text(language(source.translation_lang or ''))} (verified translation):</small> "
        f"{context}{text(source.translation)}</div>" if source.translation else ""
    )
    return (
        f"<div class='source-card' id='{card_id(turn, source.n)}'>"
        f"<div class='card-head'><span class='n'>[{source.n}]</span> <b>{text(source.title)}</b></div>"
        f"<div class='meta'>{' · '.join(meta)}</div>{also}{warning}"
        f"<blockquote class='passage' lang='{text(source.lang)}'>{passage_html(source)}</blockquote>{translation}"
        f"</div>"
    )


def sources_panel(turns: Sequence[tuple[str, Answer]]) -> str:
    """Source cards of every answer in the conversation, newest first."""
    if not turns:
        return "<p class='empty'>Sources of the answers appear here.</p>"
    blocks = []
    for turn in range(len(turns) - 1, -1, -1):
        question, answer = turns[turn]
        cards = "".join(source_card(s, turn) for s in answer.sources) or "<p class='empty'>No sources: not answered.</p>"
        blocks.append(f"<section class='turn-sources'><h4>Q{turn + 1}: {text(question)}</h4>{cards}</section>")
    return "".join(blocks)


def chat_messages(turns: Sequence[tuple[str, Answer]]) -> list[dict]:
    """The conversation in the chat component's message format."""
    messages: list[dict] = []
    for turn, (question, answer) in enumerate(turns):
        messages.append({"role": "user", "content": text(question)})
        messages.append({"role": "assistant", "content": answer_html(answer, turn)})
    return messages


# --- briefs ---------------------------------------------------------------------------------------------


def brief_html(brief: Brief) -> str:
    """The brief side by side: one row per point, a column per language, then the original quote."""
    heads = "".join(f"<th>{text(language(lang))}</th>" for lang in brief.langs)
    rows = []
    for p in brief.points:
        cells = []
        for lang in brief.langs:
            kind = p.kinds.get(lang, "generated")
            label = {"original": "original", "translation": "translated", "quote": "original: no verified translation"}.get(kind)
            badge = f"<br><small class='kind'>{text(label)}</small>" if label else ""
            body = f"“{text(p.texts[lang])}”" if kind == "quote" else text(p.texts[lang])
            if lang in p.translations:  # condensed: the full checked translation it was shortened from
                badge += f"<details class='translation'><summary>full translation</summary><small>{text(p.translations[lang])}</small></details>"
            why = p.rejected.get(lang)
            if why:
                badge += f"<details class='unsupported'><summary>not shown</summary><small>{text(why)}</small></details>"
            cells.append(f"<td class='{kind}' lang='{text(lang)}'>{body} {citation_links(0, p.citations, 'brief')}{badge}</td>")
        stood_in = (
            f"<details class='stand-in'><summary>in place of</summary><small>{text(p.stands_in_for)}</small></details>"
            if p.stands_in_for else ""
        )
        cells.append(f"<td class='original-quote'>{text(p.quote)}{stood_in}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    docs = ", ".join(f"{text(d.source)} ({text(d.lang)})" for d in brief.documents)
    sources = "".join(
        f"<li id='{card_id(0, s.n, 'brief')}'>[{s.n}] {text(s.title)} — {text(s.source)} ({text(s.lang)}"
        f"{', ' + text(s.date) if s.date else ''}), characters {s.start}–{s.end}</li>"
        for s in brief.sources
    )
    notes = "".join(f"<li>{text(n)}</li>" for n in brief.notes)
    title = f"Brief: {text(brief.topic)}" if brief.topic else "Brief"
    return (
        f"<div class='brief'><h3>{title}</h3><p class='meta'>Documents: {docs}</p>"
        f"<table class='brief-table'><thead><tr>{heads}<th>Original</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<h4>Sources</h4><ol class='brief-sources'>{sources}</ol>"
        + (f"<h4>Notes</h4><ul>{notes}</ul>" if notes else "")
        + f"<p class='meta'><small>{text(brief.model)} · {brief.timings.get('total_ms', 0) / 1000:.1f} s</small></p></div>"
    )


def search_html(query: str, hits: Sequence[Hit]) -> str:
    """Search results: each passage with its best-matching sentence highlighted, and where it comes from."""
    if not hits:
        return f"<p class='meta'>Nothing found for “{text(query)}” with these filters.</p>"
    items = []
    for i, h in enumerate(hits, start=1):
        passage = h.text
        if h.sentence_start is not None and h.sentence_end is not None and h.start <= h.sentence_start < h.sentence_end <= h.end:
            a, b = h.sentence_start - h.start, h.sentence_end - h.start
            body = f"{text(passage[:a])} <mark>{text(passage[a:b])}</mark> {text(passage[b:])}"
        else:
            body = text(passage)
        meta = [text(h.source), text(language(h.lang)), text(h.date or "undated"), f"score {h.score:.3f}"]
        also = f" · also in {text(', '.join(language(x) for x in h.also_in))}" if h.also_in else ""
        also += f" · also published by {text(', '.join(h.also_published_by))}" if h.also_published_by else ""
        items.append(
            f"<div class='source-card search-hit' id='hit-{i}'><div class='card-head'><span class='n'>{i}.</span> "
            f"<b>{text(h.title)}</b></div><div class='meta'>{' · '.join(meta)}{also}</div>"
            f"<blockquote class='passage' lang='{text(h.lang)}'>{body}</blockquote></div>"
        )
    return f"<p class='meta'>{len(hits)} passages for “{text(query)}”</p>" + "".join(items)


def document_html(doc: Document, sentences: Sequence[SentenceRendering] | None = None) -> str:
    """A whole stored document for reading; with ``sentences``, each beside its verified translation."""
    meta = [text(doc.source), text(language(doc.lang)), text(doc.date or "undated")]
    meta += [text(x) for x in (doc.site, doc.author) if x]
    head = f"<div class='document'><h3>{text(doc.title)}</h3><p class='meta'>{' · '.join(meta)}</p>"
    if doc.url:
        head += f"<p class='meta'><a href='{text(doc.url)}' rel='noopener noreferrer' target='_blank'>{text(doc.url)}</a></p>"
    if doc.also_published_at:
        head += f"<p class='meta'>also published at: {text(', '.join(doc.also_published_at))}</p>"
    if sentences is None:
        body = "".join(f"<p lang='{text(doc.lang)}'>{text(p)}</p>" for p in doc.text.split("\n") if p.strip())
        return head + body + "</div>"
    rows = []
    for s in sentences:
        if s.kind == "original":
            rows.append(f"<tr><td colspan='2' lang='{text(doc.lang)}'>{text(s.original)}</td></tr>")
        elif s.kind == "translation":
            rows.append(f"<tr><td lang='{text(s.lang)}'>{text(s.text)}</td><td class='original-quote' lang='{text(doc.lang)}'>{text(s.original)}</td></tr>")
        else:
            rows.append(
                f"<tr><td class='quote'><small class='kind'>not translated ({text(s.note)})</small></td>"
                f"<td class='original-quote' lang='{text(doc.lang)}'>{text(s.original)}</td></tr>"
            )
    return head + f"<table class='brief-table'><tbody>{''.join(rows)}</tbody></table></div>"


def timeline_html(timeline: Timeline) -> str:
    """The timeline as a table: date, language, source and title, and the key sentence in the reader's
    language (a translation with its original beside it; an untranslated original labelled)."""
    rows = []
    for e in timeline.entries:
        if e.kind == "translation":
            label = provenance("translation", e.original_lang, timeline.lang)
            sentence = f"{text(e.sentence)}<br><small class='kind'>{text(label)}: {text(e.original)}</small>"
        elif e.kind == "quote":
            sentence = f"“{text(e.sentence)}”<br><small class='kind'>{text(provenance('quote', e.original_lang, timeline.lang))}</small>"
        else:
            sentence = text(e.sentence or "")
        where = f"<a href='{text(e.url)}' rel='noopener noreferrer' target='_blank'>{text(e.source)}</a>" if e.url else text(e.source)
        rows.append(
            f"<tr><td>{text(e.date or 'undated')}</td><td>{text(language(e.lang))}</td><td>{text(e.title)}<br>"
            f"<small>{where}</small></td><td class='{e.kind}'>{sentence}</td></tr>"
        )
    scope = f"story {text(timeline.story)}" if timeline.story else f"topic “{text(timeline.topic)}”" if timeline.topic else "the library"
    sources = {e.doc_id: e.source for e in timeline.entries}
    warnings = "".join(
        f"<div class='disagreement'>⚠ {text(sources.get(d.refs[0], d.refs[0]))} gives {text(', '.join(d.values[0]))}, "
        f"{text(sources.get(d.refs[1], d.refs[1]))} gives {text(', '.join(d.values[1]))} for what reads as the same thing: "
        f"“{text(d.texts[0])}” / “{text(d.texts[1])}”</div>"
        for d in timeline.disagreements
    )
    return warnings + (
        f"<div class='timeline'><h3>Timeline of {scope}</h3><p class='meta'>{len(timeline.entries)} documents, key sentences in "
        f"{text(language(timeline.lang))}; undated documents last.</p><table class='brief-table'><thead><tr><th>date</th>"
        f"<th>language</th><th>document</th><th>key sentence</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


# --- library --------------------------------------------------------------------------------------------

LIBRARY_HEADERS = ["title", "source", "language", "date", "chunks", "story", "doc_id"]
STORY_HEADERS = ["story", "languages", "sources", "title"]


def library_rows(docs: Sequence[DocumentInfo]) -> list[list]:
    """Rows of the document table (the table component escapes cell text itself)."""
    return [[d.title, d.source, d.lang, d.date or "", d.n_chunks, d.story_id or "", d.doc_id] for d in docs]


FEED_HEADERS = ["feed", "title", "entries", "last refresh", "last error"]


def feed_rows(subs: Sequence) -> list[list]:
    """Rows of the subscriptions table (:class:`~assistant.ingest.subscriptions.Subscription`)."""
    return [[s.url, s.title or "", s.entries, s.last_refresh or "never", s.last_error or ""] for s in subs]


def story_rows(stories: Sequence[Story]) -> list[list]:
    return [[s.story_id, ", ".join(s.langs), ", ".join(s.sources), s.title] for s in stories if len(s.doc_ids) > 1]


def document_label(doc: DocumentInfo) -> str:
    """How a document is named in pickers: readable, and ending in its doc id so it maps back exactly."""
    title = doc.title if len(doc.title) <= 60 else doc.title[:57] + "…"
    return f"{title} — {doc.source} ({doc.lang}) · {doc.doc_id}"


def doc_id_from_label(label: str) -> str:
    return label.rsplit(" · ", 1)[-1].strip()
