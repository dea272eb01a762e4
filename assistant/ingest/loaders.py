"""Reading files into plain text: ``.txt``, ``.md``, ``.html``/``.htm`` and ``.pdf``.

Each loader returns the main text and, when the format states one, a title. Everything that can go wrong
with a user's file (missing, too large, empty, binary, undecodable, no text layer) is an ``InputError``
whose message names the reason in one line. Nothing here executes content: HTML is parsed, never rendered
(scripts and styles are dropped), PDFs are read for their text layer only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from assistant.errors import InputError

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


@dataclass(frozen=True)
class LoadedText:
    text: str
    title: str | None = None


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


def load_file(path: Path, max_bytes: int) -> LoadedText:
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
    data = path.read_bytes()
    if ext == ".pdf":
        loaded = _load_pdf(path.name, data)
    else:
        text = decode_text(path.name, data)
        loaded = _load_html(text) if ext in (".html", ".htm") else _load_markdown(text) if ext == ".md" else LoadedText(text)
    if not loaded.text.strip():
        raise InputError(f"{path.name}: no text found")
    return loaded


def decode_text(name: str, data: bytes) -> str:
    """Decode bytes as UTF-8 if they are, else as the encoding charset-normalizer finds (cp1252, latin-1…).

    Binary data (NUL bytes, many control characters) is refused rather than decoded into garbage.
    """
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data, cp_isolation=None).best()
        if best is None:
            raise InputError(f"{name}: cannot decode the text (not UTF-8 and no known encoding fits)") from None
        text = str(best)
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:8192]) // 100):
        raise InputError(f"{name}: binary file (control characters), not text")
    return text


def _load_markdown(text: str) -> LoadedText:
    """Markdown to plain text: headings, emphasis, links and images reduced to their words."""
    title = None
    heading = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", text, flags=re.M)
    if heading:
        title = heading.group(1).strip()
    out = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)  # code blocks are not article text
    out = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", out)  # images
    out = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", out)  # links -> their text
    out = re.sub(r"^\s{0,3}#{1,6}\s+", "", out, flags=re.M)  # heading markers
    out = re.sub(r"^\s{0,3}>\s?", "", out, flags=re.M)  # quotes
    out = re.sub(r"(\*\*|__)(.+?)\1", r"\2", out)
    out = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", out)
    out = re.sub(r"^\s*([-*_])(\s*\1){2,}\s*$", "", out, flags=re.M)  # rules
    return LoadedText(out, title)


def _load_html(html: str) -> LoadedText:
    """Main text of an HTML page: the <article> or <main> if there is one, else the <body>."""
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


def _load_pdf(name: str, data: bytes) -> LoadedText:
    """Text layer of a PDF, page by page. Scanned PDFs (no text layer) are refused."""
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
        raise InputError(f"{name}: PDF has no text layer (scanned image?)", hint="run OCR on it first")
    return LoadedText(text, title)
