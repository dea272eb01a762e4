"""The command line: exit codes, messages, JSON shapes (hashed embedder, real Chroma)."""

import json
from pathlib import Path

import pytest

from assistant.cli import main


@pytest.fixture
def env(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    return tmp_path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_docs_search_stories_remove(env, capsys, seed_copy):
    code, out, _ = run(capsys, "ingest", "-q", str(seed_copy))
    assert code == 0 and "added 5, unchanged 0, replaced 0, failed 0" in out
    code, out, _ = run(capsys, "ingest", "-q", "--if-empty", str(seed_copy))
    assert code == 0 and "nothing to do" in out
    code, out, _ = run(capsys, "docs", "--json")
    docs = json.loads(out)
    assert code == 0 and len(docs) == 5 and {d["lang"] for d in docs} == {"id", "de", "vi", "en", "fr"}
    code, out, _ = run(capsys, "search", "Seoul Cyber University", "-k", "2", "--lang", "en", "--json")
    assert code == 0 and json.loads(out)[0]["source"] == "003_e10467ce33407679.txt"
    code, out, _ = run(capsys, "stories", "--json")
    assert code == 0 and all({"story_id", "sources", "langs"} <= set(s) for s in json.loads(out))
    code, out, _ = run(capsys, "remove", "003_e10467ce33407679.txt")
    assert code == 0 and "removed" in out
    code, _, err = run(capsys, "remove", "003_e10467ce33407679.txt")
    assert code == 5 and "no document" in err and "hint:" in err


def test_bad_files_give_one_line_each_and_a_nonzero_exit(env, capsys, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "x.exe").write_bytes(b"MZ")
    code, out, _ = run(capsys, "ingest", "-q", str(tmp_path / "empty.txt"), str(tmp_path / "x.exe"), str(tmp_path / "gone.md"))
    assert code == 3
    failures = [line for line in out.splitlines() if line.startswith("failed")]
    assert len(failures) == 3
    assert "failed 3" in out
    code, out, _ = run(capsys, "docs", "--json")
    assert json.loads(out) == []


def test_bad_settings_and_filters_are_clear(env, capsys, monkeypatch):
    monkeypatch.setenv("ASSISTANT_CHUNK_TOKENS", "5")
    code, _, err = run(capsys, "docs")
    assert code == 2 and "ASSISTANT_CHUNK_TOKENS" in err
    monkeypatch.delenv("ASSISTANT_CHUNK_TOKENS")
    code, _, err = run(capsys, "search", "x", "--from", "2024-13")
    assert code == 3 and "error:" in err


def test_unreachable_chroma_server_is_a_clear_error(env, capsys, monkeypatch):
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", "http://127.0.0.1:9")
    code, _, err = run(capsys, "docs")
    assert code == 4 and "cannot reach the Chroma server" in err and "chroma run" in err


def test_config_lists_every_setting(env, capsys):
    code, out, _ = run(capsys, "config", "--json")
    names = {row["variable"] for row in json.loads(out)}
    assert code == 0 and {"ASSISTANT_STORE_DIR", "ASSISTANT_EMBEDDER", "ASSISTANT_CHUNK_TOKENS"} <= names


def test_pages_feeds_and_show_from_the_command_line(env, capsys, monkeypatch):
    from tests.support.web_server import fixture_web

    monkeypatch.setenv("ASSISTANT_FETCH_DELAY", "0")
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(env / "data"))
    with fixture_web() as web:
        web.feed_pages = ["en-seed", "fr-seed"]
        code, out, _ = run(capsys, "ingest", "-q", f"{web.base_url}/de-seed.html", f"{web.base_url}/missing")
        assert code == 3 and "added 1" in out and f"failed  {web.base_url}/missing: HTTP 404" in out
        code, out, _ = run(capsys, "docs", "--json")
        [doc] = json.loads(out)
        assert (doc["url"], doc["site"], doc["author"], doc["date"]) == (f"{web.base_url}/de-seed.html", "Rheinische Tagespost", "Jonas Weber", "2024-05-10")
        code, out, _ = run(capsys, "show", doc["doc_id"], "--json")
        shown = json.loads(out)
        assert code == 0 and {k: shown[k] for k in doc} == doc and "Botschafter" in shown["text"]
        code, out, _ = run(capsys, "show", doc["source"])
        assert code == 0 and "site: Rheinische Tagespost" in out and "Botschafter" in out

        code, out, _ = run(capsys, "feeds", "add", f"{web.base_url}/feed.rss")
        assert code == 0 and "2 new entries; added 2" in out
        code, out, _ = run(capsys, "feeds", "list", "--json")
        [sub] = json.loads(out)
        assert sub["url"] == f"{web.base_url}/feed.rss" and sub["entries"] == 2 and sub["title"] == "Fixture News"
        assert set(sub) == {"url", "title", "entries", "last_refresh", "last_error"}
        assert (env / "data" / "feeds.json").exists()
        code, out, _ = run(capsys, "feeds", "refresh")
        assert code == 0 and "not modified" in out
        code, out, _ = run(capsys, "feeds", "remove", f"{web.base_url}/feed.rss")
        assert code == 0 and "unsubscribed" in out
        code, _, err = run(capsys, "feeds", "refresh", f"{web.base_url}/feed.rss")
        assert code == 5 and "not subscribed" in err
        code, _, err = run(capsys, "feeds", "add", f"{web.base_url}/de-seed.html")
        assert code == 3 and "not an RSS or Atom feed" in err


def test_ask_shows_the_leading_source_before_the_draft(env, capsys, seed_copy, monkeypatch):
    """The verified lead reaches the terminal before the model writes; the answer follows on stdout."""
    from assistant.backends.embedder import HashingEmbedder
    from assistant.backends.fake_chat import FakeChatModel
    from assistant.cli import common
    from assistant.service import NewsAssistant

    assert run(capsys, "ingest", "-q", str(seed_copy))[0] == 0
    model = FakeChatModel(replies=lambda messages: "Da Nang has 37 establishments offering IT training [1].")
    monkeypatch.setattr(common, "open_assistant", lambda settings: NewsAssistant(
        settings.model_copy(update={"translate_evidence": 0, "min_relevance": 0.0, "support_threshold": 0.5}),
        embedder=HashingEmbedder(), model=model))
    # asked for a French answer: the best source, a French sentence, is readable as it is and leads
    code, out, err = run(capsys, "ask", "How many IT training establishments does Da Nang have?", "--answer-lang", "fr")
    assert code == 0 and "Answer" in out and "Sources" in out
    lead = err.index("verified:")
    assert lead < err.index("draft (checking citations next):")  # shown before the model wrote a token
    shown = " ".join(err[lead : err.index("draft")].split())
    # shown as the answer will show it: a quote in the answer's language, in quotation marks, unlabelled
    assert "37 établissements" in shown and "” [1]" in shown and "(French)" not in shown


def test_the_source_list_shows_the_sentence_before_a_pronoun_the_check_read():
    from rich.console import Console

    from assistant.cli.reading import print_answer
    from assistant.models import Answer, AnswerSentence, Source

    source = Source(n=1, doc_id="d", source="s", title="t", lang="de", chunk_id="d-0", quote="Sie wurde 1991 wiederbelebt.",
                    start=32, end=60, translation="It was revived in 1991.", translation_lang="en",
                    context="The exchange was founded in 1817.", context_lang="en")
    sentence = AnswerSentence(text="The exchange was revived in 1991.", citations=[1], supported=True, lang="en")
    answer = Answer(question="q", answer_lang="en", answer=sentence.text, answerable=True, sentences=[sentence],
                    sources=[source], model="m")
    console = Console(record=True, width=200)
    print_answer(answer, console)
    lines = console.export_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "It was revived in 1991." in line)
    assert "(the sentence before, en: “The exchange was founded in 1817.”)" in lines[at + 1]


def test_translate_drafts_refused_sentences_again_only_with_retry_refused(env, capsys, monkeypatch):
    from assistant.backends.embedder import HashingEmbedder
    from assistant.backends.fake_chat import FakeChatModel
    from assistant.cli import common
    from assistant.service import NewsAssistant
    from tests.support.paths import SEEDS

    assert run(capsys, "ingest", "-q", str(SEEDS / "004_9162929b01fb154b.txt"))[0] == 0
    model = FakeChatModel(replies=lambda messages: messages[-1].content)  # "translates" by copying: refused
    monkeypatch.setattr(common, "open_assistant", lambda settings: NewsAssistant(settings, embedder=HashingEmbedder(), model=model))
    code, out, err = run(capsys, "translate", "--lang", "en")
    assert code == 0 and "translated" in out
    n = len(model.prompts)
    code, out, _ = run(capsys, "translate", "--lang", "en")
    assert code == 0 and "already has a cached translation" in out and "--retry-refused" in out and len(model.prompts) == n
    code, out, err = run(capsys, "translate", "--lang", "en", "--retry-refused")
    assert code == 0 and "refused before" in err and len(model.prompts) > n
