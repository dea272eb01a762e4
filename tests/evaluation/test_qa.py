"""The eval's own re-check of what an answer displays as verified."""

from __future__ import annotations

from assistant.backends.embedder import HashingEmbedder
from assistant.evaluation.qa import check_displayed
from assistant.models import Answer, AnswerSentence, Source

BEFORE_DE, QUOTE_DE = "Die Warschauer Börse wurde 1817 gegründet.", "Sie wurde im April 1991 wiederbelebt."
BEFORE_EN, QUOTE_EN = "The Warsaw Stock Exchange was founded in 1817.", "It was revived in April 1991."


def _answer(context: str | None, context_lang: str | None) -> Answer:
    passage = f"{BEFORE_DE} {QUOTE_DE}"
    source = Source(n=1, doc_id="d", source="s", title="t", lang="de", chunk_id="d-0", quote=QUOTE_DE,
                    start=len(BEFORE_DE) + 1, end=len(passage), passage=passage, translation=QUOTE_EN,
                    translation_lang="en", context=context, context_lang=context_lang)
    sentence = AnswerSentence(text="The Warsaw Stock Exchange was revived in April 1991.", citations=[1],
                              supported=True, kind="generated", lang="en")
    return Answer(question="When was the Warsaw Stock Exchange revived?", answer_lang="en", answer=sentence.text,
                  answerable=True, sentences=[sentence], sources=[source], model="m")


def test_a_generated_sentence_is_rechecked_with_the_sentence_before_a_pronoun_as_the_verifier_read_it():
    embedder = HashingEmbedder()
    # the names live only in the sentence before "It was revived …": read with it, the citation holds
    assert check_displayed(_answer(BEFORE_EN, "en"), 0.0, embedder) == (1, 1)
    # without it the re-check finds "Warsaw Stock Exchange" in no text it read
    assert check_displayed(_answer(None, None), 0.0, embedder) == (1, 0)
    # the threshold still applies: a context cannot make a distant sentence close
    assert check_displayed(_answer(BEFORE_EN, "en"), 1.01, embedder) == (1, 0)
