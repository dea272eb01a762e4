"""City names across languages from CLDR: found in the source's form, accepted in any language's form."""

from __future__ import annotations

import pytest

from assistant.text.places import cities_left_out, city_written, exonyms_in


@pytest.mark.parametrize(
    ("sentence", "lang", "expected"),
    [
        ("Die Börse in Warschau wurde 1817 gegründet.", "de", [("Warschau", "Warsaw")]),
        ("Die Geschichte Warschaus ist lang.", "de", [("Warschaus", "Warsaw")]),
        ("Le président est arrivé à Varsovie puis à Londres.", "fr", [("Varsovie", "Warsaw"), ("Londres", "London")]),
        ("Bộ trưởng đến TP Hồ Chí Minh và Mát-xcơ-va.", "vi", [("TP Hồ Chí Minh", "Ho Chi Minh City"), ("Mát-xcơ-va", "Moscow")]),
        ("Menteri bertemu Duta Besar di Wina.", "id", [("Wina", "Vienna")]),
        # A city written as in English, a lower-case word, another language's table: nothing.
        ("Er wohnt in Berlin und Paris.", "de", []),
        ("Sie warschau nicht.", "de", []),
        ("Il est arrivé à Varsovie.", "de", []),
    ],
)
def test_cities_written_in_another_form_than_the_english_one_are_found_as_written(sentence, lang, expected):
    assert exonyms_in(sentence, lang) == expected


def test_a_translation_must_write_each_such_city_in_some_languages_form():
    assert cities_left_out("Er zog 1901 nach Wien.", "de", "He moved to Paris in 1901.") == ["Vienna"]
    assert cities_left_out("Er zog 1901 nach Wien.", "de", "He moved to Vienna in 1901.") == []
    assert cities_left_out("Er zog 1901 nach Wien.", "de", "Il a déménagé à Vienne en 1901.") == []
    assert city_written("Kyiv", "the mayor of Kiev") and not city_written("Vienna", "Viennese coffee")
