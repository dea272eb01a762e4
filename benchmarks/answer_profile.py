"""Where one answer's time goes: every model call of an answer, timed and grouped by the step that made it.

    .venv/bin/python -m benchmarks.answer_profile --store-dir vectorstore "Wie viele IT-Ausbildungseinrichtungen gibt es in Da Nang?"

The store is copied to a temporary folder first (unless ``--cached``), so no translation of an earlier run is
reused and the store itself is left as it was. Before the question the assistant warms up as `serve` does at
start (:meth:`~assistant.service.NewsAssistant.warm_up`: the prompts' fixed instructions evaluated), so the
figures are what a reader of a started server waits for. A call is counted under the nearest function of the
package outside the model adapters (``translate_one``, ``reads_best``, ``p_answers``, ``compose`` …), as a
profiler's flat view would, but in wall time of the model alone: what choosing a translation, judging or
writing costs on this machine.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from assistant.backends.chat import get_chat_model
from assistant.config import Settings
from assistant.service import NewsAssistant
from benchmarks.output import ROOT, publish

PACKAGE = ROOT / "assistant"
ADAPTERS = PACKAGE / "backends"
#: The model's methods that run it; the rest (its name, counting tokens) are passed through untimed.
TIMED = ("stream", "choice_probs", "reply_logprobs", "reply_variants")


def step() -> str:
    """The nearest caller in the package but outside the model adapters."""
    frame = sys._getframe(2)
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(PACKAGE) and not path.is_relative_to(ADAPTERS):
            return frame.f_code.co_name
        frame = frame.f_back
    return "?"


class TimedModel:
    """The chat model, with the wall time of each call that runs it added to ``calls[(method, step)]``."""

    def __init__(self, model) -> None:
        self.model = model
        self.calls: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])

    def __getattr__(self, name: str):
        attr = getattr(self.model, name)
        if name not in TIMED:
            return attr

        def timed(*args, **kwargs):
            where = (name, step())
            began = time.perf_counter()
            result = attr(*args, **kwargs)
            if name == "stream":  # a generator: its time is spent while it is read
                result = list(result)
            self.calls[where][0] += 1
            self.calls[where][1] += time.perf_counter() - began
            return iter(result) if name == "stream" else result

        return timed


def profile(question: str, store_dir: Path, cached: bool, model: TimedModel) -> dict:
    """One answer to ``question`` over ``store_dir`` (a fresh copy unless ``cached``), its calls counted anew."""
    forget = getattr(model.model, "forget_replies", None)
    if forget:  # replies and readings remembered from an earlier question would be replayed, not timed
        forget()
    with tempfile.TemporaryDirectory() as tmp:
        if not cached:
            shutil.copytree(store_dir, Path(tmp) / "store")
            store_dir = Path(tmp) / "store"
        assistant = NewsAssistant(Settings(store_dir=store_dir), model=model)
        assistant.warm_up()  # as `serve` starts: the prompts' fixed instructions evaluated, not timed here
        model.calls.clear()
        shown = []
        began = time.perf_counter()
        answer = assistant.answers.ask(question, on_sentence=lambda sentence: shown.append(sentence.text))
        seconds = time.perf_counter() - began
    return {
        "question": question,
        "answer_lang": answer.answer_lang,
        "seconds": round(seconds, 1),
        # what the reader saw first, and what the answer opens with (a draft translation may read otherwise)
        "first_shown": shown[0] if shown else None,
        "answer_opens": next((s.text for s in answer.sentences if s.supported), None),
        "timings": answer.timings.model_dump(),
        "calls": sorted(
            ({"method": m, "step": s, "calls": n, "seconds": round(t, 1)} for (m, s), (n, t) in model.calls.items()),
            key=lambda c: -c["seconds"],
        ),
    }


def render(results: list[dict]) -> list[str]:
    lines = []
    for r in results:
        first = r["timings"].get("first_answer_ms")
        lines += [
            f"{r['question']} (answered in {r['answer_lang']}): {r['seconds']} s in all, first visible sentence "
            f"at {first / 1000:.1f} s" if first else f"{r['question']}: {r['seconds']} s in all, nothing shown",
            "",
            f"First shown: {r['first_shown']!r}; the answer opens: {r['answer_opens']!r}",
            "",
            "| step | model method | calls | seconds |",
            "|---|---|---|---|",
            *(f"| {c['step']} | {c['method']} | {c['calls']} | {c['seconds']} |" for c in r["calls"]),
            "",
        ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="+")
    parser.add_argument("--output", default=str(ROOT / ".bench" / "answer_profile.json"))
    parser.add_argument("--store-dir", type=Path, default=Settings().store_dir)
    parser.add_argument("--cached", action="store_true", help="use the store as it is, its cached translations too")
    args = parser.parse_args()
    model = TimedModel(get_chat_model(Settings()))  # loaded once for all the questions
    results = [profile(q, args.store_dir, args.cached, model) for q in args.questions]
    publish(render(results), results, args.output)


if __name__ == "__main__":
    main()
