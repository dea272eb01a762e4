"""Numbers written in words (num2words), compared as each language's closed classes are."""

from __future__ import annotations

import pytest

from assistant.text.number_words import LARGEST_SPELLED, spelled_in


@pytest.mark.parametrize(
    "number, text, lang",
    [
        ("3", "the third largest trading partner", "en"),
        ("37", "thirty-seven institutions", "en"),
        ("37", "thirty seven institutions", "en"),
        ("21", "einundzwanzig Länder", "de"),
        ("3", "am dritten Tag", "de"),  # an ordinal inflects
        ("3", "la troisième fois", "fr"),
        ("5", "lima kali", "id"),
        ("3", "có ba người", "vi"),
        ("1000", "one thousand people", "en"),
    ],
)
def test_a_number_written_in_words_is_found(number, text, lang):
    assert spelled_in(number, text, lang)


@pytest.mark.parametrize(
    "number, text, lang",
    [
        ("3", "bà Lan đến", "vi"),  # "bà" (Mrs) is not "ba" (three): Vietnamese marks tell them apart
        ("3", "dreimal", "de"),  # a cardinal does not inflect into another word
        ("4", "the third largest", "en"),
        ("37", "thirty institutions", "en"),  # every word of the number, in order
        ("0.5", "half of them", "en"),  # only whole numbers
        (str(LARGEST_SPELLED + 1), "one thousand and one nights", "en"),
        ("3", "drei", "xx"),  # a language num2words does not know
    ],
)
def test_other_words_are_not_a_number(number, text, lang):
    assert not spelled_in(number, text, lang)
