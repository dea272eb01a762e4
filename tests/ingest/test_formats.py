"""Formats as news arrives in them: saved news pages, Markdown through a real parser, scanned PDFs (real
Tesseract), and files named by their path inside the folder they came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.loaders import load_file
from assistant.service import NewsAssistant
from tests.support.web_server import FIXTURES, LABELS

MIB = 2**20
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_a_saved_news_page_keeps_its_article_and_its_metadata(tmp_path):
    label = next(lbl for lbl in LABELS if lbl["name"] == "de-sauerstoff")
    loaded = load_file(FIXTURES / "de-sauerstoff.html", max_bytes=MIB)
    assert (loaded.title, loaded.author, loaded.date, loaded.site) == (label["title"], label["author"], label["date"], label["site"])
    for paragraph in label["article"]:
        assert " ".join(paragraph.split()) in loaded.text
    leaked = set(loaded.text.split("\n")) & set(label["clutter"])
    assert leaked <= {line for line in label["clutter"] if "Telegram" in line}  # the known miss (BENCHMARKS.md)
    assert "Leserkommentare (3)" not in loaded.text and "Impressum" not in loaded.text


def test_markdown_goes_through_a_commonmark_parser(tmp_path):
    page = tmp_path / "note.md"
    page.write_text(
        "Ministers meet in Hanoi\n=======================\n\n"
        "The talks covered [semiconductors][chips] and *data centres*.\n\n"
        "Figures\n-------\n\n"
        "| year | investment |\n|---|---|\n| 2023 | 4.2 billion |\n| 2024 | 5.1 billion |\n\n"
        "```python\nprint('not article text')\n```\n\n"
        "![chart](chart.png)\n\n"
        "- first point\n- second point with `code`\n\n"
        "[chips]: https://example.org/chips \"Chips\"\n",
        encoding="utf-8",
    )
    loaded = load_file(page, max_bytes=MIB)
    assert loaded.title == "Ministers meet in Hanoi"
    lines = loaded.text.split("\n")
    assert lines[:2] == ["Ministers meet in Hanoi", "The talks covered semiconductors and data centres."]
    assert "Figures" in lines and "2023 | 4.2 billion" in lines and "year | investment" in lines
    assert "first point" in lines and "second point with code" in lines
    for gone in ("=====", "-----", "print(", "chart", "https://example.org", "[chips]", "|---|"):
        assert gone not in loaded.text


def _scanned_pdf(path: Path, lines_per_page: list[list[str]]) -> None:
    """A PDF of page images only (no text layer), as a scanner makes it."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(DEJAVU), 44) if DEJAVU.exists() else ImageFont.load_default(size=44)
    images = []
    for lines in lines_per_page:
        image = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(lines):
            draw.text((150, 200 + i * 90), line, fill=0, font=font)
        images.append(image)
    images[0].save(path, save_all=True, append_images=images[1:], resolution=200)


@pytest.mark.integration
def test_a_scanned_pdf_is_read_by_ocr_page_by_page(tmp_path):
    from pypdf import PdfReader

    pdf = tmp_path / "press-release.pdf"
    _scanned_pdf(pdf, [
        ["PRESS RELEASE", "The Ministry of Information announced on", "12 May 2024 a new fund of 48 million dollars", "for digital infrastructure in the provinces."],
        ["Applications open on 1 June 2024.", "Contact: press office of the ministry."],
    ])
    assert not "".join(p.extract_text() or "" for p in PdfReader(pdf).pages).strip()  # no text layer
    pages = []
    loaded = load_file(pdf, max_bytes=20 * MIB, on_page=lambda done, total: pages.append((done, total)), ocr_languages="eng+deu")
    assert pages == [(1, 2), (2, 2)]
    text = " ".join(loaded.text.split())
    for phrase in ("Ministry of Information", "12 May 2024", "48 million dollars", "Applications open on 1 June 2024"):
        assert phrase in text


@pytest.mark.integration
def test_a_scanned_pdf_is_ingested_with_progress_per_page(fast: NewsAssistant, tmp_path):
    pdf = tmp_path / "scan.pdf"
    _scanned_pdf(pdf, [["Die Stadt Köln eröffnete am 3. März 2024", "eine neue Brücke über den Rhein.", "Die Kosten lagen bei 48 Millionen Euro."]])
    names = []
    report = fast.ingest([pdf], progress=lambda done, total, b, tb, name: names.append(name))
    assert report.count("added") == 1, report.failed
    assert "scan.pdf: OCR page 1/1" in names
    [doc] = fast.documents()
    assert doc.lang == "de" and doc.date == "2024-03-03"
    assert "Brücke über den Rhein" in fast.store.get_document(doc.doc_id).text


def test_files_are_named_by_their_path_inside_the_folder_given(fast: NewsAssistant, tmp_path):
    text = "The ministers of both countries signed an agreement on semiconductors and data centres in Hanoi."
    for folder in ("a", "b"):
        (tmp_path / "news" / folder).mkdir(parents=True)
    (tmp_path / "news" / "a" / "index.html").write_text(f"<p>{text} First site.</p>", encoding="utf-8")
    (tmp_path / "news" / "b" / "index.html").write_text(f"<p>{text} Second site, another story.</p>", encoding="utf-8")
    report = fast.ingest([tmp_path / "news"])
    assert report.count("added") == 2
    assert sorted(d.source for d in fast.documents()) == ["a/index.html", "b/index.html"]
    assert fast.ingest([tmp_path / "news"]).count("unchanged") == 2
