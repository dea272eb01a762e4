"""The one loader of per-language knowledge: the data files in ``assistant/text/data/`` and CLDR via Babel.

Per-language knowledge is data, not code: month names, country names and language names come from CLDR
(the Unicode Common Locale Data Repository, which Babel ships), and what CLDR does not cover (stop words,
title and institution words, homographs of month names) is in TOML files beside this module, in the form
it is compared in (folded), which ``tests/text/test_langdata.py`` checks entry by entry.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def data_file(name: str) -> dict[str, Any]:
    """The TOML file ``data/<name>.toml``, parsed (cached: the files are read once per process)."""
    text = resources.files("assistant.text").joinpath("data", f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def reading_languages() -> tuple[str, ...]:
    """ISO 639-1 codes of the languages the assistant reads (``data/languages.toml``)."""
    return tuple(data_file("languages")["codes"])


def sister_languages(code: str) -> tuple[str, ...]:
    """The languages whose standard names of places language ``code``'s news writes as its own
    (``[sisters]`` of ``data/languages.toml``: Indonesian and Malay); none for most."""
    return tuple(data_file("languages").get("sisters", {}).get(code, ()))


@lru_cache(maxsize=None)
def language_name(code: str, in_lang: str = "en") -> str:
    """The name of language ``code`` in ``in_lang`` from CLDR ("de" → "German"); the code if CLDR has none."""
    from babel import Locale

    return Locale.parse(in_lang).languages.get(code) or code


def language_name_in_phrase(code: str, in_lang: str) -> str:
    """:func:`language_name` as written inside a phrase of ``in_lang`` (``data/messages.toml``,
    ``[language_name_in_phrase]``): Vietnamese "tiếng Anh" in "dịch từ tiếng Anh", where CLDR's stand-alone
    form is "Tiếng Anh"."""
    name = language_name(code, in_lang)
    if data_file("messages")["language_name_in_phrase"].get(in_lang) == "lower-first" and name[:1].isupper():
        return name[0].lower() + name[1:]
    return name


def message(key: str, lang: str, **values: str) -> str:
    """The fixed phrase ``key`` of ``data/messages.toml`` in ``lang`` (English when it has none), filled."""
    phrases = data_file("messages")[key]
    return phrases.get(lang, phrases["en"]).format(**values)


@lru_cache(maxsize=None)
def writing_script(code: str) -> str | None:
    """The ISO 15924 script language ``code`` is most likely written in, from CLDR's likely subtags ("ru" →
    "Cyrl", "ja" → "Jpan"); None when CLDR does not know the language."""
    from babel.core import get_global

    likely = get_global("likely_subtags").get(code)
    parts = likely.split("_") if likely else []
    return parts[1] if len(parts) > 2 else None
