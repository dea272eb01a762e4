"""Reading scanned PDFs: pages rendered by PDFium (pypdfium2), read by Debian's Tesseract.

Press releases often arrive as scans: a PDF of page images with no text layer. Each page is rendered at
:data:`DPI` and handed to the ``tesseract`` program (a Debian package installed by the Makefile with the
vie/deu/fra/ind/eng language data) with every configured language it has installed; the caller hears of
each page as it is done, since a page takes seconds (BENCHMARKS.md).

Tesseract leans on the first language it is given: with English first, a German scan loses its umlauts
("Brucke"). So the first page is read once with every language, the language of what it says is detected,
and every page is then read with that language first.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from typing import Callable

from assistant.errors import InputError
from assistant.text.language import detect_language

#: Tesseract's names of the languages whose ISO 639-1 codes the detector returns (those it has data for).
TESSERACT_CODES = {
    "en": "eng", "de": "deu", "fr": "fra", "vi": "vie", "id": "ind", "es": "spa", "it": "ita", "pt": "por",
    "nl": "nld", "pl": "pol", "ru": "rus", "tr": "tur", "ms": "msa", "th": "tha", "zh": "chi_sim", "ja": "jpn",
    "ko": "kor", "ar": "ara", "sv": "swe", "da": "dan", "cs": "ces", "ro": "ron", "hu": "hun", "uk": "ukr",
}

DPI = 300
#: Seconds one page may take before it is given up.
PAGE_TIMEOUT = 300


@functools.lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    """The Tesseract language data installed on this machine (empty when Tesseract is missing)."""
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    done = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    lines = (done.stdout or done.stderr).splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip() and line.strip() != "osd")


def ocr_pdf(name: str, data: bytes, languages: str, on_page: Callable[[int, int], None] | None = None) -> str:
    """The text of every page of a scanned PDF, pages separated by blank lines."""
    have = installed_languages()
    if not have:
        raise InputError(
            f"{name}: the PDF has no text layer (a scan) and Tesseract is not installed to read it",
            hint="install Debian's tesseract-ocr and its language packages (`make install` does)",
        )
    wanted = [lang for lang in languages.split("+") if lang in have] or sorted(have)[:1]
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InputError(f"{name}: not a readable PDF ({exc})") from None
    pages: list[str] = []
    try:
        total = len(pdf)
        for index in range(total):
            try:
                page = pdf[index]
                image = page.render(scale=DPI / 72, grayscale=True).to_pil()
                page.close()
            except (pdfium.PdfiumError, ValueError, OSError) as exc:
                raise InputError(f"{name}: page {index + 1} of the PDF cannot be rendered ({exc})") from None
            if index == 0 and len(wanted) > 1:
                wanted = _detected_first(_read_image(name, index, image, wanted), wanted)
            pages.append(_read_image(name, index, image, wanted))
            if on_page:
                on_page(index + 1, total)
    finally:
        pdf.close()
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise InputError(f"{name}: no text could be read from the scanned pages")
    return text


def _detected_first(sample: str, languages: list[str]) -> list[str]:
    """``languages`` with the one ``sample`` is written in first (unchanged when it cannot be told)."""
    iso = {tess: code for code, tess in TESSERACT_CODES.items()}
    candidates = tuple(iso[lang] for lang in languages if lang in iso)
    if sum(ch.isalpha() for ch in sample) < 20 or not candidates:
        return languages
    found = TESSERACT_CODES.get(detect_language(sample, candidates))
    return [found, *(lang for lang in languages if lang != found)] if found in languages else languages


def _read_image(name: str, index: int, image, languages: list[str]) -> str:
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "+".join(languages), "--psm", "3"],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=PAGE_TIMEOUT,
            env={"OMP_THREAD_LIMIT": "2", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        )
    except subprocess.TimeoutExpired:
        raise InputError(f"{name}: reading page {index + 1} took over {PAGE_TIMEOUT} s") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise InputError(f"{name}: OCR failed on page {index + 1} ({reason[0]})")
    return done.stdout.decode("utf-8", "replace")
