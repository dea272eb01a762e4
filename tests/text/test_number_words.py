"""Numbers written in words (num2words), compared as each language's closed classes are."""

from __future__ import annotations

import pytest

from assistant.text.number_words import LARGEST_SPELLED, number_words_in, spelled_in, worded_in


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


def test_the_numbers_a_text_writes_as_number_words():
    assert number_words_in("Die sechs-malige Grammy-Gewinnerin und Oscar-Nominierte Lady Gaga", "de") == {"6"}
    assert number_words_in("drei Spiele, zwei Tore und ein Elfmeter", "de") == {"3"}  # from three: "zwei", "ein" are idioms too
    assert number_words_in("Trois entreprises ont investi huit pour cent de plus", "fr") == {"3", "8"}  # "cent": per cent
    assert number_words_in("un bâtiment neuf", "fr") == set()  # "neuf": new
    assert number_words_in("Ba Lan có bốn đội", "vi") == {"4"}  # "Ba Lan": Poland
    assert number_words_in("seven goals and twenty-one points", "en") == {"7"}  # one word each, not "twenty-one"
    assert number_words_in("He came third.", "en") == set()  # ordinals are not number words here


def test_a_number_kept_in_words_also_heads_a_compound():
    assert worded_in("7", "des Siebenjährigen Krieges", "de") and worded_in("6", "the six-time winner", "en")
    assert worded_in("3", "a third of the votes", "en")  # spelled_in's ordinals count
    assert not worded_in("6", "Lady Gaga performed the national anthem", "en")
