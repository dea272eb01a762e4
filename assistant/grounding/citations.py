"""The citation format of answers: how to constrain a model to it and how to read it back.

An answer is one to a few sentences, each ending with one or more ``[n]`` markers that name numbered
sources: ``Mayor Anna Berg opened the bridge [1]. It cost 12 million euros [2].`` The GBNF grammar makes
that format hold by construction for llama.cpp (only real source numbers can be produced); the parser is
lenient, because a remote endpoint may ignore the grammar, and whatever it cannot read as a cited
sentence becomes an uncited sentence that the verifier rejects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.text.sentences import split_sentences

_GROUP = re.compile(r"(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+")
_NUMBER = re.compile(r"\d+")
_TRAILING = re.compile(r"^[\s.!?。…]*")


@dataclass
class CitedSentence:
    text: str
    citations: list[int] = field(default_factory=list)
    invalid: list[int] = field(default_factory=list)  # numbers that name no source


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" \t\n-–—*•:")


def _sentences(body: str) -> list[str]:
    return [s for s in (_clean(body[a:b]) for a, b in split_sentences(body)) if s]


def parse_cited(text: str, n_sources: int) -> list[CitedSentence]:
    """Split generated text into sentences with the source numbers each one cites.

    A citation group belongs to the sentence it ends; earlier sentences of the same stretch of text stay
    uncited. Numbers outside 1..n_sources are kept aside as ``invalid``.
    """
    out: list[CitedSentence] = []
    pos = 0
    for match in _GROUP.finditer(text):
        body = text[pos : match.start()]
        numbers = [int(x) for x in _NUMBER.findall(match.group(0))]
        valid = list(dict.fromkeys(n for n in numbers if 1 <= n <= n_sources))
        invalid = [n for n in numbers if not 1 <= n <= n_sources]
        parts = _sentences(body)
        if parts:
            out.extend(CitedSentence(p) for p in parts[:-1])
            out.append(CitedSentence(parts[-1], valid, invalid))
        elif out:  # a second marker group right after a sentence ("… [1] [2].")
            out[-1].citations = list(dict.fromkeys(out[-1].citations + valid))
            out[-1].invalid += invalid
        pos = match.end()
        pos += len(_TRAILING.match(text[pos:]).group(0))
    out.extend(CitedSentence(p) for p in _sentences(text[pos:]))
    return out


def format_cited(text: str, citations: list[int]) -> str:
    """A sentence with its markers: ``text [1][2].`` (the final stop moves after the markers)."""
    body = text.rstrip()
    end = ""
    if body and body[-1] in ".!?":
        body, end = body[:-1].rstrip(), body[-1]
    marks = "".join(f"[{n}]" for n in citations)
    return f"{body} {marks}{end or '.'}" if marks else f"{body}{end or '.'}"


def citation_grammar(
    n_sources: int, max_sentences: int = 2, max_chars: int = 160, only: list[int] | None = None
) -> str:
    """GBNF for 1..max_sentences sentences, each ending in markers that name sources 1..n_sources.

    Inside a sentence a full stop may only be followed by a digit ("6.000", "2.5"), a letter, a comma or a
    closing bracket ("i.e.,", "U.S.-based"), never by a space, so a sentence cannot run on into the next one
    without its citation: after its last word the model must cite. (With digits alone, "the binary alphabet
    (i.e. …" was cut at "(i" and cited.) Angle brackets
    are excluded: llama.cpp lets a special token such as Gemma's ``<start_of_image>`` through as text when
    the grammar accepts its characters, and a tiny model emits it. ``only``
    restricts the markers to the given numbers (a brief point cites its own key sentence).
    """
    if n_sources < 1:
        raise ValueError("a cited answer needs at least one source")
    allowed = only or list(range(1, n_sources + 1))
    if any(not 1 <= n <= n_sources for n in allowed):
        raise ValueError("citation numbers must name sources")
    numbers = " | ".join(f'"{n}"' for n in allowed)
    more = ' (" " sentence)?' * (max_sentences - 1)
    return "\n".join(
        [
            f"root ::= sentence{more}",
            f'sentence ::= [^ \\[\\]\\n.!?<>] char{{8,{max_chars}}} [.!?]? " " cite cite? "."',
            'char ::= [^\\[\\]\\n.!?<>] | "." [0-9A-Za-z,)]',
            f'cite ::= "[" ({numbers}) "]"',
        ]
    )
