"""A real HTTP server on a free loopback port serving the fixture news pages and feeds of tests/fixtures/web.

Routes:
  /<name>.html            a fixture page (labels.json describes each)
  /mirror/<name>.html     the same page without its canonical link (a re-publication at another URL)
  /feed.rss, /feed.atom   feeds over the pages listed in ``server.feed_pages`` (a test may append to it);
                          answered 304 when If-None-Match matches the body's ETag
  /broken-feed.rss        a feed one of whose entries links to a missing page
  /malformed.rss          not a feed at all (truncated XML)
  /redirect/<n>           n redirects, then /en-amazon.html
  /loop                   redirects to itself
  /missing                404
  /slow                   answers after ``server.slow_seconds``
  /huge                   a body of ``server.huge_bytes`` (streamed, no Content-Length)
  /image                  a PNG (wrong content type for a page)
  /paywall.html           a page with a teaser and a subscription wall
  /private/…              disallowed by robots.txt
  /generated/<n>.html     page n of many (an XQuAD English paragraph in a small news layout), for the benchmark
  /feed-<n>.rss           a feed of the first n generated pages
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "web"
XQUAD_PARAGRAPHS = FIXTURES.parents[2] / "eval" / "xquad" / "xquad.paragraphs.jsonl"
LABELS = json.loads((FIXTURES / "labels.json").read_text(encoding="utf-8"))
PAGES = [label["name"] for label in LABELS]

PAYWALL = """<!DOCTYPE html><html><head><title>Exclusive: the deal behind the deal</title></head><body>
<div class="nav"><a href="/">Home</a> <a href="/world">World</a></div>
<div class="teaser"><h1>Exclusive: the deal behind the deal</h1><p>Officials met twice in secret.</p></div>
<div class="wall">Subscribe to keep reading. Already a subscriber? Log in.</div>
<script>renderArticle()</script></body></html>"""


def generated_page(n: int) -> bytes:
    """A small news page around the n-th and next English XQuAD paragraphs (distinct text for each n < 240)."""
    rows = [r for r in (json.loads(line) for line in XQUAD_PARAGRAPHS.open(encoding="utf-8")) if r["lang"] == "en"]
    row, following = rows[n % 240], rows[(n + 1) % 240]
    title = row["title"].replace("_", " ") + f" (report {n})"
    paragraphs = "".join(f"<p>{p}</p>" for p in (row["context"], following["context"]))
    return (
        f'<!DOCTYPE html><html><head><title>{title}</title><meta property="article:published_time" content="2024-03-{n % 28 + 1:02d}">'
        f'</head><body><div class="nav"><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></div>'
        f'<div class="story"><h1>{title}</h1><div class="text">{paragraphs}</div></div>'
        f'<div class="footer">© 2024 Fixture News · Privacy · Contact</div></body></html>'
    ).encode("utf-8")


class FixtureWeb:
    """State of the fixture site; the handler reads it on every request."""

    def __init__(self) -> None:
        self.feed_pages: list[str] = [p for p in PAGES if p != "en-plague-copy"][:6]
        self.slow_seconds = 3.0
        self.huge_bytes = 3 * 2**20
        self.requests: list[str] = []
        self.base_url = ""

    def rss(self, pages: list[str], broken: bool = False) -> bytes:
        items = []
        for name in pages:
            label = next(lbl for lbl in LABELS if lbl["name"] == name)
            stamp = format_datetime(datetime.fromisoformat(label["date"]).replace(hour=9, tzinfo=timezone.utc))
            items.append(
                f"<item><title>{label['title']}</title><link>{self.base_url}/{name}.html</link>"
                f"<guid isPermaLink=\"false\">fixture-{name}</guid><pubDate>{stamp}</pubDate>"
                f"<description>{label['title']}</description></item>"
            )
        if broken:
            items.append(f"<item><title>Gone</title><link>{self.base_url}/missing</link><guid>fixture-gone</guid></item>")
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Fixture News</title>'
            f"<link>{self.base_url}/</link><description>Fixture feed</description>{''.join(items)}</channel></rss>"
        ).encode("utf-8")

    def generated_rss(self, n: int) -> bytes:
        items = "".join(
            f"<item><title>Report {i}</title><link>{self.base_url}/generated/{i}.html</link><guid>gen-{i}</guid></item>"
            for i in range(n)
        )
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Generated</title>{items}</channel></rss>').encode("utf-8")

    def atom(self, pages: list[str]) -> bytes:
        entries = []
        for name in pages:
            label = next(lbl for lbl in LABELS if lbl["name"] == name)
            entries.append(
                f"<entry><title>{label['title']}</title><link href=\"{self.base_url}/{name}.html\"/>"
                f"<id>urn:fixture:{name}</id><updated>{label['date']}T09:00:00Z</updated></entry>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Fixture Atom</title>'
            f"<id>urn:fixture</id><updated>2024-01-01T00:00:00Z</updated>{''.join(entries)}</feed>"
        ).encode("utf-8")


def _handler(web: FixtureWeb):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body as they are written (no 40 ms delayed-ACK stall)

        def log_message(self, *args) -> None:  # quiet
            pass

        def send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", headers=None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def redirect(self, location: str) -> None:
            self.send(302, b"", headers={"Location": location})

        def feed(self, body: bytes, content_type: str) -> None:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send(304, b"", headers={"ETag": etag})
                return
            self.send(200, body, content_type, {"ETag": etag})

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            path = self.path.split("?")[0]
            web.requests.append(path)
            if path == "/robots.txt":
                self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            elif path.startswith("/mirror/") and path.endswith(".html"):
                page = FIXTURES / path.removeprefix("/mirror/")
                html = page.read_text(encoding="utf-8")
                html = "\n".join(line for line in html.split("\n") if 'rel="canonical"' not in line)
                self.send(200, html.encode("utf-8"))
            elif path.endswith(".html") and (FIXTURES / path.lstrip("/")).exists() and "/" not in path.lstrip("/"):
                self.send(200, (FIXTURES / path.lstrip("/")).read_bytes())
            elif path == "/feed.rss":
                self.feed(web.rss(web.feed_pages), "application/rss+xml")
            elif path == "/feed.atom":
                self.feed(web.atom(web.feed_pages), "application/atom+xml; charset=utf-8")
            elif path == "/broken-feed.rss":
                self.feed(web.rss(web.feed_pages[:2], broken=True), "application/rss+xml")
            elif path == "/malformed.rss":
                self.send(200, b"<?xml version='1.0'?><rss><channel><title>Cut off", "application/rss+xml")
            elif path.startswith("/generated/") and path.endswith(".html"):
                self.send(200, generated_page(int(path.rsplit("/", 1)[1].removesuffix(".html"))))
            elif path.startswith("/feed-") and path.endswith(".rss"):
                self.feed(web.generated_rss(int(path.removeprefix("/feed-").removesuffix(".rss"))), "application/rss+xml")
            elif path.startswith("/redirect/"):
                n = int(path.rsplit("/", 1)[1])
                self.redirect(f"/redirect/{n - 1}" if n > 1 else "/en-amazon.html")
            elif path == "/loop":
                self.redirect("/loop")
            elif path == "/slow":
                time.sleep(web.slow_seconds)
                self.send(200, (FIXTURES / "en-amazon.html").read_bytes())
            elif path == "/huge":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b"<p>" + b"filler text " * 1000 + b"</p>\n"
                sent = 0
                with contextlib.suppress(OSError):
                    while sent < web.huge_bytes:
                        self.wfile.write(chunk)
                        sent += len(chunk)
                self.close_connection = True
            elif path == "/image":
                self.send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
            elif path == "/paywall.html":
                self.send(200, PAYWALL.encode("utf-8"))
            elif path.startswith("/private/"):
                self.send(200, (FIXTURES / "en-amazon.html").read_bytes())
            else:
                self.send(404, b"<h1>Not found</h1>")

    return Handler


@contextlib.contextmanager
def fixture_web() -> Iterator[FixtureWeb]:
    """Serve the fixture site on a free loopback port for the duration of the block."""
    web = FixtureWeb()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(web))
    server.daemon_threads = True
    web.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield web
    finally:
        server.shutdown()
        server.server_close()
