"""The browser app's handlers without a browser: fake model, hashed embedder, real embedded Chroma."""

from __future__ import annotations

import re
import threading
import time

import pytest

from assistant.backends.embedder import HashingEmbedder
from assistant.backends.fake_chat import FakeChatModel
from assistant.config import Settings
from assistant.errors import InputError
from assistant.service import NewsAssistant
from assistant.ui import render
from assistant.ui.handlers import AppHandlers, describe
from tests.generation.test_answer import copy_source
from tests.support.paths import SEEDS

GERMAN = "001_a266f9cc8be359ef.txt"


def make(tmp_path, replies, **overrides) -> tuple[AppHandlers, FakeChatModel]:
    model = replies if isinstance(replies, FakeChatModel) else FakeChatModel(replies=replies)
    values = dict(store_dir=tmp_path / "store", embedder="hash", min_relevance=0.0, support_threshold=0.5,
                  brief_support_threshold=0.5, brief_points=3, brief_max_points=3,
                  feedback_weight=0.0,  # replies are scripted by source number: keep the hashed ranking fixed
                  judge_evidence=0,  # (the fake judge accepts every sentence; the judge is tested in tests/generation)
                  other_language_lift=0.0,  # (the lift corrects e5's pull to the question's language; hashing has none)
                  translate_queries="", translate_evidence=0)  # ... and are answers, not translations
    values.update(overrides)
    assistant = NewsAssistant(Settings(**values), embedder=HashingEmbedder(), model=model)
    assistant.ingest([SEEDS])
    return AppHandlers(assistant, download_dir=tmp_path / "downloads"), model


def test_chat_streams_a_status_then_the_draft_then_the_checked_answer_with_linked_source_cards(tmp_path):
    handlers, model = make(tmp_path, copy_source(2))
    updates = list(handlers.chat("What did the minister say about Korea?", []))
    assert updates[0].status.startswith("Searching") and updates[0].messages[-1]["role"] == "assistant"
    drafts = [u for u in updates if "class='draft'" in u.messages[-1]["content"]]
    assert any(not u.messages[-1]["content"].endswith("…</p>") for u in drafts)  # tokens arrived before the end
    final = updates[-1]
    assert final.status.startswith("Done: 1 verified sentence(s), 0 translated source(s), 1 quoted source(s), 0 untranslated") and len(final.turns) == 1
    question, answer = final.turns[0]
    # the best evidence sentence leads, then the model's sentence copied from source 2
    assert [(s.kind, s.citations) for s in answer.sentences if s.supported] == [("quote", [1]), ("generated", [2])]
    # The answer links its citation to the card of source 2 of this turn, and that card is in the panel.
    assert 'href="#src-0-2"' in final.messages[-1]["content"]
    assert "id='src-0-2'" in final.sources_html
    card = re.search(r"<div class='source-card' id='src-0-2'>.*?</blockquote></div>", final.sources_html).group(0)
    assert "<mark>" in card and render.text(answer.sources[1].quote) in card


def test_a_follow_up_uses_the_conversation_and_each_turn_keeps_its_own_cards(tmp_path):
    def reply(messages):
        if "Assistant:" in messages[-1].content:  # the follow-up rewrite prompt
            return "What did the minister say in Korea?"
        return copy_source(1)(messages)

    handlers, model = make(tmp_path, reply)
    first = list(handlers.chat("Who visited Korea?", []))[-1]
    second = list(handlers.chat("And what did he say there?", first.turns))[-1]
    assert len(second.turns) == 2
    rewrite = [p for p in model.prompts if "Assistant:" in p[-1].content]
    assert rewrite and "Who visited Korea?" in rewrite[0][-1].content
    assert second.turns[1][1].standalone_question == "What did the minister say in Korea?"
    assert "id='src-1-1'" in second.sources_html and "id='src-0-1'" in second.sources_html
    assert second.sources_html.index("Q2:") < second.sources_html.index("Q1:")  # newest first
    assert handlers.clear().turns == [] and handlers.clear().messages == []


def test_bad_chat_input_is_a_clear_error(tmp_path):
    handlers, _ = make(tmp_path, ["x [1]."])
    with pytest.raises(InputError, match="type a question"):
        list(handlers.chat("   ", []))
    with pytest.raises(InputError, match="date_from"):
        list(handlers.chat("Who visited Korea?", [], date_from="last week"))
    with pytest.raises(InputError, match="unknown answer language"):
        list(handlers.chat("Who visited Korea?", [], answer_lang="xx"))
    assert describe(InputError("bad", hint="do this")) == "bad (hint: do this)"
    assert "server log" in describe(KeyError("boom")) and "boom" not in describe(KeyError("boom"))


def test_a_waiting_request_is_told_its_place_in_line_and_an_abandoned_one_frees_the_model(tmp_path):
    gate = threading.Event()

    def slow(messages):
        gate.wait(10)
        return copy_source(1)(messages)

    handlers, model = make(tmp_path, slow)
    first_done: list = []
    first = threading.Thread(target=lambda: first_done.append(list(handlers.chat("Who visited Korea?", []))[-1]))
    first.start()
    queue = handlers.assistant.queue
    while queue.pending == 0:
        time.sleep(0.01)
    second = handlers.chat("What did the ambassador propose?", [])
    statuses = []
    for update in second:
        statuses.append(update.status)
        if update.status.startswith("Waiting for the model: 1 request"):
            break
    assert statuses[-1].startswith("Waiting for the model: 1 request")
    second.close()  # the browser went away while waiting
    gate.set()
    first.join(10)
    assert first_done and first_done[0].status.startswith("Done")
    deadline = time.time() + 5
    while queue.pending and time.time() < deadline:
        time.sleep(0.01)
    assert queue.pending == 0
    assert len(model.prompts) == 1  # the abandoned request never reached the model


def test_document_text_is_shown_escaped_everywhere(tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "A <script>alert('x')</script> headline about Korea\n\n"
        "The minister said <b>bold</b> things about *Korea* and [links](http://evil) in Seoul today.\n",
        encoding="utf-8",
    )
    handlers, _ = make(tmp_path, lambda messages: "<script>alert(1)</script> Seoul [1].")
    handlers.upload([hostile])
    update = list(handlers.chat("What did the minister say about Korea in Seoul?", [], langs=["en"]))[-1]
    shown = update.sources_html + "".join(m["content"] for m in update.messages)
    assert "<script" not in shown and "<b>bold" not in shown and "](http" not in shown
    assert "&#60;script&#62;" in shown  # shown as text
    rows, *_ = handlers.library()
    assert any("<script>" in row[0] for row in rows)  # the table component escapes cells itself


def test_a_two_language_brief_is_paired_and_downloadable_as_markdown(tmp_path):
    from tests.generation.test_brief import restate

    handlers, _ = make(tmp_path, restate())
    _, _, labels, _, _ = handlers.library()
    german = next(label for label in labels if GERMAN in label)
    seen: list[tuple[float, str]] = []
    html, path, brief = handlers.brief([german], None, "", "en", "source", progress=lambda f, d: seen.append((f, d)))
    assert brief.langs == ["en", "de"] and len(brief.points) == 3
    assert "<th>English</th><th>German</th><th>Original</th>" in html
    assert html.count("<tr>") == 1 + 3 and "lang='de'" in html and "href=\"#brief-0-1\"" in html
    assert seen[-1] == (1.0, "writing points 6/6")  # 3 points × 2 languages
    markdown = path.read_text(encoding="utf-8")
    assert markdown.startswith("# Brief") and "| English | German | Original |" in markdown
    # The hashed embedder cannot recognise translations, so the seeds' story is set by hand here.
    pair = [d.doc_id for d in handlers.assistant.documents() if d.source.startswith(("000_", "001_"))]
    handlers.assistant.store.set_story_ids({doc_id: "story-test" for doc_id in pair})
    handlers.assistant.retriever.invalidate()
    assert "story-test" in handlers.library()[3]
    html_b, _, brief_b = handlers.brief([], "story-test", "", "fr", "en")
    assert brief_b.langs == ["fr", "en"] and "<th>French</th><th>English</th>" in html_b
    with pytest.raises(InputError, match="nothing to brief"):
        handlers.brief([], None, "  ", "en", "source")


def test_without_a_download_folder_briefs_go_to_a_private_one_removed_with_the_handlers(tmp_path):
    import gc

    from tests.generation.test_brief import restate

    handlers, _ = make(tmp_path, restate())
    handlers = AppHandlers(handlers.assistant)  # no folder given: the app's own default
    assert handlers._download_dir is None  # nothing made in /tmp until a brief is exported
    _, path, _ = handlers.brief([next(l for l in handlers.library()[2] if GERMAN in l)], None, "", "en", "source")
    folder = handlers.download_dir
    assert path.is_file() and folder in path.parents and folder.name.startswith("assistant-briefs-")
    del handlers
    gc.collect()
    assert not folder.exists()


def test_upload_names_each_bad_file_keeps_the_rest_and_remove_updates_the_library(tmp_path):
    handlers, _ = make(tmp_path, ["x [1]."])
    good = tmp_path / "good.md"
    good.write_text("# Ports\n\nThe port of Hamburg handled more containers in 2024 than the year before.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "image.pdf"
    binary.write_bytes(b"\x00\x01\x02 not a pdf")
    before = handlers.library()[0]
    progress: list[tuple[float, str]] = []
    message, report = handlers.upload([good, empty, binary], progress=lambda f, d: progress.append((f, d)))
    assert "added 1" in message and "failed 2" in message
    assert "failed: empty.txt:" in message and "failed: image.pdf:" in message
    assert progress and progress[-1][0] == pytest.approx(1.0)
    rows, _, labels, _, _ = handlers.library()
    assert len(rows) == len(before) + 1 and any(row[1] == "good.md" for row in rows)
    label = next(label for label in labels if "good.md" in label)
    assert handlers.remove(label).startswith("removed good.md")
    assert len(handlers.library()[0]) == len(before)
    with pytest.raises(InputError):
        handlers.upload([])
    with pytest.raises(InputError):
        handlers.remove(None)


def test_uploads_are_bounded_typed_files_and_nothing_is_stored_when_refused(tmp_path):
    handlers, _ = make(tmp_path, ["x [1]."], max_upload_files=2)
    files = []
    for i in range(3):
        path = tmp_path / f"note{i}.txt"
        path.write_text(f"Note {i}: the council of Lyon approved tram line {i} on Monday after a long debate.", encoding="utf-8")
        files.append(path)
    before = handlers.library()[0]
    for call in (handlers.upload, handlers.api_ingest):
        with pytest.raises(InputError, match="3 files in one upload, over the limit of 2"):
            call(files)
        with pytest.raises(InputError, match="a folder, not a file"):
            call([tmp_path])
    assert handlers.library()[0] == before
    script = tmp_path / "run.sh"
    script.write_text("rm -rf / # the minister said nothing of the kind, " * 3, encoding="utf-8")
    message, _ = handlers.upload([script, files[0]])
    assert "failed: run.sh: unsupported file type .sh" in message and "added 1" in message


def test_api_functions_return_the_cli_json_shapes(tmp_path):
    handlers, _ = make(tmp_path, copy_source(1))
    answer = handlers.api_ask("Who visited Korea?")
    assert {"question", "answer_lang", "answer", "answerable", "sentences", "sources", "model", "timings"} <= set(answer)
    assert set(answer["timings"]) == {"retrieve", "judge", "translate", "first_token", "first_answer", "total"}
    extra = tmp_path / "extra.txt"
    extra.write_text("Extra news\n\nThe city council of Lyon approved a new tram line on Monday.\n", encoding="utf-8")
    report = handlers.api_ingest([str(extra)])
    assert [(r["file"], r["status"]) for r in report["results"]] == [("extra.txt", "added")]


def test_a_model_that_fails_mid_answer_reaches_the_user_as_a_message_and_frees_the_queue(tmp_path):
    from assistant.errors import ModelError

    def crash(messages):
        raise ModelError("the model failed while generating: out of memory", hint="try another model")

    handlers, _ = make(tmp_path, crash)
    chat = handlers.chat("Who visited Korea?", [])
    first = next(chat)
    assert first.status.startswith("Searching")
    with pytest.raises(ModelError) as caught:
        list(chat)
    assert describe(caught.value) == "the model failed while generating: out of memory (hint: try another model)"
    assert handlers.assistant.queue.pending == 0
    # The app keeps serving: the next question works once the model does.
    handlers.assistant.model.inner.replies = copy_source(1)
    assert list(handlers.chat("Who visited Korea?", []))[-1].status.startswith("Done")


def test_verified_sentences_are_shown_as_the_answer_while_the_rest_is_written(tmp_path):
    from assistant.models import AnswerSentence
    from assistant.ui import render

    sentence = AnswerSentence(text="Da Nang has 37 IT schools.", citations=[1], supported=True)
    html = render.draft_html("Da Nang has 37 IT schools [1]. It has", "Writing…", [sentence])
    assert "<p class='verified'>Da Nang has 37 IT schools." in html and "<details class='draft'>" in html
    assert "<p class='draft'>" in render.draft_html("Da Nang", "Writing…")  # nothing verified yet: the draft


def test_a_source_card_shows_the_translated_sentence_before_a_pronoun_beside_its_translation():
    from assistant.models import Source

    passage = "Die Börse wurde 1817 gegründet. Sie wurde 1991 wiederbelebt."
    source = Source(n=1, doc_id="d", source="s", title="t", lang="de", chunk_id="d-0", quote=passage[32:],
                    start=32, end=len(passage), passage=passage, translation="It was revived in 1991.",
                    translation_lang="en", context="The exchange was founded in 1817.", context_lang="en")
    card = render.source_card(source, 0)
    assert "<span class='context'" in card and card.index("The exchange was founded") < card.index("It was revived")
    # read in German, the sentence before is already in the passage the card shows
    german = source.model_copy(update={"context": passage[:31], "context_lang": "de"})
    assert "<span class='context'" not in render.source_card(german, 0)


def test_the_library_tab_says_how_far_translation_ahead_of_questions_has_come(tmp_path):
    handlers, _ = make(tmp_path, ["unused"])
    assistant = handlers.assistant
    assert "Sentence translations cached for answers: 0" in handlers.translation_status()
    assistant.pretranslation.update(done=3, total=10)
    assert "3 of 10 sentences" in handlers.translation_status() and "English" in handlers.translation_status()


def test_pages_and_feeds_are_added_from_the_library_tab_and_refreshed_on_a_timer(tmp_path):
    from assistant.ui.background import refresh_feeds_periodically
    from tests.support.web_server import fixture_web

    handlers, _ = make(tmp_path, ["x [1]."], fetch_delay=0, feed_interval=1)
    assistant = handlers.assistant
    before = len(assistant.documents())
    with fixture_web() as web:
        web.feed_pages = ["en-amazon"]
        message = handlers.add_web(f"{web.base_url}/de-yuan.html")
        assert message == "added 1, unchanged 0, replaced 0, failed 0"
        message = handlers.add_web(f"{web.base_url}/missing")
        assert message.startswith("added 0") and f"failed: {web.base_url}/missing: HTTP 404" in message
        message = handlers.add_web(f"{web.base_url}/feed.rss", subscribe=True)
        assert message.startswith("subscribed to Fixture News: 1 entries; added 1")
        [row] = handlers.feeds()
        assert row[:3] == [f"{web.base_url}/feed.rss", "Fixture News", 1] and row[4] == ""
        assert len(assistant.documents()) == before + 2
        for bad, reason in (("", "paste the address"), ("seeds/000.txt", "not a web address")):
            with pytest.raises(InputError, match=reason):
                handlers.add_web(bad)

        assert "last refresh: not yet" in handlers.feed_status()
        web.feed_pages = ["en-amazon", "vi-seed"]
        stop = threading.Event()
        worker = threading.Thread(target=refresh_feeds_periodically, args=(assistant, stop, 0.05), daemon=True)
        worker.start()
        deadline = time.monotonic() + 20
        while assistant.feed_refresh["last"] is None and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()
        worker.join(timeout=5)
        assert assistant.feed_refresh["outcome"] == "1 feeds, 1 new documents"
        assert "every 1 min; last refresh: 20" in handlers.feed_status()
        assert len(assistant.documents()) == before + 3
    assert handlers.unsubscribe(f"{web.base_url}/feed.rss").startswith("unsubscribed")
    assert handlers.feeds() == []


def test_chats_are_saved_and_can_be_reopened_renamed_exported_and_deleted_per_user(tmp_path):
    def reply(messages):  # the follow-up's rewrite, else an answer copying source 2
        if "Standalone question:" in messages[-1].content:
            return "What did the minister say about training?"
        return copy_source(2)(messages)

    handlers, _ = make(tmp_path, reply)
    first = list(handlers.chat("What did the minister say about Korea?", [], user="ana"))[-1]
    assert first.conversation_id
    second = list(handlers.chat("And about training?", first.turns, conversation_id=first.conversation_id, user="ana"))[-1]
    assert second.conversation_id == first.conversation_id
    [(label, conversation_id)] = handlers.conversations("ana")
    assert conversation_id == first.conversation_id and label.startswith("What did the minister say about Korea? · 2 turns")
    assert handlers.conversations("ben") == []  # another user sees nothing of it
    with pytest.raises(Exception, match="no conversation"):
        handlers.open_conversation(conversation_id, "ben")

    fresh = handlers.clear()
    third = list(handlers.chat("What did the minister say about Korea?", fresh.turns, conversation_id=fresh.conversation_id, user="ana"))[-1]
    assert third.conversation_id != first.conversation_id
    names = [label.split(" · ")[0] for label, _ in handlers.conversations("ana")]
    assert sorted(names) == ["What did the minister say about Korea?", "What did the minister say about Korea? (2)"]

    reopened = handlers.open_conversation(first.conversation_id, "ana")
    assert [q for q, _ in reopened.turns] == ["What did the minister say about Korea?", "And about training?"]
    assert reopened.messages == second.messages and reopened.conversation_id == first.conversation_id
    assert handlers.rename_conversation(first.conversation_id, "Korea visit", "ana") == "Renamed to “Korea visit”."
    path = handlers.export_conversation("Korea visit", "md", "ana")
    text = path.read_text(encoding="utf-8")
    assert path.suffix == ".md" and text.startswith("# Korea visit") and "## 2. And about training?" in text
    assert handlers.export_conversation("Korea visit", "json", "ana").suffix == ".json"
    assert handlers.delete_conversation("Korea visit", "ana").startswith("Deleted “Korea visit” (2 turn(s))")
    assert len(handlers.conversations("ana")) == 1
    for call in (handlers.open_conversation, handlers.delete_conversation):
        with pytest.raises(InputError):
            call(None, "ana")


def test_a_timeline_of_the_library_and_of_a_story_as_html(tmp_path):
    handlers, _ = make(tmp_path, ["x [1]."])
    html = handlers.timeline("", "", "en")
    assert html.count("<tr>") == 1 + 5 and "Timeline of the library" in html
    import re

    dates = [d.replace("&#45;", "-") for d in re.findall(r"<tr><td>([^<]*)</td>", html)]
    assert dates == ["2018-03-22", "2024-08", "2024-08-04", "undated", "undated"]  # dated in order, then undated
    story = handlers.assistant.documents()[0].story_id
    assert "Timeline of story" in handlers.timeline(story, "", "en")
    with pytest.raises(InputError, match="not both"):
        handlers.timeline(story, "ports", "en")


def test_search_with_filters_then_read_a_document_and_ask_only_about_it(tmp_path):
    handlers, model = make(tmp_path, copy_source(1))
    html, labels = handlers.search("Da Nang IT training establishments", ["fr"])
    assert "<mark>" in html and labels and all("(fr)" in label for label in labels)
    assert "004_9162929b01fb154b.txt" in labels[0]
    reader = handlers.read(labels[0])
    assert "Technologies de l" in reader and "<table" not in reader
    with pytest.raises(InputError):
        handlers.search("  ")
    with pytest.raises(InputError):
        handlers.read(None)
    story = handlers.story_of(labels[0])
    assert story in handlers.all_stories()
    # A question limited to that document: every source comes from it.
    final = list(handlers.chat("How many IT training establishments does Da Nang have?", [], scope_doc=labels[0]))[-1]
    answer = final.turns[-1][1]
    assert answer.sources and {s.source for s in answer.sources} == {"004_9162929b01fb154b.txt"}
    final = list(handlers.chat("What did the minister say?", [], scope_story=story))[-1]
    assert {s.source for s in final.turns[-1][1].sources} <= {"004_9162929b01fb154b.txt"}


def test_an_answer_shows_the_sentence_before_a_source_sentence_that_opens_with_a_pronoun():
    from assistant.models import Answer, AnswerSentence

    sentence = AnswerSentence(
        text="It was revived in 1991.", citations=[1], supported=True, kind="translation", lang="en",
        original="Sie wurde 1991 wiederbelebt.", original_lang="de",
        context="The exchange was founded in 1817.", context_original="Die Börse wurde 1817 gegründet.",
    )
    answer = Answer(question="q", answer_lang="en", answer="", answerable=True, model="m", sentences=[sentence])
    html = render.answer_html(answer, 0)
    assert html.index("The exchange was founded") < html.index("It was revived")  # who "it" is, first
    assert html.index("Die Börse wurde 1817") < html.index("Sie wurde 1991")  # and so in the original beside it
