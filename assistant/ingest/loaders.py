"""Reading files and fetched bodies into plain text: ``.txt``, ``.md``, ``.html``/``.htm`` and ``.pdf``.

Each loader returns the main text and what the format states about it (title; for pages also author,
date, site and canonical URL). Everything that can go wrong with a user's file (missing, too large, empty,
binary, undecodable, unreadable scan) is an ``InputError`` whose message names the reason in one line.
Nothing here executes content: HTML is parsed, never rendered (scripts and styles are dropped); PDFs are
read for their text layer, and a PDF without one (a scan) is read by OCR (:mod:`assistant.backends.ocr`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from charset_normalizer import from_bytes

from assistant.errors import InputError
from assistant.ingest.pages import MIN_LETTERS, extract_page, letters

SUPPORTED_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".pdf")

# Elements that never hold an article's main text.
_HTML_DROP = (
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "nav", "header", "footer",
    "aside", "form", "button", "select", "object", "embed", "menu",
)
_HTML_BLOCKS = (
    "p", "div", "section", "article", "main", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "tr", "table", "figcaption", "figure", "dd", "dt", "hr",
)


#: Called while a scanned PDF is read: (page done, pages in all).
PageProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class LoadedText:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None


def safe_source_name(name: str, max_chars: int = 200) -> str:
    """A file name fit to store and show: no folders (``../`` and ``..\\`` are dropped), no control or
    bidi-override characters (which can disguise ``gnp.txt`` as ``txt.png``), no leading dots, bounded length.
    Ordinary names ("Đà Nẵng 2024.txt") are unchanged."""
    base = re.split(r"[/\\]", name)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    base = " ".join(base.split()).lstrip(". ")
    if len(base) > max_chars:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: max_chars - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:max_chars]
    return base or "document"


def safe_source_path(relative: str, max_chars: int = 400) -> str:
    """A file's path relative to its folder, fit to store: each part made safe as by
    :func:`safe_source_name`, with ``.`` and ``..`` parts dropped so a name never climbs out of its folder."""
    parts = [p for p in re.split(r"[/\\]", relative) if p not in ("", ".", "..")]
    cleaned = [safe_source_name(p) for p in parts[:-1]] + [safe_source_name(parts[-1] if parts else "")]
    return "/".join(cleaned)[-max_chars:]


def load_file(path: Path, max_bytes: int, *, on_page: PageProgress | None = None, ocr_languages: str = "eng") -> LoadedText:
    """Read one file by its extension. Raises ``InputError`` with a one-line reason."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise InputError(
            f"{path.name}: unsupported file type {ext or '(none)'}",
            hint="supported: " + ", ".join(SUPPORTED_EXTENSIONS),
        )
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path.name}: empty file")
    if size > max_bytes:
        raise InputError(
            f"{path.name}: file is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.1f} MiB limit",
            hint="raise ASSISTANT_MAX_FILE_MB",
        )
    return load_bytes(path.name, path.read_bytes(), ext, on_page=on_page, ocr_languages=ocr_languages)


def load_bytes(
    name: str,
    data: bytes,
    ext: str,
    *,
    charset: str | None = None,
    url: str | None = None,
    on_page: PageProgress | None = None,
    ocr_languages: str = "eng",
) -> LoadedText:
    """Read a body of the type ``ext`` names (".txt", ".md", ".html", ".pdf"); ``url`` marks a fetched page.

    A fetched page must yield an article (:data:`~assistant.ingest.pages.MIN_LETTERS`): a paywall or a page
    built by JavaScript is reported, not stored as its navigation. A saved ``.html`` file with little text
    (a hand-made page) falls back to its visible text.
    """
    if ext == ".pdf":
        loaded = _load_pdf(name, data, on_page, ocr_languages)
    else:
        text = decode_text(name, data, charset)
        if ext in (".html", ".htm"):
            loaded = _load_html(name, text, url)
        elif ext == ".md":
            loaded = _load_markdown(text)
        else:
            loaded = LoadedText(text)
    if not loaded.text.strip():
        raise InputError(f"{name}: no text found")
    return loaded


def decode_text(name: str, data: bytes, charset: str | None = None) -> str:
    """Decode bytes as the server's stated ``charset``, else UTF-8 if they are, else as the encoding
    charset-normalizer finds (cp1252, latin-1…).

    Binary data (NUL bytes, many control characters) is refused rather than decoded into garbage.
    """
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file (contains NUL bytes), not text")
    try:
        text = data.decode(charset) if charset and charset not in ("utf-8", "utf8") else data.decode("utf-8-sig")
    except (UnicodeDecodeError, LookupError):
        best = from_bytes(data, cp_isolation=None).best()
        if best is None:
            raise InputError(f"{name}: cannot decode the text (not UTF-8 and no known encoding fits)") from None
        text = str(best)
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:8192]) // 100):
        raise InputError(f"{name}: binary file (control characters), not text")
    return text


def _load_markdown(text: str) -> LoadedText:
    """Markdown to plain text through a CommonMark parser (markdown-it-py): each block on its own line,
    headings (ATX and setext), list items and table cells kept as words; code blocks, images, link targets
    and reference definitions dropped. The first level-1 heading is the title."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    lines: list[str] = []
    title = None
    row: list[str] | None = None
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            lines.append(" | ".join(cell for cell in row if cell))
            row = None
        elif token.type == "inline":
            words = _inline_text(token.children or [])
            if not words:
                continue
            if row is not None:
                row.append(words)
                continue
            opener = tokens[i - 1] if i else None
            if title is None and opener is not None and opener.type == "heading_open" and opener.tag == "h1":
                title = words
            lines.append(words)
    return LoadedText("\n".join(lines), title)


def _inline_text(children) -> str:
    """The words of an inline run: text, code spans and link texts; images and markup dropped."""
    out: list[str] = []
    for child in children:
        if child.type == "image":
            continue
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return " ".join("".join(out).split())


def _load_html(name: str, html: str, url: str | None) -> LoadedText:
    """A news page's main text and metadata (:mod:`assistant.ingest.pages`)."""
    page = extract_page(html, url)
    if letters(page.text) >= MIN_LETTERS:
        return LoadedText(page.text, page.title, page.author, page.date, page.site, page.url)
    if url is not None:
        raise InputError(
            f"{url}: almost no article text on the page ({letters(page.text)} letters): a paywall, a page "
            "built by JavaScript, or not an article",
            hint="save the page from a browser where you can read it, and ingest the .html file",
        )
    fallback = text_by_tags(html)
    return LoadedText(fallback.text, page.title or fallback.title, page.author, page.date, page.site, page.url)


def text_by_tags(html: str) -> LoadedText:
    """Visible text of a page cut by tags: the <article> or <main> if there is one, else the <body>.

    The fallback for small hand-made pages, where a news-page extractor finds no article; on real news
    sites it keeps every line of clutter that sits in <div>s (BENCHMARKS.md)."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    title = None
    for selector in ('meta[property="og:title"]', "title", "h1"):
        node = tree.css_first(selector)
        if node is None:
            continue
        value = node.attributes.get("content") if node.tag == "meta" else node.text(strip=True)
        if value and value.strip():
            title = " ".join(value.split())
            break
    tree.strip_tags(list(_HTML_DROP))
    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    if root is None:
        return LoadedText("", title)
    for node in root.css(",".join(_HTML_BLOCKS)):
        # Give block elements their own lines so that sentences and paragraphs do not run together.
        node.insert_before("\n")
        node.insert_after("\n")
    text = root.text(separator="", strip=False)
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", text)
    text = re.sub(r" ?\n ?", "\n", text)
    return LoadedText(text, title)


def _load_pdf(name: str, data: bytes, on_page: PageProgress | None, ocr_languages: str) -> LoadedText:
    """Text layer of a PDF, page by page; a PDF without one (a scan) is read by OCR."""
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError  # every pypdf error: PdfReadError, LimitReachedError (declared sizes), …

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001 - any failure means we cannot read it
                raise InputError(f"{name}: encrypted PDF") from None
        pages = [page.extract_text() or "" for page in reader.pages]
        title = None
        if reader.metadata and reader.metadata.title:
            title = str(reader.metadata.title).strip() or None
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise InputError(f"{name}: not a readable PDF ({type(exc).__name__})") from None
    text = "\n\n".join(p.strip() for p in pages)
    if not text.strip():
        from assistant.backends.ocr import ocr_pdf

        text = ocr_pdf(name, data, ocr_languages, on_page)
    return LoadedText(text, title)
