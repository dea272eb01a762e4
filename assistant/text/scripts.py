"""Letters of another writing system than the language's: a model that drifts into another script.

Qwen-family models, trained on much Chinese, sometimes finish an English sentence in Chinese ("… and
鼓励韩国"); lingua judges the sentence English by its other words and the words are no names, so nothing
else would notice. A letter counts as foreign when its script (the first word of its Unicode name, see
``data/scripts.toml``) is neither the language's (CLDR's likely script), nor Latin (names and acronyms
appear in Latin letters in any language's news), nor found in the texts the sentence stands for (a name
copied in its own script).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Iterable

from assistant.text.langdata import data_file, writing_script

#: Letters of any language's news, whatever its script: names, acronyms, units.
EVERYWHERE = "Latn"


@lru_cache(maxsize=1)
def _letters() -> dict[str, frozenset[str]]:
    return {code: frozenset(words) for code, words in data_file("scripts")["letters"].items()}


@lru_cache(maxsize=1)
def _judged() -> frozenset[str]:
    return frozenset().union(*_letters().values())


def script_word(ch: str) -> str | None:
    """The script of a letter as its Unicode name begins ("LATIN", "CJK", "HANGUL"), None for a letter of a
    script the table does not list, and for anything that is not a letter."""
    if not ch.isalpha():
        return None
    word = unicodedata.name(ch, "").split(" ")[0]
    return word if word in _judged() else None


def scripts_in(text: str) -> set[str]:
    """The scripts (as :func:`script_word` names them) of the letters of ``text``."""
    return {w for ch in text if (w := script_word(ch))}


def foreign_script(text: str, lang: str, sources: Iterable[str] = ()) -> list[str]:
    """The runs of letters in ``text`` whose script ``lang`` is not written in, nor Latin, nor found in
    ``sources``; empty when CLDR does not know the language's script (nothing is judged then)."""
    own = writing_script(lang)
    if own is None or own not in _letters():
        return []
    allowed = set(_letters()[own]) | _letters()[EVERYWHERE]
    for source in sources:
        allowed |= scripts_in(source)
    runs: list[str] = []
    current = ""
    for ch in text:
        word = script_word(ch)
        if (word is not None and word not in allowed) or (current and word is None and ch.isalpha()):
            current += ch  # a letter no table lists (々, ー) inside a run keeps it whole
        elif current:
            runs.append(current)
            current = ""
    return runs + ([current] if current else [])
