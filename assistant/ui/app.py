"""The Gradio app: chat, briefs and library. The only module that imports gradio.

It wires :class:`assistant.ui.handlers.AppHandlers` to components and turns the assistant's errors into
``gr.Error`` messages; it holds no logic of its own. Named API endpoints (``/ask``, ``/brief``,
``/ingest``) make the same functions usable from ``gradio_client``.
"""

from __future__ import annotations

import functools
import inspect
import os
import signal
import threading
from typing import Any, Callable

# Gradio would otherwise phone home (analytics, version check); this machine is offline by design.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from assistant.backends.conversations import LOCAL_USER  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.service import NewsAssistant  # noqa: E402
from assistant.ui import render  # noqa: E402
from assistant.ui.background import refresh_feeds_periodically, translate_when_idle, warm_up  # noqa: E402
from assistant.ui.handlers import UPLOAD_TYPES, AppHandlers, describe, languages, model_label  # noqa: E402
from assistant.ui.users import authenticator  # noqa: E402

CSS = """
.source-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px; margin: 6px 0; }
.source-card.flash { outline: 3px solid var(--color-accent); }
.source-card .meta, .brief .meta { color: var(--body-text-color-subdued); font-size: 0.85em; }
.source-card .also-in { font-size: 0.85em; font-style: italic; }
.source-card blockquote.passage { margin: 6px 0 0 0; padding-left: 8px; border-left: 3px solid var(--border-color-primary); }
.source-card .translation .context { color: var(--body-text-color-subdued); }
blockquote .context { color: var(--body-text-color-subdued); }
mark { background: #fff3a3; color: inherit; }
a.cite { text-decoration: none; font-weight: 600; }
.disagreement { border-left: 3px solid #dc322f; padding-left: 8px; margin: 6px 0; }
blockquote.quote { border-left: 3px solid #b58900; padding-left: 8px; font-style: italic; }
blockquote.translation { border-left: 3px solid #268bd2; padding-left: 8px; }
details.unsupported { color: var(--body-text-color-subdued); }
p.draft { color: var(--body-text-color-subdued); }
table.brief-table td { vertical-align: top; }
table.brief-table td.quote { font-style: italic; }
table.brief-table td.original-quote { color: var(--body-text-color-subdued); font-size: 0.9em; }
"""

#: A click on a citation scrolls to its source card (and flashes it) instead of following a link.
HEAD = """
<script>
document.addEventListener('click', function (event) {
  const link = event.target.closest && event.target.closest('a.cite');
  if (!link) return;
  const id = (link.getAttribute('href') || '').replace('#', '');
  const card = document.getElementById(id);
  if (!card) return;
  event.preventDefault();
  card.scrollIntoView({behavior: 'smooth', block: 'center'});
  card.classList.add('flash');
  setTimeout(function () { card.classList.remove('flash'); }, 1500);
}, true);
</script>
"""


def _guard(fn: Callable) -> Callable:
    """Show the assistant's errors as messages (``gr.Error``), never as a stack trace."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def gen(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except gr.Error:
                raise
            except Exception as exc:
                raise gr.Error(describe(exc)) from None

        return gen

    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as exc:
            raise gr.Error(describe(exc)) from None

    return call


def build_app(assistant: NewsAssistant, handlers: AppHandlers | None = None) -> gr.Blocks:
    """The Blocks app over one assistant (shared by every browser session)."""
    h = handlers or AppHandlers(assistant)
    settings = assistant.settings
    lang_choices = languages()

    with gr.Blocks(title="News assistant") as app:
        gr.Markdown("## News assistant\nLocal answers with checked citations, bilingual briefs, your library.")
        with gr.Tabs() as tabs:
            # --- chat ---------------------------------------------------------------------------------
            with gr.Tab("Ask", id="ask"):
                turns = gr.State([])
                conversation = gr.State("")
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            label="Conversation", height=480, sanitize_html=True, latex_delimiters=[],
                            elem_id="chat", feedback_options=None, buttons=["copy"],
                        )
                        status = gr.Markdown("Ask a question about the documents.", elem_id="chat-status")
                        with gr.Row():
                            question = gr.Textbox(
                                placeholder="e.g. What did the ambassador propose?", show_label=False, scale=5,
                                elem_id="question", max_lines=4,
                            )
                            send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask-button")
                            clear = gr.Button("New conversation", scale=1, elem_id="clear-button")
                        with gr.Accordion("Settings", open=False):
                            with gr.Row():
                                answer_lang = gr.Dropdown(
                                    [("Same as the question", "auto"), *lang_choices], value="auto", label="Answer language",
                                    elem_id="answer-lang",
                                )
                                k = gr.Slider(1, 10, value=settings.top_k, step=1, label="Passages to draw sources from")
                            with gr.Row():
                                scope_doc = gr.Dropdown([], label="Only this document", elem_id="scope-doc")
                                scope_story = gr.Dropdown([], label="Only this story", elem_id="scope-story")
                            with gr.Row():
                                filter_langs = gr.Dropdown([], multiselect=True, label="Only documents in")
                                date_from = gr.Textbox(label="From date (YYYY[-MM[-DD]])", max_lines=1)
                                date_to = gr.Textbox(label="To date", max_lines=1)
                            gr.Textbox(model_label(assistant), label="Model in use", interactive=False)
                        with gr.Accordion("Saved conversations", open=False, elem_id="saved-panel"):
                            with gr.Row():
                                saved = gr.Dropdown([], label="Conversation", elem_id="saved-conversations", scale=3)
                                open_saved = gr.Button("Open", elem_id="open-conversation", scale=1)
                                delete_saved = gr.Button("Delete", variant="stop", elem_id="delete-conversation", scale=1)
                            with gr.Row():
                                new_name = gr.Textbox(label="New name", max_lines=1, elem_id="conversation-name", scale=3)
                                rename_saved = gr.Button("Rename", elem_id="rename-conversation", scale=1)
                            with gr.Row():
                                export_md = gr.Button("Export Markdown", elem_id="export-md")
                                export_json = gr.Button("Export JSON", elem_id="export-json")
                            saved_note = gr.Markdown("", elem_id="saved-note")
                            saved_file = gr.File(label="Exported conversation", interactive=False, elem_id="conversation-file")
                    with gr.Column(scale=2):
                        gr.Markdown("### Sources")
                        sources = gr.HTML(render.sources_panel([]), elem_id="sources")

            # --- briefs -------------------------------------------------------------------------------
            with gr.Tab("Briefs", id="briefs"):
                with gr.Row():
                    brief_docs = gr.Dropdown([], multiselect=True, label="Documents", elem_id="brief-docs")
                    brief_story = gr.Dropdown([], label="…or a story (all its languages)", elem_id="brief-story")
                    brief_topic = gr.Textbox(label="…or a topic", placeholder="semiconductor cooperation", elem_id="brief-topic")
                with gr.Row():
                    lang_a = gr.Dropdown(lang_choices, value="en", label="Language A", elem_id="lang-a")
                    lang_b = gr.Dropdown(
                        [("the source's language", "source")] + lang_choices, value="source", label="Language B",
                        elem_id="lang-b",
                    )
                    make_brief = gr.Button("Make brief", variant="primary", elem_id="brief-button")
                brief_view = gr.HTML("", elem_id="brief-view")
                brief_file = gr.File(label="Download as Markdown", interactive=False, elem_id="brief-file")

            # --- search and reading ---------------------------------------------------------------------
            with gr.Tab("Search", id="search"):
                with gr.Row():
                    search_query = gr.Textbox(label="Search", placeholder="semiconductor cooperation", elem_id="search-query", scale=4)
                    search_button = gr.Button("Search", variant="primary", elem_id="search-button", scale=1)
                with gr.Row():
                    search_langs = gr.Dropdown([], multiselect=True, label="Languages", elem_id="search-langs")
                    search_source = gr.Textbox(label="Source (file or URL)", max_lines=1)
                    search_from = gr.Textbox(label="From date", max_lines=1)
                    search_to = gr.Textbox(label="To date", max_lines=1)
                    search_story = gr.Dropdown([], label="Story", elem_id="search-story")
                search_results = gr.HTML("", elem_id="search-results")
                with gr.Row():
                    read_doc = gr.Dropdown([], label="Document", elem_id="read-doc", scale=3)
                    read_lang = gr.Dropdown([("as written", "original"), *lang_choices], value="original",
                                            label="Read in", elem_id="read-lang", scale=1)
                    read_button = gr.Button("Open", elem_id="read-button", scale=1)
                    ask_doc = gr.Button("Ask about this document", elem_id="ask-doc-button", scale=1)
                    ask_story = gr.Button("Ask about this story", elem_id="ask-story-button", scale=1)
                reader = gr.HTML("", elem_id="reader")

            # --- timeline -----------------------------------------------------------------------------
            with gr.Tab("Timeline", id="timeline"):
                with gr.Row():
                    timeline_story = gr.Dropdown([], label="Story (empty: the whole library)", elem_id="timeline-story")
                    timeline_topic = gr.Textbox(label="…or a topic", elem_id="timeline-topic")
                    timeline_lang = gr.Dropdown(lang_choices, value="en", label="Your language", elem_id="timeline-lang")
                    make_timeline = gr.Button("Show timeline", variant="primary", elem_id="timeline-button")
                timeline_view = gr.HTML("", elem_id="timeline-view")

            # --- library ------------------------------------------------------------------------------
            with gr.Tab("Library", id="library"):
                with gr.Row():
                    uploads = gr.File(
                        file_count="multiple", file_types=list(UPLOAD_TYPES), label="Add files", elem_id="uploads"
                    )
                    with gr.Column():
                        add = gr.Button("Add to library", variant="primary", elem_id="add-button")
                        upload_result = gr.Textbox(label="Result", interactive=False, lines=3, elem_id="upload-result")
                with gr.Row():
                    web_url = gr.Textbox(
                        label="Web page or feed address", placeholder="https://…", elem_id="web-url", scale=3
                    )
                    with gr.Column(scale=1):
                        add_page = gr.Button("Add page", variant="primary", elem_id="add-page-button")
                        subscribe = gr.Button("Subscribe to feed", elem_id="subscribe-button")
                docs_table = gr.Dataframe(
                    headers=render.LIBRARY_HEADERS, datatype="str", interactive=False, label="Documents",
                    elem_id="docs-table", wrap=True, column_widths=["34%", "20%", "8%", "10%", "7%", "11%", "10%"],
                )
                with gr.Row():
                    to_remove = gr.Dropdown([], label="Document to remove", elem_id="remove-doc")
                    remove = gr.Button("Remove", variant="stop", elem_id="remove-button")
                    refresh = gr.Button("Refresh", elem_id="refresh-button")
                translation_status = gr.Markdown("", elem_id="translation-status")
                gr.Timer(10.0).tick(h.translation_status, None, translation_status, api_visibility="private")
                feeds_table = gr.Dataframe(
                    headers=render.FEED_HEADERS, datatype="str", interactive=False, label="Feed subscriptions",
                    elem_id="feeds-table", wrap=True,
                )
                with gr.Row():
                    to_unsubscribe = gr.Dropdown([], label="Feed to unsubscribe from", elem_id="unsubscribe-feed")
                    unsubscribe = gr.Button("Unsubscribe", variant="stop", elem_id="unsubscribe-button")
                feed_status = gr.Markdown("", elem_id="feed-status")
                gr.Timer(30.0).tick(h.feed_status, None, feed_status, api_visibility="private")
                stories_table = gr.Dataframe(
                    headers=render.STORY_HEADERS, datatype="str", interactive=False, label="Stories (same article in several languages)",
                    elem_id="stories-table", wrap=True,
                )

        # --- wiring -----------------------------------------------------------------------------------
        library_outputs = [docs_table, stories_table, brief_docs, to_remove, brief_story, filter_langs, feeds_table,
                           to_unsubscribe, feed_status, timeline_story, read_doc, scope_doc, scope_story, search_langs, search_story]

        def refresh_library():
            rows, story_rows, labels, story_ids, langs_present = h.library()
            feed_rows = h.feeds()
            all_story_ids = h.all_stories()
            return (
                rows or None, story_rows or None, gr.Dropdown(choices=labels), gr.Dropdown(choices=labels, value=None),
                gr.Dropdown(choices=[""] + story_ids), gr.Dropdown(choices=langs_present),
                feed_rows or None, gr.Dropdown(choices=[row[0] for row in feed_rows], value=None), h.feed_status(),
                gr.Dropdown(choices=[""] + story_ids),
                gr.Dropdown(choices=labels), gr.Dropdown(choices=[""] + labels), gr.Dropdown(choices=[""] + all_story_ids),
                gr.Dropdown(choices=langs_present), gr.Dropdown(choices=[""] + all_story_ids),
            )

        @_guard
        def chat(message, state, lang, k_value, langs, start, end, conversation_id, doc, story, request: gr.Request):
            last = None
            try:
                for last in h.chat(message, state, lang, int(k_value), langs, start, end, conversation_id, user_of(request), doc, story):
                    yield last.messages, last.sources_html, last.status, last.turns, "", last.conversation_id
            except Exception as exc:
                problem = describe(exc)
                if last is not None:  # replace the pending draft by the error, keep the conversation
                    failed = last.messages[:-1] + [{"role": "assistant", "content": f"<span class='error'>Error: {render.text(problem)}</span>"}]
                    yield failed, last.sources_html, f"Error: {problem}", last.turns, message, last.conversation_id
                raise gr.Error(problem) from None

        def cleared():
            update = h.clear()
            return update.messages, update.sources_html, update.status, update.turns, update.conversation_id

        def saved_choices(request: gr.Request):
            return gr.Dropdown(choices=h.conversations(user_of(request)), value=None)

        @_guard
        def open_conversation(ref, request: gr.Request):
            update = h.open_conversation(ref, user_of(request))
            return update.messages, update.sources_html, update.status, update.turns, update.conversation_id

        @_guard
        def rename_conversation(ref, name, request: gr.Request):
            return h.rename_conversation(ref, name, user_of(request)), ""

        @_guard
        def delete_conversation(ref, current, request: gr.Request):
            note = h.delete_conversation(ref, user_of(request))
            return note, "" if ref == current else current

        def exporter(fmt):
            @_guard
            def export(ref, request: gr.Request):
                return str(h.export_conversation(ref, fmt, user_of(request)))
            return export

        @_guard
        def make_brief_view(docs, story, topic, a, b, progress=gr.Progress()):
            html, path, _ = h.brief(docs, story, topic, a, b, progress=lambda f, d: progress(f, desc=d))
            return html, str(path)

        @_guard
        def run_search(query, langs, source, start, end, story):
            html, labels = h.search(query, langs, source, start, end, story)
            return html, gr.Dropdown(choices=labels, value=labels[0] if labels else None)

        @_guard
        def read(label, lang):
            return h.read(label, lang)

        @_guard
        def ask_about_document(label):
            h.read(label)  # a clear message when none is chosen
            return gr.Tabs(selected="ask"), label, "", f"Questions now search only “{label.split(' — ')[0]}” (Settings)."

        @_guard
        def ask_about_story(label):
            story = h.story_of(label)
            return gr.Tabs(selected="ask"), "", story, f"Questions now search only story {story} (Settings)."

        @_guard
        def show_timeline(story, topic, lang, progress=gr.Progress()):
            return h.timeline(story, topic, lang, progress=lambda f, d: progress(f, desc=d))

        @_guard
        def add_files(files, progress=gr.Progress()):
            message, _ = h.upload(files, progress=lambda f, d: progress(f, desc=d))
            return message, None

        @_guard
        def remove_doc(label):
            return h.remove(label)

        @_guard
        def add_web_page(url):
            return h.add_web(url), ""

        @_guard
        def subscribe_feed(url):
            return h.add_web(url, subscribe=True), ""

        @_guard
        def unsubscribe_feed(url):
            return h.unsubscribe(url)

        chat_inputs = [question, turns, answer_lang, k, filter_langs, date_from, date_to, conversation, scope_doc, scope_story]
        chat_outputs = [chatbot, sources, status, turns, question, conversation]
        limit = settings.ui_concurrency
        for trigger in (send.click, question.submit):
            trigger(chat, chat_inputs, chat_outputs, api_visibility="private", concurrency_limit=limit,
                    concurrency_id="work", show_progress="hidden").then(saved_choices, None, saved, api_visibility="private")
        clear.click(cleared, None, [chatbot, sources, status, turns, conversation], api_visibility="private", queue=False)
        open_saved.click(open_conversation, saved, [chatbot, sources, status, turns, conversation], api_visibility="private")
        rename_saved.click(rename_conversation, [saved, new_name], [saved_note, new_name], api_visibility="private").then(
            saved_choices, None, saved, api_visibility="private"
        )
        delete_saved.click(delete_conversation, [saved, conversation], [saved_note, conversation], api_visibility="private").then(
            saved_choices, None, saved, api_visibility="private"
        )
        for trigger in (search_button.click, search_query.submit):
            trigger(run_search, [search_query, search_langs, search_source, search_from, search_to, search_story],
                    [search_results, read_doc], api_visibility="private")
        read_button.click(read, [read_doc, read_lang], reader, api_visibility="private", concurrency_id="work")
        ask_doc.click(ask_about_document, read_doc, [tabs, scope_doc, scope_story, status], api_visibility="private")
        ask_story.click(ask_about_story, read_doc, [tabs, scope_doc, scope_story, status], api_visibility="private")
        make_timeline.click(show_timeline, [timeline_story, timeline_topic, timeline_lang], timeline_view,
                            api_visibility="private", concurrency_id="work")
        export_md.click(exporter("md"), saved, saved_file, api_visibility="private")
        export_json.click(exporter("json"), saved, saved_file, api_visibility="private")
        app.load(saved_choices, None, saved, api_visibility="private")
        make_brief.click(make_brief_view, [brief_docs, brief_story, brief_topic, lang_a, lang_b], [brief_view, brief_file],
                         api_visibility="private", concurrency_id="work")
        add.click(add_files, uploads, [upload_result, uploads], api_visibility="private").then(
            refresh_library, None, library_outputs, api_visibility="private"
        )
        remove.click(remove_doc, to_remove, upload_result, api_visibility="private").then(
            refresh_library, None, library_outputs, api_visibility="private"
        )
        for button, work in ((add_page, add_web_page), (subscribe, subscribe_feed)):
            button.click(work, web_url, [upload_result, web_url], api_visibility="private", concurrency_id="web").then(
                refresh_library, None, library_outputs, api_visibility="private"
            )
        unsubscribe.click(unsubscribe_feed, to_unsubscribe, upload_result, api_visibility="private").then(
            refresh_library, None, library_outputs, api_visibility="private"
        )
        refresh.click(refresh_library, None, library_outputs, api_visibility="private")
        app.load(refresh_library, None, library_outputs, api_visibility="private")
        app.load(h.translation_status, None, translation_status, api_visibility="private")

        # --- API for gradio_client --------------------------------------------------------------------
        def ask(question: str, answer_lang: str = "auto", k: int = 0) -> dict:
            """A cited, verified answer (the JSON of `assistant ask --json`)."""
            return _guard(h.api_ask)(question, answer_lang, k)

        def brief_api(refs: list[str], story: str = "", topic: str = "", langs: list[str] = []) -> dict:  # noqa: B006
            """A bilingual brief (the JSON of `assistant summarize --json`)."""
            return _guard(h.api_brief)(refs or [], story, topic, langs or [])

        gr.api(ask, api_name="ask", concurrency_id="work", concurrency_limit=limit)
        gr.api(brief_api, api_name="brief", concurrency_id="work")
        api_files = gr.File(file_count="multiple", visible=False)
        api_report = gr.JSON(visible=False)
        api_trigger = gr.Button(visible=False)
        api_trigger.click(_guard(h.api_ingest), api_files, api_report, api_name="ingest")
    app.queue(default_concurrency_limit=limit)
    return app


def user_of(request: gr.Request | None) -> str:
    """Whose conversations a browser sees: the logged-in user, or the local user when login is off."""
    name = getattr(request, "username", None) if request is not None else None
    return name or LOCAL_USER


def launch_options(settings: Settings) -> dict[str, Any]:
    """Arguments of ``Blocks.launch``: loopback by default, login when configured."""
    options: dict[str, Any] = dict(
        server_name=settings.host,
        server_port=settings.port,
        ssr_mode=False,
        css=CSS,
        head=HEAD,
        theme=gr.themes.Default(font=["ui-sans-serif", "system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"]),
        max_file_size=int(settings.max_file_mb * 1024 * 1024),
        show_error=False,
        footer_links=["api"],
        quiet=True,
    )
    check = authenticator(settings)
    if check is not None:
        options["auth"] = check
        options["auth_message"] = "News assistant: log in"
    return options



def serve(assistant: NewsAssistant, *, block: bool = True) -> gr.Blocks:
    """Start the app. The embedder, lexical index and model load in the background, so the page is ready
    at once and the first question does not pay for loading."""
    # Fetching private addresses is refused by default when the app listens beyond loopback.
    assistant.serving_host = assistant.settings.host
    app = build_app(assistant)
    app.launch(prevent_thread_lock=True, **launch_options(assistant.settings))
    # After the server is up, so that loading does not compete with serving the first page.
    stop = threading.Event()
    threading.Thread(target=warm_up, args=(assistant,), daemon=True, name="warm-up").start()
    threading.Thread(target=translate_when_idle, args=(assistant, stop), daemon=True, name="pretranslate").start()
    if assistant.settings.feed_interval:
        threading.Thread(target=refresh_feeds_periodically, args=(assistant, stop), daemon=True, name="feeds").start()
    if block:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _interrupt)  # `kill`, systemd, a test harness: stop as Ctrl+C does
        try:
            app.block_thread()
        finally:
            stop.set()  # no new sentence or feed is begun; one under way may still be inside the model
    return app


def _interrupt(signum, frame) -> None:
    """SIGTERM ends ``block_thread`` as Ctrl+C does, so the process exits normally and cleans up after
    itself (the exported briefs' folder, see :class:`~assistant.ui.handlers.AppHandlers`); by default
    SIGTERM would end it at once, leaving that folder behind."""
    raise KeyboardInterrupt
