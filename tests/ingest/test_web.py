"""Web pages and feeds against a real HTTP server on loopback serving fixture news pages (tests/fixtures/web)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.backends.embedder import HashingEmbedder
from assistant.backends.fetcher import Fetcher
from assistant.config import Settings
from assistant.errors import InputError
from assistant.service import NewsAssistant
from tests.support.web_server import LABELS, PAGES, fixture_web


@pytest.fixture(scope="module")
def web():
    with fixture_web() as site:
        yield site


def make(tmp_path: Path, **overrides) -> NewsAssistant:
    settings = Settings(
        store_dir=tmp_path / "store", embedder="hash", translate_queries="", translate_evidence=0,
        fetch_delay=0, fetch_timeout=1.0, max_file_mb=1, **overrides,
    )
    return NewsAssistant(settings, embedder=HashingEmbedder())


@pytest.fixture
def assistant(tmp_path: Path) -> NewsAssistant:
    return make(tmp_path)


def _stored_texts(assistant: NewsAssistant) -> dict[str, str]:
    return {d.source: assistant.store.get_document(d.doc_id).text for d in assistant.documents()}


def test_every_fixture_page_is_stored_with_its_article_its_metadata_and_none_of_its_clutter(web, assistant):
    report = assistant.ingest([f"{web.base_url}/{name}.html" for name in PAGES])
    assert report.count("added") == len(PAGES) == 13, [r.error for r in report.failed]
    docs = {d.source: d for d in assistant.documents()}
    texts = _stored_texts(assistant)
    for label in LABELS:
        source = f"{web.base_url}/{label['name']}.html"
        doc = docs[source]
        assert (doc.url, doc.date, doc.author, doc.site, doc.lang) == (source, label["date"], label["author"], label["site"], label["lang"]), label["name"]
        assert doc.title == label["title"]
        lines = set(texts[source].split("\n"))
        for paragraph in label["article"]:
            assert " ".join(paragraph.split()) in texts[source], (label["name"], paragraph[:60])
        # Clutter lines (menus, banners, teasers, comments, footers) are not lines of the stored text; a
        # "follow us" line written as a paragraph of the article is the one kind that gets through.
        leaked = lines & set(label["clutter"])
        assert len(leaked) <= 1 and not any("Telegram" not in line for line in leaked), (label["name"], leaked)


def test_reingesting_adds_nothing_and_the_same_text_at_another_url_is_recorded_beside_it(web, assistant):
    first = assistant.ingest([f"{web.base_url}/en-amazon.html", f"{web.base_url}/de-seed.html"])
    assert first.count("added") == 2
    again = assistant.ingest([f"{web.base_url}/en-amazon.html", f"{web.base_url}/de-seed.html"])
    assert [r.status for r in again.results] == ["unchanged", "unchanged"]
    mirror = assistant.ingest([f"{web.base_url}/mirror/en-amazon.html"])
    assert [r.status for r in mirror.results] == ["republished"]
    assert len(assistant.documents()) == 2
    doc = assistant.document(f"{web.base_url}/en-amazon.html")
    assert doc.also_published_at == [f"{web.base_url}/mirror/en-amazon.html"]
    assert assistant.ingest([f"{web.base_url}/mirror/en-amazon.html"]).results[0].status == "unchanged"


def test_redirects_are_followed_and_the_page_is_named_by_its_canonical_url(web, assistant):
    report = assistant.ingest([f"{web.base_url}/redirect/3"])
    assert report.count("added") == 1, report.failed
    assert [d.source for d in assistant.documents()] == [f"{web.base_url}/en-amazon.html"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP 404"),
        ("/loop", "more than 5 redirects"),
        ("/slow", "timeout"),
        ("/huge", "over the 1.0 MiB limit"),
        ("/image", "not a web page or a feed (content type image/png)"),
        ("/paywall.html", "almost no article text"),
        ("/malformed.rss", "malformed feed"),
        ("/private/page.html", "robots.txt does not allow"),
    ],
)
def test_bad_urls_fail_with_a_one_line_reason_and_leave_the_store_as_it_was(web, assistant, path, reason):
    assistant.ingest([f"{web.base_url}/en-seed.html"])
    before = assistant.documents()
    report = assistant.ingest([web.base_url + path])
    assert [r.status for r in report.results] == ["failed"]
    error = report.results[0].error
    assert reason in error and (web.base_url + path) in error and "\n" not in error
    assert assistant.documents() == before


def test_robots_txt_can_be_ignored_when_the_user_says_so(web, tmp_path):
    assistant = make(tmp_path, respect_robots=False)
    assert assistant.ingest([f"{web.base_url}/private/page.html"]).count("added") == 1


def test_only_http_and_https_are_fetched():
    fetcher = Fetcher(max_bytes=2**20, delay=0)
    for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://x"):
        with pytest.raises(InputError, match="only http and https"):
            fetcher.fetch(url)


def test_private_addresses_are_refused_when_serving_beyond_loopback(web, tmp_path):
    settings = Settings(store_dir=tmp_path / "s", fetch_delay=0)
    public = Fetcher.from_settings(settings, serving_host="0.0.0.0")
    with pytest.raises(InputError, match=r"non-public address \(127\.0\.0\.1\)"):
        public.fetch(f"{web.base_url}/en-seed.html")
    with pytest.raises(InputError, match="non-public address"):
        public.fetch(f"http://localhost:{web.base_url.rsplit(':', 1)[1]}/en-seed.html")
    # Loopback serving, the CLI, or an explicit setting allow them.
    assert Fetcher.from_settings(settings, serving_host="127.0.0.1").fetch(f"{web.base_url}/en-seed.html").status == 200
    assert Fetcher.from_settings(settings).fetch(f"{web.base_url}/en-seed.html").status == 200
    allowed = Settings(store_dir=tmp_path / "s", fetch_delay=0, fetch_private=True)
    assert Fetcher.from_settings(allowed, serving_host="0.0.0.0").fetch(f"{web.base_url}/en-seed.html").status == 200


def test_requests_to_one_site_keep_the_configured_delay(web):
    import time

    fetcher = Fetcher(max_bytes=2**20, delay=0.4, respect_robots=False)
    started = time.monotonic()
    for _ in range(3):
        fetcher.fetch(f"{web.base_url}/en-seed.html")
    assert time.monotonic() - started >= 0.8


def test_a_feed_url_ingests_its_entries_and_a_refresh_fetches_only_what_is_new(web, assistant):
    web.feed_pages = [p for p in PAGES if p != "en-plague-copy"][:4]
    report = assistant.ingest([f"{web.base_url}/feed.rss"])
    assert report.count("added") == 4 and not report.failed
    assert assistant.ingest([f"{web.base_url}/feed.rss"]).count("added") == 0

    first = assistant.subscribe(f"{web.base_url}/feed.atom")
    assert first.new_entries == 4 and [r.status for r in first.results] == ["unchanged"] * 4
    [sub] = assistant.feeds.book.list()
    assert sub.public() == {"url": f"{web.base_url}/feed.atom", "title": "Fixture Atom", "entries": 4,
                            "last_refresh": sub.last_refresh, "last_error": None}

    [nothing] = assistant.refresh_feeds()
    assert nothing.not_modified and nothing.results == []  # the server answered 304 to the ETag

    web.feed_pages = web.feed_pages + ["fr-museveni"]
    fetched_before = len(web.requests)
    [refresh] = assistant.refresh_feeds()
    assert refresh.new_entries == 1 and [r.status for r in refresh.results] == ["added"]
    page_requests = [p for p in web.requests[fetched_before:] if p.endswith(".html")]
    assert page_requests == ["/fr-museveni.html"]  # the entries seen before were not fetched again
    assert assistant.feeds.book.list()[0].entries == 5
    doc = assistant.document(f"{web.base_url}/fr-museveni.html")
    assert doc.lang == "fr" and doc.date == "2021-01-18"


def test_a_broken_entry_is_listed_and_the_others_are_ingested(web, assistant):
    web.feed_pages = [p for p in PAGES if p != "en-plague-copy"][:4]
    report = assistant.subscribe(f"{web.base_url}/broken-feed.rss")
    assert [r.status for r in report.results] == ["added", "added", "failed"]
    assert "/missing: HTTP 404" in report.failed[0].error
    assert len(assistant.documents()) == 2
    [sub] = assistant.feeds.book.list()
    assert sub.entries == 2 and "1 of 3 new entries failed" in sub.last_error
    # The failed entry is tried again at the next refresh (the feed itself has not changed: 304).
    assert assistant.refresh_feeds()[0].not_modified


def test_a_feed_file_on_disk_ingests_the_pages_it_lists(web, assistant, tmp_path):
    feed = tmp_path / "saved.atom"
    feed.write_bytes(web.atom(["vi-seed", "id-seed"]))
    report = assistant.ingest([feed])
    assert report.count("added") == 2
    assert {d.lang for d in assistant.documents()} == {"vi", "id"}


def test_feed_subscriptions_need_a_feed(web, assistant):
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        assistant.subscribe(f"{web.base_url}/en-seed.html")
    assert assistant.feeds.book.list() == []


def test_wire_copies_form_one_story_and_search_shows_one_copy_naming_the_other_site(web, assistant):
    assistant.ingest([f"{web.base_url}/en-plague.html", f"{web.base_url}/en-plague-copy.html", f"{web.base_url}/en-amazon.html"])
    docs = {d.source.rsplit("/", 1)[1]: d for d in assistant.documents()}
    assert docs["en-plague.html"].story_id == docs["en-plague-copy.html"].story_id
    assert docs["en-amazon.html"].story_id != docs["en-plague.html"].story_id
    hits = assistant.search("plague Black Death spread Europe", k=3)
    plague = [h for h in hits if "plague" in h.source]
    assert len({h.doc_id for h in plague}) == 1
    other = {"en-plague.html": "Morning Herald", "en-plague-copy.html": "Global Wire Service"}[plague[0].source.rsplit("/", 1)[1]]
    assert plague[0].also_published_by == [other]
