from pathlib import Path

import pytest

from assistant.errors import InputError
from assistant.ingest.loaders import decode_text, load_file

MIB = 2**20


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a text layer, written by hand (no PDF writer needed)."""
    stream = f"BT /F1 18 Tf 40 700 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_html_main_text_only(tmp_path: Path):
    page = tmp_path / "a.html"
    page.write_text(
        "<html><head><title>Ambassador visit</title><style>p{color:red}</style>"
        "<script>alert('x')</script></head><body><nav>Home | World</nav>"
        "<article><h1>Ambassador visit</h1><p>The minister met the ambassador.</p><p>They signed a deal.</p></article>"
        "<footer>© News</footer></body></html>",
        encoding="utf-8",
    )
    loaded = load_file(page, MIB)
    assert loaded.title == "Ambassador visit"
    assert "The minister met the ambassador." in loaded.text and "They signed a deal." in loaded.text
    for furniture in ("alert", "color:red", "Home | World", "© News"):
        assert furniture not in loaded.text
    assert "ambassador.\n" in loaded.text  # paragraphs stay apart


def test_markdown_is_reduced_to_words(tmp_path: Path):
    page = tmp_path / "a.md"
    page.write_text("# Big news\n\nThe **minister** met [the envoy](http://x.org).\n\n![img](a.png)\n", encoding="utf-8")
    loaded = load_file(page, MIB)
    assert loaded.title == "Big news"
    assert "The minister met the envoy." in loaded.text and "http" not in loaded.text


def test_pdf_text_layer(tmp_path: Path):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(minimal_pdf("Minister Hung visited Seoul"))
    assert "Minister Hung visited Seoul" in load_file(pdf, MIB).text


def test_legacy_encodings_are_decoded(tmp_path: Path):
    text = "Der Minister würdigte die Zusammenarbeit – „große Fortschritte“ für Köln, Düsseldorf und Städte."
    for encoding in ("cp1252", "latin-1"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(text.replace("–", "-").replace("„", '"').replace("“", '"').encode(encoding) if encoding == "latin-1" else text.encode(encoding))
        decoded = load_file(path, MIB).text
        assert "würdigte" in decoded and "Düsseldorf" in decoded and "Köln" in decoded
    assert "–" in load_file(tmp_path / "cp1252.txt", MIB).text


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.txt", b"", "empty file"),
        ("bin.txt", b"\x00\x01\x02binary\x00" * 10, "binary"),
        ("ctl.txt", bytes(range(1, 32)) * 20, "binary"),
        ("scan.pdf", b"%PDF-1.4 not really a pdf", "not a readable PDF"),
        ("a.docx", b"PK\x03\x04", "unsupported file type"),
        ("big.txt", b"a" * (MIB + 1), "over the"),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path: Path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        load_file(path, MIB)
    assert reason in err.value.message and name in err.value.message


def test_missing_path(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        load_file(tmp_path / "nope.txt", MIB)


def test_utf8_bom_is_dropped():
    assert decode_text("x", "\ufeffHallo".encode("utf-8")) == "Hallo"
