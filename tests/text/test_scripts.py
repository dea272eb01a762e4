"""Letters of another writing system than the language's, unless the source has them."""

from __future__ import annotations

import pytest

from assistant.text.langdata import writing_script
from assistant.text.scripts import foreign_script, script_word


@pytest.mark.parametrize(("code", "script"), [("en", "Latn"), ("vi", "Latn"), ("ru", "Cyrl"), ("ja", "Jpan"),
                                              ("ko", "Kore"), ("zh", "Hans"), ("hi", "Deva"), ("xx", None)])
def test_a_languages_script_comes_from_cldr(code, script):
    assert writing_script(code) == script


def test_letters_are_named_by_their_script_and_other_characters_by_none():
    assert [script_word(c) for c in "ađд鼓ひ한ก"] == ["LATIN", "LATIN", "CYRILLIC", "CJK", "HIRAGANA", "HANGUL", "THAI"]
    assert [script_word(c) for c in "5 .-٣"] == [None] * 5


@pytest.mark.parametrize(
    ("text", "lang", "sources", "foreign"),
    [
        # the model drifted into Chinese at the end of an English point
        ("Training human resources for Industry 4.0; and鼓励韩国 companies.", "en", [], ["鼓励韩国"]),
        ("Он сказал, что 한국 важен.", "ru", [], ["한국"]),
        ("Lev Tolstoy wrote it; Лев Толстой.", "en", [], ["Лев", "Толстой"]),
        # a name copied in the script of the source it stands for is no drift
        ("Лев Толстой wrote it.", "en", ["Лев Толстой написал это."], []),
        # Latin letters stand in any language's news (names, acronyms); a language's own letters always
        ("東京で会議が開かれた。AI と 5G の協力。", "ja", [], []),
        ("Bộ trưởng Nguyễn Mạnh Hùng đã gặp Đại sứ.", "vi", [], []),
        ("Bộ trưởng gặp 이종호.", "vi", [], ["이종호"]),
        # a language CLDR has no script for is not judged
        ("鼓励韩国", "xx", [], []),
    ],
)
def test_runs_of_letters_in_a_script_the_language_is_not_written_in(text, lang, sources, foreign):
    assert foreign_script(text, lang, sources) == foreign
