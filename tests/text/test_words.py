"""The word patterns and the helpers that read words with them."""

from __future__ import annotations

from assistant.text.words import WORD, written_as


def test_a_folded_phrase_is_found_as_the_text_writes_it():
    text = "Poland's rivals, Poland Warsaw and Kraków, met North  Korea's side; north korea lost."
    assert written_as(text, "poland") == ["Poland"]  # once, the possessive left off
    assert written_as(text, "krakow") == ["Kraków"]  # folded: without accents
    assert written_as(text, "north korea") == ["North  Korea", "north korea"]  # each spelling as written
    assert written_as(text, "warsaw poland") == []  # the words in that order only
    assert written_as(text, "1993") == [] and written_as(text, "") == []  # not words


def test_a_word_starts_with_a_letter_and_keeps_its_hyphens_and_apostrophes():
    assert WORD.findall("Jong-ho's 3rd i-Korea") == ["Jong-ho's", "rd", "i-Korea"]
