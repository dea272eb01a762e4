"""Per-language data: every entry is in the form it is compared in, and CLDR covers what it is asked for."""

from __future__ import annotations

import pytest

from assistant.config import DEFAULT_LANGUAGES
from assistant.text.countries import COUNTRY_ALIASES
from assistant.text.folding import fold
from assistant.text.langdata import data_file, language_name, reading_languages, sister_languages
from assistant.text.lexicon import (
    GENERIC_WORDS,
    INSTITUTION_TRANSLATIONS,
    INSTITUTION_WORDS,
    MARKED_LANGUAGES,
    NATIONALITIES,
    NEGATIONS,
    NUMBER_WORDS,
    ORDINAL_NOUNS,
    closed_class_key,
    closed_class_words,
)
from assistant.text.months import MONTHS, month_names, needs_number, numbered_months


def test_the_detector_chooses_among_the_languages_the_data_covers():
    assert DEFAULT_LANGUAGES.split(",") == list(reading_languages())
    assert len(set(reading_languages())) == len(reading_languages())


@pytest.mark.parametrize(
    "name, words",
    [
        ("generic_words", GENERIC_WORDS),
        ("institution_words", INSTITUTION_WORDS),
        ("nationalities", NATIONALITIES),
        ("ordinal nouns", ORDINAL_NOUNS),
        ("translations", {v for forms in INSTITUTION_TRANSLATIONS.values() for v in forms}),
        ("country aliases", {a for forms in COUNTRY_ALIASES.values() for a in forms} | set(COUNTRY_ALIASES)),
        ("month homographs", set(data_file("months")["homographs"])),
        ("months", set(MONTHS)),
    ],
)
def test_every_word_list_entry_is_folded_as_it_is_compared(name, words):
    assert words, name
    unfolded = sorted(w for w in words if fold(w) != w)
    assert not unfolded, f"{name}: not folded: {unfolded}"


@pytest.mark.parametrize("table", ["negations", "negation_idioms", "number_words", "subject_pronouns", "number_joiners"])
def test_closed_classes_are_listed_as_compared_folded_or_with_the_marks_that_tell_words_apart(table):
    for lang, words in data_file("lexicon")[table].items():
        assert words, (table, lang)
        assert lang in reading_languages(), (table, lang)
        off = sorted(w for w in words if closed_class_key(w, lang) != w)
        assert not off, f"{table}/{lang}: not in compared form: {off}"


def test_marks_keep_apart_the_vietnamese_words_folding_would_merge():
    assert MARKED_LANGUAGES == {"vi"}
    assert closed_class_words("Sau đó, sáu người không dùng", "vi") == ["sau", "đó", "sáu", "người", "không", "dùng"]
    assert "sáu" in NUMBER_WORDS["vi"] and "sau" not in NUMBER_WORDS["vi"]
    assert "đừng" in NEGATIONS["vi"] and "dùng" not in NEGATIONS["vi"]
    assert closed_class_words("Fünf NICHT", "de") == ["funf", "nicht"]


def test_every_translated_institution_word_is_an_institution_word():
    assert set(INSTITUTION_TRANSLATIONS) <= INSTITUTION_WORDS


def test_month_homographs_are_month_names():
    for word in data_file("months")["homographs"]:
        assert word in MONTHS, word


@pytest.mark.parametrize(
    "word, month",
    [("may", 5), ("mai", 5), ("mei", 5), ("marz", 3), ("aout", 8), ("agustus", 8), ("desember", 12), ("dezembro", 12)],
)
def test_month_names_of_the_languages_read_come_from_cldr(word, month):
    assert MONTHS[word] == month


def test_abbreviations_and_homographs_need_a_number_but_full_names_do_not():
    assert needs_number("aug") and needs_number("may") and needs_number("mars")
    assert not needs_number("august") and not needs_number("januar") and not needs_number("agustus")


def test_months_written_with_their_number_are_read_in_every_script():
    assert numbered_months(fold("ngày 10 tháng 5 năm 2024")) == [5]
    assert numbered_months(fold("Tháng  8 và thg 12")) == [8, 12]
    assert numbered_months(fold("2024年3月5日")) == [3]
    assert numbered_months(fold("8월 15일")) == [8]
    assert numbered_months(fold("tháng 13")) == []


def test_english_month_names_for_house_style():
    assert month_names("en")[4] == "May" and len(month_names("en")) == 12


def test_language_names_come_from_cldr():
    assert language_name("de") == "German" and language_name("vi") == "Vietnamese"
    assert language_name("de", "fr") == "allemand"


def test_stop_word_lists_are_of_languages_read_and_fold_without_merging_two_words():
    from assistant.text.stopwords import stopwords

    lists = data_file("stopwords")
    assert set(lists) <= set(reading_languages())
    for lang, words in lists.items():
        assert len(stopwords(lang)) == len(set(words.split())), lang
    assert stopwords("xx") == frozenset()


def test_titles_named_in_another_languages_form_are_found_as_written():
    from assistant.text.lexicon import titles_named

    assert titles_named("Menteri berharap Duta Besar dapat bertindak") == [("Menteri", "minister"), ("Duta Besar", "ambassador")]
    assert titles_named("Der Botschafter traf Präsident Schmidt.") == [("Botschafter", "ambassador"), ("Präsident", "president")]
    # the embassy is not the ambassador; folded, the market (thị trường) is the mayor (thị trưởng): no hint
    assert titles_named("Bộ trưởng đến đại sứ quán để bàn về thị trường.") == [("Bộ trưởng", "minister")]
    # an English title is no other language's form
    assert titles_named("The Minister met the President.") == []


def test_countries_are_named_as_each_language_names_them():
    from assistant.text.countries import countries_named, country_mentions

    assert countries_named("Il est né au Rwanda, dans le sud-ouest de l'Ouganda.", "fr") == ["rwanda", "uganda"]
    assert countries_named("Menteri berkunjung ke Korea Selatan dan Jerman.", "id") == ["korea", "germany"]
    assert countries_named("Đại sứ Hàn Quốc tại Việt Nam.", "vi") == ["korea", "vietnam"]
    assert countries_named("ý kiến của bộ trưởng", "vi") == []  # lower case: a common word, not Italy
    assert countries_named("He went to Korea and Germany.", "en") == ["korea", "germany"]
    assert countries_named("Il est né au Rwanda.", "xx") == []  # a language not read
    # and by which of the text's words (folded): what a retry of a refused translation must avoid
    assert country_mentions("Đại sứ Hàn Quốc tại Việt Nam.", "vi") == [("korea", "han quoc", 7, 15), ("vietnam", "viet nam", 20, 28)]
    assert country_mentions("Er besuchte Südkorea.", "de") == [("korea", "sudkorea", 12, 20)]
    assert country_mentions("Korea and Vietnam.") == [("korea", "korea", 0, 5), ("vietnam", "vietnam", 10, 17)]


def test_sister_languages_are_languages_read_and_each_others():
    read = set(reading_languages())
    sisters = {code: sister_languages(code) for code in read}
    assert sisters["id"] == ("ms",)
    assert all(s in read and code in sister_languages(s) for code, theirs in sisters.items() for s in theirs)
    assert sister_languages("de") == ()


def test_question_words_are_of_languages_read_listed_as_compared_and_ask_for_a_date_or_a_number():
    for lang, kinds in data_file("lexicon")["question_words"].items():
        assert lang in reading_languages() and lang != "en", lang  # English: answer_type's patterns
        assert set(kinds) <= {"date", "number"} and kinds, lang
        for kind, phrases in kinds.items():
            off = sorted(p for p in phrases if closed_class_key(p.removeprefix("^"), lang) != p.removeprefix("^"))
            assert phrases and not off, f"question_words/{lang}/{kind}: not in compared form: {off}"
