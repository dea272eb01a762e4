"""The answer profile counts each model call under the step of the package that made it."""

from __future__ import annotations

from assistant.backends.fake_chat import FakeChatModel
from assistant.generation.translation import translate_one
from benchmarks.answer_profile import TimedModel


def test_calls_are_counted_under_the_step_that_made_them_and_pass_through_unchanged():
    fake = FakeChatModel(replies=["Da Nang has 37 establishments."], scorer=lambda messages, reply: [-0.5, -1.0])
    model = TimedModel(fake)
    text = translate_one(model, "Dà Nang compte 37 établissements.", "fr", "en", candidates=1)
    assert text == "Da Nang has 37 establishments."
    assert model.reply_logprobs([], "x") == [-0.5, -1.0]  # called from here, outside the package
    assert model.name == "fake" and len(fake.prompts) == 1
    assert set(model.calls) == {("stream", "translate_one"), ("reply_logprobs", "?")}
    assert model.calls[("stream", "translate_one")][0] == 1


def test_the_report_says_what_the_reader_saw_first_and_what_the_answer_opens_with():
    from benchmarks.answer_profile import render

    result = {
        "question": "Who?", "answer_lang": "en", "seconds": 12.0, "timings": {"first_answer_ms": 4000.0},
        "first_shown": "Choi Youngsam is the ambassador.", "answer_opens": "The ambassador is Choi Youngsam.",
        "calls": [{"method": "stream", "step": "translate_one", "calls": 2, "seconds": 3.5}],
    }
    lines = render([result])
    assert lines[0] == "Who? (answered in en): 12.0 s in all, first visible sentence at 4.0 s"
    assert "First shown: 'Choi Youngsam is the ambassador.'; the answer opens: 'The ambassador is Choi Youngsam.'" in lines
    assert "| translate_one | stream | 2 | 3.5 |" in lines
