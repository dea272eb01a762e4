"""Citation parsing, the grammar, and strict prompt rendering."""

import pytest

from assistant.errors import ConfigError
from assistant.grounding.citations import citation_grammar, format_cited, parse_cited
from assistant.templates import load, render, render_text


def test_parse_assigns_each_marker_group_to_the_sentence_it_ends():
    parsed = parse_cited("Anna Berg opened the bridge [1]. It cost 12 million euros [2][3].", 3)
    assert [(p.text, p.citations) for p in parsed] == [
        ("Anna Berg opened the bridge", [1]),
        ("It cost 12 million euros", [2, 3]),
    ]


def test_parse_keeps_uncited_and_out_of_range_sentences_visible():
    parsed = parse_cited("First claim. Second claim [1, 9]. Trailing words", 2)
    assert parsed[0].text == "First claim." and parsed[0].citations == []
    assert parsed[1].citations == [1] and parsed[1].invalid == [9]
    assert parsed[2].text == "Trailing words" and parsed[2].citations == []


def test_parse_handles_stop_before_marker_and_decimal_numbers():
    parsed = parse_cited("The city has 6.000 graduates. [1].", 1)
    assert [(p.text, p.citations) for p in parsed] == [("The city has 6.000 graduates.", [1])]
    assert parse_cited("", 3) == []


def test_format_moves_the_stop_after_the_markers():
    assert format_cited("It cost 12 million euros.", [2]) == "It cost 12 million euros [2]."
    assert format_cited("Who knows?", [1, 3]) == "Who knows [1][3]?"


def test_grammar_names_only_real_sources():
    grammar = citation_grammar(3)
    assert '"1" | "2" | "3"' in grammar and '"4"' not in grammar
    assert grammar.startswith("root ::= sentence")
    # A stop inside a sentence goes on only without a space: "6.000", "i.e.,", never "end. Next".
    assert """char ::= [^\\[\\]\\n.!?<>] | "." [0-9A-Za-z,)]""" in grammar
    with pytest.raises(ValueError):
        citation_grammar(0)


def test_prompts_render_strictly():
    text = render("answer", sources="[1] x", question="Why?", language="English")
    assert "[1] x" in text and "Why?" in text and "English" in text
    with pytest.raises(ConfigError, match="question"):
        render("answer", sources="[1] x", language="English")
    with pytest.raises(ConfigError, match="extra"):
        render_text("Hello {{ name }}", name="x", extra="y")
    with pytest.raises(ConfigError, match="missing"):
        load("no-such-template")
    assert "[1]" in load("system")  # the instructions show the citation format
