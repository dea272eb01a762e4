"""Cleaning a loaded text and reading what it says about itself: date, title, identity.

Kept apart from the loaders because it is the same for every format, and apart from language detection
because that needs a model.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date as _date

from assistant.text.folding import fold
from assistant.text.months import MONTHS

# Lines that are page furniture, not article text: comment counters, share bars, "read more".
_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:"
    r"(?:komentar|kommentare?|comments?|commentaires?|bình luận|comentarios?|commenti)\s*[\(\[]?\s*\d*\s*[\)\]]?"
    r"|(?:share|teilen|partager|bagikan|chia sẻ)(?:\s+(?:on|auf|sur|ke))?(?:\s*[:|/]?\s*(?:facebook|twitter|x|linkedin|whatsapp|email|e-mail|zalo))*"
    r"|(?:read more|mehr lesen|lire la suite|baca juga|xem thêm|weiterlesen|advertisement|anzeige|publicité|iklan|quảng cáo)\s*:?"
    r"|(?:facebook|twitter|linkedin|whatsapp|zalo)(?:\s*[|/]\s*(?:facebook|twitter|linkedin|whatsapp|zalo|email))+"
    r")\s*$",
    re.IGNORECASE,
)
# A photo caption ends with its credit: "… Lee Jong-ho (Photo: VNA)", "… Choi Youngsam. Foto: Le Anh Dung".
_CAPTION_CREDIT = re.compile(
    r"(?:\(\s*|\b)(?:photo|foto|ảnh|bild|image|crédit photo|sumber foto)\s*:\s*[^.!?()\n]{1,60}\)?\s*$",
    re.IGNORECASE,
)
# The seeds (and many exports) state their date on a marker line: " date 2024-08-04 …".
_DATE_MARKER = re.compile(r"^[ \t]*(?:date|datum|date de publication|tanggal|ngày)\s*:?\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b[ \t]*", re.IGNORECASE | re.MULTILINE)
_ISO_DATE = re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d{2})\b")

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
# Matched in folded text (lower case, no accents), where the month table's names are.
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\.?\s+({_MONTH_ALT})\.?\s+((?:19|20)\d{{2}})\b")
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH_ALT})\.?\s+(\d{{1,2}}),?\s+((?:19|20)\d{{2}})\b")
_VI_DATE = re.compile(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+((?:19|20)\d{2})\b")


def clean_text(text: str) -> str:
    """Normalise a loaded text: NFC, unified newlines, no trailing blanks, no boilerplate lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\ufeff", "")
    lines = [line.rstrip() for line in text.split("\n")]
    lines = [line for line in lines if not _BOILERPLATE_LINE.match(line)]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def is_caption(sentence: str) -> bool:
    """Whether ``sentence`` is a photo caption (it ends with a photo credit).

    Captions restate the article under a picture; a brief that picks one as a key point repeats the lead
    instead of saying something new.
    """
    return bool(_CAPTION_CREDIT.search(sentence))


def extract_date_marker(text: str) -> tuple[str | None, str]:
    """Take a leading ``date YYYY-MM-DD`` marker out of the text; returns (date, text without it)."""
    match = _DATE_MARKER.search(text)
    if not match or not _valid(match.group(1)):
        return None, text
    return match.group(1), (text[: match.start()] + text[match.end() :]).strip()


def _valid(iso: str) -> bool:
    parts = [int(p) for p in iso.split("-")]
    try:
        _date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return _date(year, month, day).isoformat()
    except ValueError:
        return None


def find_date(text: str, lead_chars: int = 1200) -> str | None:
    """The first full date (day, month and year) stated in the lead of the text, as ISO, or None.

    Dates without a year ("am 10. Mai") are not guessed.
    """
    lead = text[:lead_chars]
    candidates: list[tuple[int, str]] = []
    for m in _ISO_DATE.finditer(lead):
        if value := _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))):
            candidates.append((m.start(), value))
    for m in _NUMERIC_DATE.finditer(lead):  # day first: 22/3/2018, 22.03.2018
        if value := _iso(int(m.group(3)), int(m.group(2)), int(m.group(1))):
            candidates.append((m.start(), value))
    folded = fold(lead)
    for m in _DAY_MONTH_YEAR.finditer(folded):
        if value := _iso(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1))):
            candidates.append((m.start(), value))
    for m in _MONTH_DAY_YEAR.finditer(folded):
        if value := _iso(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2))):
            candidates.append((m.start(), value))
    for m in _VI_DATE.finditer(folded):
        if value := _iso(int(m.group(3)), int(m.group(2)), int(m.group(1))):
            candidates.append((m.start(), value))
    return min(candidates)[1] if candidates else None


def make_title(text: str, hint: str | None = None, max_chars: int = 120) -> str:
    """A title: the format's own (HTML <title>, Markdown heading), else a short first line, else the lead."""
    if hint and hint.strip():
        return " ".join(hint.split())[:max_chars]
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if len(first) <= max_chars and not first.endswith((".", "!", "?")):
        return first
    words = first.split()
    title = ""
    for word in words:
        if len(title) + len(word) + 1 > max_chars - 1:
            return title.rstrip(",;:") + "…"
        title = f"{title} {word}".strip()
    return title


def content_id(text: str) -> str:
    """A stable id from the normalised content: the same words give the same id, whatever the file."""
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]
