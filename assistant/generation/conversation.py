"""Saved conversations as the pipeline and the reader see them: the history a follow-up is resolved from,
and the exports (JSON, Markdown) from which a reader can check every claim without the app.

The Markdown gives, per question, the answer as displayed (each sentence with its ``[n]``; a translated
sentence with its original and language; a quote labelled with its language), then the numbered sources
with their quoted sentence, its verified translation, the source's name, title, date and URL.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Sequence

from assistant.generation.shown_sources import provenance
from assistant.models import Answer, Conversation, ConversationExport, ConversationTurn
from assistant.text.language import LANGUAGE_NAMES

#: Turns of a saved conversation a follow-up is read against (the rewrite prompt uses the last three).
HISTORY_TURNS = 3


def history_of(turns: Sequence[ConversationTurn]) -> list[tuple[str, str]]:
    """(question, displayed answer) of the last turns, oldest first: what ``ask`` takes as ``history``."""
    return [(t.answer.question, t.answer.answer) for t in turns[-HISTORY_TURNS:]]


def export_conversation(conversation: Conversation, turns: Sequence[ConversationTurn]) -> ConversationExport:
    return ConversationExport(
        exported=datetime.now(timezone.utc).isoformat(timespec="seconds"), conversation=conversation, turns=list(turns)
    )


def _lang(code: str | None) -> str:
    return LANGUAGE_NAMES.get(code or "", code or "unknown language")


def _cites(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _answer_lines(answer: Answer) -> list[str]:
    lines: list[str] = []
    shown = [s for s in answer.sentences if s.supported]
    if not shown:
        lines.append(answer.answer or "_The sources do not answer this question._")
    for s in shown:
        if s.kind == "translation":
            lines.append(f"{s.text} {_cites(s.citations)} — *{provenance('translation', s.original_lang, answer.answer_lang)}*")
            if s.original:
                lines.append(f"  > original ({_lang(s.original_lang)}): {s.original}")
        elif s.kind == "quote":
            label = provenance("quote", s.lang, answer.answer_lang)
            lines.append(f"> {s.text} {_cites(s.citations)}" + (f" — *{label}*" if label else ""))
        else:
            lines.append(f"{s.text} {_cites(s.citations)}")
    withheld = [s for s in answer.sentences if not s.supported]
    if withheld:
        lines.append("")
        lines.append("Not shown as fact (failed verification): " + "; ".join(f"\"{s.text}\" ({s.reason or 'unsupported'})" for s in withheld))
    return lines


def _source_lines(answer: Answer) -> list[str]:
    lines = []
    for src in answer.sources:
        where = ", ".join(x for x in (_lang(src.lang), src.date or "undated") if x)
        head = f"[{src.n}] {src.title} — {src.source} ({where})"
        if src.url and src.url != src.source:
            head += f" <{src.url}>"
        lines.append(head)
        lines.append(f"    > {src.quote}")
        if src.translation:
            lines.append(f"    > {_lang(src.translation_lang)} (verified translation): {src.translation}")
    return lines


def conversation_markdown(export: ConversationExport) -> str:
    c = export.conversation
    out = [
        f"# {c.name}",
        "",
        f"Conversation `{c.id}`, {c.turns} question{'s' if c.turns != 1 else ''}, started {c.started}, last "
        f"answer {c.updated}; exported {export.exported} from the news assistant. Every sentence cites its "
        "numbered source; each source gives the sentence quoted from the document.",
        "",
    ]
    for turn in export.turns:
        a = turn.answer
        out.append(f"## {turn.n}. {a.question}")
        out.append("")
        note = f"Asked {turn.asked}; answer in {_lang(a.answer_lang)}; model {a.model}."
        if a.standalone_question and a.standalone_question != a.question:
            note += f" Read as: “{a.standalone_question}”."
        out += [f"*{note}*", ""]
        out += _answer_lines(a)
        if a.sources:
            out += ["", "Sources:", ""]
            out += _source_lines(a)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
