"""What the browser app does, without the browser: plain functions over :class:`NewsAssistant`.

The Gradio module (:mod:`assistant.ui.app`) only wires these to components, so every behaviour here is
tested with the fake model and no browser. The handlers call the same service methods as the CLI.

Streaming: an answer is produced in a worker thread while :meth:`AppHandlers.chat` yields snapshots
(status, draft so far, then the checked answer). When the browser goes away, the generator is closed and
the worker stops at the next token, so an abandoned request does not keep the model busy.
"""

from __future__ import annotations

import logging
import queue
import re
import shutil
import tempfile
import threading
import time
import uuid
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from pydantic import ValidationError

from assistant.backends.conversations import LOCAL_USER
from assistant.backends.fetcher import is_url
from assistant.backends.queueing import waiting_reported_to
from assistant.errors import AssistantError, InputError
from assistant.generation.brief import brief_markdown
from assistant.ingest.loaders import SUPPORTED_EXTENSIONS
from assistant.models import Answer, Brief, IngestReport, SearchFilters, summarize_results
from assistant.service import NewsAssistant
from assistant.text.language import LANGUAGE_NAMES
from assistant.ui import render

log = logging.getLogger(__name__)

#: (question, checked answer) pairs: the conversation of one browser session.
Turns = list[tuple[str, Answer]]
#: ``progress(fraction, description)``: how the UI shows a progress bar.
Progress = Callable[[float, str], None]

UPLOAD_TYPES = SUPPORTED_EXTENSIONS
#: Least seconds between two streamed frames of a draft.
STREAM_INTERVAL = 0.15


class Cancelled(Exception):
    """The browser that asked went away; stop generating."""


def user_error(exc: ValidationError) -> InputError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "input"
    return InputError(f"{where}: {first['msg']}")


@dataclass
class ChatUpdate:
    """One snapshot of the chat while an answer is produced."""

    messages: list[dict]
    sources_html: str
    status: str
    turns: Turns = field(default_factory=list)
    #: The saved conversation these turns belong to ("" until the first answer is saved).
    conversation_id: str = ""


def model_label(assistant: NewsAssistant) -> str:
    """The model in use, without loading it."""
    s = assistant.settings
    return f"{s.llm_model_name} @ {s.llm_url}" if s.llm_url else s.model


class AppHandlers:
    """Chat, briefs and library over one assistant. Shared by every session; per-session state is passed in."""

    def __init__(self, assistant: NewsAssistant, download_dir: Path | None = None) -> None:
        self.assistant = assistant
        self._download_dir = download_dir

    @property
    def download_dir(self) -> Path:
        """Where exported briefs are written: the given folder, or a private one made on first use.

        The private folder is removed when the handlers go away or the process exits (Gradio serves a copy
        from its own cache), so starting the app, or a test that makes handlers, leaves nothing in /tmp.
        """
        if self._download_dir is None:
            self._download_dir = Path(tempfile.mkdtemp(prefix="assistant-briefs-"))
            weakref.finalize(self, shutil.rmtree, self._download_dir, ignore_errors=True)
        return self._download_dir

    # --- chat -------------------------------------------------------------------------------------------

    def filters(self, langs: Sequence[str] | None, date_from: str | None, date_to: str | None) -> SearchFilters:
        try:
            return SearchFilters(langs=list(langs or []), date_from=(date_from or "").strip() or None, date_to=(date_to or "").strip() or None)
        except ValidationError as exc:
            raise user_error(exc) from None

    def chat(
        self,
        message: str,
        turns: Turns | None,
        answer_lang: str = "auto",
        k: int | None = None,
        langs: Sequence[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        conversation_id: str = "",
        user: str = LOCAL_USER,
        scope_doc: str | None = None,
        scope_story: str | None = None,
    ) -> Iterator[ChatUpdate]:
        """Answer ``message`` in the conversation ``turns``, yielding snapshots until the checked answer, which
        is saved as a turn of the conversation ``conversation_id`` (a new one, named after the first
        question, when it is "")."""
        turns = list(turns or [])
        question = " ".join((message or "").split())
        if not question:
            raise InputError("type a question first")
        filters = self.filters(langs, date_from, date_to).model_copy(update={
            "doc_ids": [render.doc_id_from_label(scope_doc)] if scope_doc else [],
            "story": (scope_story or "").strip() or None,
        })
        events: queue.Queue = queue.Queue()
        cancel = threading.Event()
        history = [(q, a.answer) for q, a in turns]

        def on_token(piece: str) -> None:
            if cancel.is_set():
                raise Cancelled()
            events.put(("token", piece))

        def on_sentence(sentence) -> None:
            events.put(("sentence", sentence))

        def on_wait(ahead: int) -> None:
            if cancel.is_set():
                raise Cancelled()
            events.put(("wait", ahead))

        def work() -> None:
            try:
                with waiting_reported_to(on_wait):
                    answer = self.assistant.ask(
                        question, history=history, answer_lang=answer_lang, filters=filters, k=k, on_token=on_token,
                        on_sentence=on_sentence,
                    )
                events.put(("done", answer))
            except Cancelled:
                events.put(("cancelled", None))
            except BaseException as exc:  # handed to the UI thread, which shows it
                events.put(("error", exc))

        worker = threading.Thread(target=work, name="answer", daemon=True)
        worker.start()
        shown = render.chat_messages(turns) + [{"role": "user", "content": render.text(question)}]
        panel = render.sources_panel(turns)
        draft: list[str] = []
        checked: list = []  # sentences verified so far: the reader sees these as the answer
        status = "Searching the documents…"
        try:
            yield ChatUpdate(shown + [{"role": "assistant", "content": render.draft_html("", status)}], panel, status, turns)
            held: tuple | None = None
            while True:
                kind, value = held or events.get()
                held = None
                if kind == "token":
                    if not draft:
                        status = "Writing (draft, citations are checked next)…"
                    draft.append(value)
                elif kind == "sentence":
                    checked.append(value)
                    status = "Writing (verified sentences shown; the rest is being checked)…"
                elif kind == "wait":
                    status = (
                        f"Waiting for the model: {value} request(s) ahead of yours…" if value else "Writing…"
                    )
                elif kind == "done":
                    answer: Answer = value
                    turns = turns + [(question, answer)]
                    conversation_id = self.save_turn(conversation_id, answer, user)
                    yield ChatUpdate(
                        render.chat_messages(turns), render.sources_panel(turns), self.summary(answer), turns, conversation_id
                    )
                    return
                elif kind == "error":
                    raise value
                else:
                    return
                # Coalesce tokens into at most one frame per STREAM_INTERVAL: every frame re-renders the chat in
                # each browser, and on a 2-core machine that rendering competes with the model for the CPU.
                # The first token is shown at once (time to first token is what the user feels).
                until = time.monotonic() + (STREAM_INTERVAL if len(draft) > 1 else 0.0)
                while (left := until - time.monotonic()) > 0:
                    try:
                        kind_next, value_next = events.get(timeout=left)
                    except queue.Empty:
                        break
                    if kind_next != "token":
                        held = (kind_next, value_next)  # handled by the next turn of the loop
                        break
                    draft.append(value_next)
                body = render.draft_html("".join(draft), status, checked)
                yield ChatUpdate(shown + [{"role": "assistant", "content": body}], panel, status, turns)
        finally:
            cancel.set()

    @staticmethod
    def summary(answer: Answer) -> str:
        t = answer.timings
        first = f", first answer sentence {t.first_answer_ms / 1000:.1f} s" if t.first_answer_ms is not None else ""
        verified = sum(1 for s in answer.sentences if s.supported and s.kind == "generated")
        translated = sum(1 for s in answer.sentences if s.supported and s.kind == "translation")
        quoted = sum(1 for s in answer.sentences if s.supported and s.kind == "quote" and s.lang == answer.answer_lang)
        quotes = sum(1 for s in answer.sentences if s.supported and s.kind == "quote" and s.lang != answer.answer_lang)
        what = (
            "not answered by the documents" if not answer.answerable
            else f"{verified} verified sentence(s), {translated} translated source(s), "
            + (f"{quoted} quoted source(s), " if quoted else "") + f"{quotes} untranslated quote(s)"
        )
        return f"Done: {what} · {answer.model} · {t.total_ms / 1000:.1f} s{first}"

    @staticmethod
    def clear() -> ChatUpdate:
        """A new conversation (the one on screen stays saved)."""
        return ChatUpdate([], render.sources_panel([]), "New conversation.", [], "")

    # --- search and reading -----------------------------------------------------------------------------

    def search(
        self, query: str | None, langs: Sequence[str] | None = None, source: str | None = None,
        date_from: str | None = None, date_to: str | None = None, story: str | None = None, k: int = 10,
    ) -> tuple[str, list[str]]:
        """Hybrid search with the filters: results as HTML, and the labels of the documents they come from
        (to open one, or to ask about it)."""
        query = " ".join((query or "").split())
        if not query:
            raise InputError("type what to search for")
        filters = self.filters(langs, date_from, date_to).model_copy(
            update={"sources": [source] if source else [], "story": (story or "").strip() or None}
        )
        hits = self.assistant.search(query, k=int(k), filters=filters)
        infos = {d.doc_id: d for d in self.assistant.documents()}
        labels = list(dict.fromkeys(render.document_label(infos[h.doc_id]) for h in hits if h.doc_id in infos))
        return render.search_html(query, hits), labels

    def read(self, doc_label: str | None, lang: str | None = None) -> str:
        """A whole document as HTML; in ``lang`` (sentence by sentence, verified translations beside the
        originals) when it is given and differs from the document's language."""
        if not doc_label:
            raise InputError("choose a document to read")
        ref = render.doc_id_from_label(doc_label)
        if lang and lang != "original":
            doc, sentences = self.assistant.read_translated(ref, lang)
            return render.document_html(doc, sentences if doc.lang != lang else None)
        return render.document_html(self.assistant.document(ref))

    def all_stories(self) -> list[str]:
        """Every story id, single-document ones included (what a story filter can take)."""
        return sorted({d.story_id or f"story-{d.doc_id[:12]}" for d in self.assistant.documents()})

    def story_of(self, doc_label: str | None) -> str:
        """The story a document belongs to (to ask about the whole story)."""
        if not doc_label:
            raise InputError("choose a document first")
        doc = self.assistant.document(render.doc_id_from_label(doc_label))
        return doc.story_id or f"story-{doc.doc_id[:12]}"

    # --- timeline ---------------------------------------------------------------------------------------

    def timeline(self, story: str | None, topic: str | None, lang: str | None, progress: Progress | None = None) -> str:
        """The timeline of a story, a topic or (neither) the library, as HTML."""
        story, topic = (story or "").strip() or None, (topic or "").strip() or None
        if story and topic:
            raise InputError("choose a story or type a topic, not both")

        def on_progress(done: int, total: int) -> None:
            if progress:
                progress(done / max(total, 1), f"{done}/{total} documents")

        return render.timeline_html(self.assistant.timeline(story=story, topic=topic, lang=lang or "en", on_progress=on_progress))

    # --- saved conversations ----------------------------------------------------------------------------

    def save_turn(self, conversation_id: str, answer: Answer, user: str = LOCAL_USER) -> str:
        """Save a checked answer as the next turn; returns the conversation's id (created on the first turn)."""
        store = self.assistant.conversations
        if not conversation_id:
            conversation_id = store.create_named_after(answer.question, user).id
        store.add_turn(conversation_id, answer, user)
        return conversation_id

    def conversations(self, user: str = LOCAL_USER) -> list[tuple[str, str]]:
        """(label, id) of the user's saved conversations, the most recent first."""
        return [(f"{c.name} · {c.turns} turn{'s' if c.turns != 1 else ''} · {c.updated[:16].replace('T', ' ')}", c.id)
                for c in self.assistant.conversations.list(user)]

    def open_conversation(self, ref: str | None, user: str = LOCAL_USER) -> ChatUpdate:
        """A saved conversation back on screen, ready to be continued."""
        if not ref:
            raise InputError("choose a conversation to open")
        conversation, saved = self.assistant.conversations.turns(ref, user)
        turns = [(t.answer.question, t.answer) for t in saved]
        status = f"Opened “{conversation.name}”: {conversation.turns} turn(s); ask a follow-up to continue it."
        return ChatUpdate(render.chat_messages(turns), render.sources_panel(turns), status, turns, conversation.id)

    def rename_conversation(self, ref: str | None, name: str | None, user: str = LOCAL_USER) -> str:
        if not ref:
            raise InputError("choose a conversation to rename")
        renamed = self.assistant.conversations.rename(ref, name or "", user)
        return f"Renamed to “{renamed.name}”."

    def delete_conversation(self, ref: str | None, user: str = LOCAL_USER) -> str:
        if not ref:
            raise InputError("choose a conversation to delete")
        gone = self.assistant.conversations.delete(ref, user)
        return f"Deleted “{gone.name}” ({gone.turns} turn(s))."

    def export_conversation(self, ref: str | None, fmt: str = "md", user: str = LOCAL_USER) -> Path:
        """The conversation as a file to download (Markdown or JSON)."""
        if not ref:
            raise InputError("choose a conversation to export")
        conversation = self.assistant.conversations.find(ref, user)
        text = self.assistant.export_conversation(conversation.id, fmt, user)
        safe = re.sub(r"[^\w.-]+", "-", conversation.name).strip("-")[:60] or conversation.id
        self.download_dir.mkdir(parents=True, exist_ok=True)
        path = self.download_dir / f"conversation-{safe}-{conversation.id}.{fmt}"
        path.write_text(text, encoding="utf-8")
        return path

    # --- briefs -----------------------------------------------------------------------------------------

    def brief(
        self,
        doc_labels: Sequence[str] | None,
        story: str | None,
        topic: str | None,
        lang_a: str | None,
        lang_b: str | None,
        progress: Progress | None = None,
    ) -> tuple[str, Path, Brief]:
        """The brief as HTML, a Markdown file to download, and the brief itself."""
        refs = [render.doc_id_from_label(label) for label in doc_labels or []]
        langs = self.brief_langs(refs, lang_a or "en", lang_b or "source")

        def on_progress(done: int, total: int) -> None:
            if progress:
                progress(done / max(total, 1), f"writing points {done}/{total}")

        def on_wait(ahead: int) -> None:
            if progress:
                progress(0.0, f"waiting for the model: {ahead} request(s) ahead")

        with waiting_reported_to(on_wait):
            brief = self.assistant.brief(
                refs, story=story or None, topic=(topic or "").strip() or None, langs=langs, on_progress=on_progress
            )
        folder = self.download_dir / uuid.uuid4().hex[:12]  # one folder per brief keeps a readable file name
        folder.mkdir(parents=True)
        subject = brief.topic or (brief.documents[0].source.rsplit(".", 1)[0] if brief.documents else "brief")
        path = folder / f"brief-{re.sub(r'[^A-Za-z0-9_-]+', '-', subject)[:40].strip('-') or 'brief'}.md"
        path.write_text(brief_markdown(brief), encoding="utf-8")
        return render.brief_html(brief), path, brief

    def brief_langs(self, refs: Sequence[str], lang_a: str, lang_b: str) -> list[str]:
        """The brief's languages; "source" stands for the language of the chosen documents."""
        if lang_b != "source":
            return list(dict.fromkeys([lang_a, lang_b]))
        if lang_a == "en":
            return []  # the pipeline's default: English beside the source's own language
        present = {d.lang for ref in refs for d in self.assistant.store.resolve(ref)}
        return [lang_a] + ([present.pop()] if len(present) == 1 and lang_a not in present else [])

    # --- library ----------------------------------------------------------------------------------------

    def library(self) -> tuple[list[list], list[list], list[str], list[str], list[str]]:
        """Document rows, story rows, document picker labels, story ids and the languages present."""
        docs = self.assistant.documents()
        stories = self.assistant.stories() if docs else []
        return (
            render.library_rows(docs),
            render.story_rows(stories),
            [render.document_label(d) for d in docs],
            [s.story_id for s in stories if len(s.doc_ids) > 1],
            sorted({d.lang for d in docs}),
        )

    def translation_status(self) -> str:
        """What serve has translated ahead of questions, for the Library tab."""
        done, total = self.assistant.pretranslation["done"], self.assistant.pretranslation["total"]
        lang = LANGUAGE_NAMES.get(self.assistant.pretranslation_lang, self.assistant.pretranslation_lang)
        cached = self.assistant.store.count_translations()
        if total and done < total:
            return f"Translating the library into {lang} ahead of questions: {done} of {total} sentences ({cached} cached in all)."
        return f"Sentence translations cached for answers: {cached} (into {lang} ahead of questions while the app is idle)."

    def upload(self, paths: Sequence[str | Path] | None, progress: Progress | None = None) -> tuple[str, IngestReport]:
        """Ingest uploaded files; a message that names every failed file and why."""
        self._check_upload(paths)

        def on_progress(done: int, total: int, done_bytes: int, total_bytes: int, name: str) -> None:
            if progress:
                progress(done_bytes / max(total_bytes, 1), f"{done}/{total} files · {name}")

        report = self.assistant.ingest([Path(p) for p in paths], progress=on_progress)
        lines = [report.summary()]
        for r in report.failed:
            name = Path(r.path).name
            error = r.error or "could not be read"
            lines.append(f"failed: {error}" if error.startswith(name) else f"failed: {name}: {error}")
        return "\n".join(lines), report

    def add_web(self, url: str | None, subscribe: bool = False) -> str:
        """Ingest a page (or a feed's entries) from its address, or subscribe to a feed; a message naming
        every failure."""
        url = (url or "").strip()
        if not url:
            raise InputError("paste the address of a web page or a feed", hint="it starts with http:// or https://")
        if not is_url(url):
            raise InputError(f"{url}: not a web address", hint="it starts with http:// or https://")
        if subscribe:
            refresh = self.assistant.subscribe(url)
            results = refresh.results
            lines = [f"subscribed to {refresh.title or url}: {refresh.new_entries} entries; " + summarize_results(results)]
        else:
            report = self.assistant.ingest([url])
            results = report.results
            lines = [report.summary()]
        lines += [f"failed: {r.error}" for r in results if r.status == "failed"]
        return "\n".join(lines)

    def feeds(self) -> list[list]:
        return render.feed_rows(self.assistant.feeds.book.list())

    def unsubscribe(self, url: str | None) -> str:
        if not url:
            raise InputError("choose a feed to unsubscribe from")
        removed = self.assistant.feeds.remove(url)
        return f"unsubscribed from {removed.url} (its {removed.entries} ingested entries stay in the library)"

    def feed_status(self) -> str:
        """When serve last refreshed the subscribed feeds, for the Library tab."""
        minutes = self.assistant.settings.feed_interval
        if not minutes:
            return "Feeds are not refreshed automatically (ASSISTANT_FEED_INTERVAL=0)."
        state = self.assistant.feed_refresh
        last = state.get("last") or "not yet"
        outcome = f" — {state['outcome']}" if state.get("outcome") else ""
        return f"Subscribed feeds are refreshed every {minutes} min; last refresh: {last}{outcome}."

    def _check_upload(self, paths: Sequence[str | Path] | None) -> None:
        """Uploads are files (never folders) of the accepted types, and not too many at once."""
        if not paths:
            raise InputError("choose one or more files to upload", hint=f"accepted: {', '.join(UPLOAD_TYPES)}")
        limit = self.assistant.settings.max_upload_files
        if len(paths) > limit:
            raise InputError(f"{len(paths)} files in one upload, over the limit of {limit}",
                             hint="upload fewer at a time, raise ASSISTANT_MAX_UPLOAD_FILES, or use `assistant ingest`")
        for p in paths:
            if Path(p).is_dir():
                raise InputError(f"{Path(p).name}: a folder, not a file", hint="upload the files in it")

    def remove(self, doc_label: str | None) -> str:
        if not doc_label:
            raise InputError("choose a document to remove")
        removed = self.assistant.remove(render.doc_id_from_label(doc_label))
        return "removed " + ", ".join(f"{d.source} ({d.doc_id})" for d in removed)

    # --- API (gradio_client) ----------------------------------------------------------------------------

    def api_ask(self, question: str, answer_lang: str = "auto", k: int = 0) -> dict:
        """The JSON of ``assistant ask --json``."""
        return self.assistant.ask(question, answer_lang=answer_lang, k=k or None).public()

    def api_brief(self, refs: Sequence[str] = (), story: str = "", topic: str = "", langs: Sequence[str] = ()) -> dict:
        """The JSON of ``assistant summarize --json``."""
        return self.assistant.brief(list(refs), story=story or None, topic=topic or None, langs=list(langs)).model_dump()

    def api_ingest(self, paths: Sequence[str | Path]) -> dict:
        """The JSON of ``assistant ingest --json``, each result naming its ``file`` (a key ``path`` would be
        taken for a file to download by gradio_client)."""
        self._check_upload(paths)
        report = self.assistant.ingest([Path(p) for p in paths])
        results = [{"file": Path(r.path).name, **r.model_dump(exclude={"path"})} for r in report.results]
        return {"results": results, "seconds": report.seconds}


def languages() -> list[tuple[str, str]]:
    """(label, code) pairs for language pickers."""
    return [(f"{name} ({code})", code) for code, name in sorted(LANGUAGE_NAMES.items(), key=lambda kv: kv[1])]


def describe(exc: BaseException) -> str:
    """A one-line message for the user; unexpected errors are logged with their traceback, not shown."""
    if isinstance(exc, AssistantError):
        return f"{exc.message} (hint: {exc.hint})" if exc.hint else exc.message
    if isinstance(exc, ValidationError):
        return user_error(exc).message
    log.exception("unexpected error in a UI handler", exc_info=exc)
    return f"Unexpected error ({type(exc).__name__}); the details are in the server log."
