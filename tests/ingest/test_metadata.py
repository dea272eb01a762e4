import pytest

from assistant.config import Settings
from assistant.ingest.metadata import clean_text, content_id, extract_date_marker, find_date, is_caption, make_title
from assistant.ingest.pipeline import read_document
from assistant.text.language import detect_language
from tests.support.paths import SEEDS

SEED_FACTS = {
    "000_1e43e2bff27df26e.txt": ("id", None),
    "001_a266f9cc8be359ef.txt": ("de", None),
    "002_ac87470ce8d28a9b.txt": ("vi", "2018-03-22"),
    "003_e10467ce33407679.txt": ("en", "2024-08-04"),
    "004_9162929b01fb154b.txt": ("fr", "2024-08"),
}


@pytest.mark.parametrize("source", sorted(SEED_FACTS))
def test_seed_language_and_date(source):
    doc = read_document(SEEDS / source, Settings())
    lang, date = SEED_FACTS[source]
    assert doc.lang == lang
    assert doc.date == date
    assert doc.source == source
    assert "date 2024" not in doc.text  # the marker is metadata, not article text
    assert "Komentar (0)" not in doc.text and "Kommentar (0)" not in doc.text


def test_doc_id_is_stable_and_content_based():
    a = read_document(SEEDS / "003_e10467ce33407679.txt", Settings())
    b = read_document(SEEDS / "003_e10467ce33407679.txt", Settings())
    assert a.doc_id == b.doc_id == content_id(a.text)
    assert content_id("a  b\nc") == content_id("a b c")
    assert content_id("a b c") != content_id("a b d")


def test_dates_in_several_languages():
    assert find_date("Hanoi, 4. August 2024 – Der Minister") == "2024-08-04"
    assert find_date("Paris, le 4 août 2024, le ministre") == "2024-08-04"
    assert find_date("Jakarta, 4 Agustus 2024") == "2024-08-04"
    assert find_date("Hà Nội, ngày 4 tháng 8 năm 2024") == "2024-08-04"
    assert find_date("August 4, 2024: the minister") == "2024-08-04"
    assert find_date("Ngày 22/3/2018, đoàn") == "2018-03-22"
    assert find_date("am Morgen des 10. Mai traf") is None  # no year: not guessed
    assert find_date("on 31/02/2024 nothing") is None  # impossible date
    assert extract_date_marker(" date 2024-08-04 Minister Hung")[0] == "2024-08-04"
    assert extract_date_marker("date 2024-13-45 x")[0] is None


def test_boilerplate_and_titles():
    text = clean_text("Title here\nBody sentence.\nKomentar (0)\nShare: Facebook | Twitter\nBình luận (12)\n")
    assert text == "Title here\nBody sentence."
    assert make_title("Short headline\nBody.") == "Short headline"
    long_first = "This first line is a whole sentence that goes on " * 4 + "and ends."
    assert make_title(long_first).endswith("…") and len(make_title(long_first)) <= 120
    assert make_title("whatever", hint="  The  <title>  ") == "The <title>"


def test_unknown_language_for_no_letters():
    assert detect_language("12345 678", ("en", "de")) == "und"


@pytest.mark.parametrize(
    "sentence, caption",
    [
        ("Minister of Information and Communications Nguyen Manh Hung and Korean Minister Lee Jong-ho (Photo: VNA)", True),
        ("Minister Nguyen Manh Hung empfing den koreanischen Botschafter. Foto: Le Anh Dung", True),
        ("Thủ tướng và đoàn đàm phán năm 2018. Ảnh: TTXVN", True),
        ("The minister said: the photo was taken in Seoul on 1 August, before the talks with the ambassador began.", False),
        ("Die Minister sprachen über Halbleiter und 5G OpenRAN.", False),
    ],
)
def test_a_caption_is_recognised_by_its_photo_credit(sentence, caption):
    assert is_caption(sentence) is caption
