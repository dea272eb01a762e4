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


def test_a_qa_run_scores_each_answer_and_keeps_where_its_time_went(tmp_path):
    import json

    from assistant.evaluation.qa import evaluate_qa_file
    from tests.generation.test_answer import copy_source, make

    assistant, _ = make(tmp_path, copy_source(1), judge_evidence=2)
    dataset = tmp_path / "qa.jsonl"
    rows = [
        {"id": "a", "question": "How many IT training establishments does Da Nang have?", "answers": [["37"]],
         "gold_sources": ["004_9162929b01fb154b.txt"]},
        {"id": "b", "question": "Which minister did Nguyen Manh Hung meet in Seoul?", "answers": [["no such name"]]},
    ]
    dataset.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    report = evaluate_qa_file(dataset, assistant.settings, current=assistant)
    assert report.n == 2 and [i.id for i in report.items] == ["a", "b"]
    assert report.items[1].correct is False  # an accepted string the articles never hold is never found
    for item in report.items:
        stages = item.stages
        assert stages is not None and stages.judge_ms > 0 and stages.retrieve_ms > 0
        assert item.first_token_ms == stages.first_answer_ms <= stages.total_ms
    firsts = sorted(i.first_token_ms for i in report.items)
    assert report.first_token_ms_p50 == round((firsts[0] + firsts[1]) / 2, 1)
