"""Does a translation say what its original says? The model as a yes/no judge, read from its token
probabilities.

Names and numbers are checked by :mod:`assistant.grounding.facts`, closeness by e5; neither sees a name put
in the wrong role ("the player praised the coach" for "the coach praised the player"), a relation turned
round, a negation added or an office mistranslated, because every word still matches. The model does,
often enough to be worth a short call: the probability it gives "Yes" after the few-shot prompt in
``prompts/judge_translation_system.txt`` is compared with ``ASSISTANT_FAITHFULNESS_THRESHOLD``, calibrated
on the labelled set in ``eval/faithfulness/`` (tune half; precision and recall on the other half are in
BENCHMARKS.md). The fixed instructions come first, so llama.cpp keeps them cached between calls.
"""

from __future__ import annotations

from assistant.backends.chat import ChatMessage, ChatModel
from assistant.templates import render
from assistant.text.langdata import language_name

OPTIONS = ("Yes", "No")


class FaithfulnessJudge:
    """The model's probability that a translation is faithful."""

    def __init__(self, model: ChatModel) -> None:
        self.model = model

    @staticmethod
    def messages(original: str, original_lang: str, text: str, lang: str) -> list[ChatMessage]:
        return [
            ChatMessage("system", render("judge_translation_system")),
            ChatMessage(
                "user",
                render(
                    "judge_translation",
                    source_language=language_name(original_lang),
                    original=" ".join(original.split()),
                    language=language_name(lang),
                    translation=" ".join(text.split()),
                ),
            ),
        ]

    def p_faithful(self, original: str, original_lang: str, text: str, lang: str) -> float:
        return self.model.choice_probs(self.messages(original, original_lang, text, lang), OPTIONS)[0]
