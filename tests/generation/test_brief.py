"""Briefs with the scripted fake model (hashed embedder, real embedded Chroma)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import assistant.generation.brief as brief_module
from assistant.backends.embedder import HashingEmbedder
from assistant.backends.fake_chat import FakeChatModel
from assistant.config import Settings
from assistant.errors import InputError, NotFoundError
from assistant.generation.brief import KeySentence, brief_markdown, map_reduce, point_count
from assistant.models import Brief, DocumentInfo
from assistant.service import NewsAssistant
from assistant.text.lexicon import titles_named
from assistant.ui.render import brief_html
from tests.generation.test_answer import EN_37, FR_37
from tests.support.paths import SEEDS

GERMAN = "001_a266f9cc8be359ef.txt"
FRENCH = "004_9162929b01fb154b.txt"


def in_english(sentence: str) -> str:
    """A stand-in English point: the sentence's names and numbers in an English frame (a copy of the German
    sentence would be refused as not written in English)."""
    facts = re.findall(r"(?<![\w-])(?:[A-ZÀ-Ý][\w-]*|\d[\d.,]*\d|\d)", sentence)
    facts = [f for f in facts if not titles_named(f)]  # a title left in German is refused as untranslated
    return "the article says that this is about " + " and ".join(facts or ["nothing else"])


def restate(edit=in_english):
    """A reply that 'translates' the key sentence (by default into a stand-in English, see ``in_english``)
    and cites it."""

    def reply(messages):
        n, sentence = re.search(r"^\[(\d+)\] (.+)$", messages[-1].content, flags=re.M).groups()
        return f"{edit(sentence).rstrip('.')} [{n}]."

    return reply


def make(tmp_path, reply, **overrides):
    values = dict(store_dir=tmp_path / "store", embedder="hash", brief_support_threshold=0.5, brief_points=4,
                  brief_max_points=4, translate_queries="", translate_evidence=0)  # the scripted replies are brief points, not translations
    values.update(overrides)
    model = FakeChatModel(replies=reply)
    assistant = NewsAssistant(Settings(**values), embedder=HashingEmbedder(), model=model)
    assistant.ingest([SEEDS])
    return assistant, model


def test_a_german_article_gets_english_and_german_points_paired_with_quotes(tmp_path):
    # The hashed embedder cannot see that an English point restates a German sentence: meaning is not tested here.
    assistant, model = make(tmp_path, restate(), brief_support_threshold=0.0)
    brief = assistant.brief([GERMAN])
    assert brief.langs == ["en", "de"]
    assert len(brief.points) == 4 and len(model.prompts) == 4  # one model call per point, English only
    doc = assistant.store.get_document(brief.documents[0].doc_id)
    for point in brief.points:
        assert set(point.texts) == {"en", "de"}
        assert point.kinds["de"] == "original" and point.texts["de"] == point.quote
        assert point.kinds["en"] == "generated" and point.supported
        (n,) = point.citations
        source = brief.sources[n - 1]
        assert source.quote == point.quote and doc.text[source.start : source.end] == point.quote
    assert "English" in model.prompts[0][-1].content
    assert model.grammars[0] and '"1"' in model.grammars[0] and '"2"' not in model.grammars[0]
    Brief.model_validate(brief.model_dump())


def test_a_copy_of_the_german_sentence_is_not_shown_as_an_english_point(tmp_path):
    assistant, _ = make(tmp_path, restate(lambda s: s), brief_support_threshold=0.0)
    brief = assistant.brief([GERMAN])
    for point in brief.points:
        assert point.kinds["en"] == "quote" and point.texts["en"] == point.quote
        assert point.rejected["en"].endswith("not written in en, the language asked for")


def test_a_point_with_a_wrong_number_falls_back_to_the_quote(tmp_path):
    def wrong_number(sentence):
        return re.sub(r"\d+", "999", sentence) if re.search(r"\d", sentence) else sentence + " in 1999"

    assistant, _ = make(tmp_path, restate(wrong_number))
    brief = assistant.brief([FRENCH], langs=["en", "fr"])
    for point in brief.points:
        assert point.kinds["en"] == "quote" and point.texts["en"] == point.quote
        assert "999" in point.rejected["en"] or "1999" in point.rejected["en"]
        assert "999" not in point.texts["en"] or "999" in point.quote


def test_a_point_that_leaves_out_a_name_other_languages_share_falls_back_to_the_quote(tmp_path):
    # "Choi Youngsam" is written so in the Indonesian seed too; the stand-in English point drops it.
    def without_the_ambassador(sentence):
        return in_english(sentence).replace(" and Choi", "").replace(" and Youngsam", "")

    assistant, _ = make(tmp_path, restate(without_the_ambassador), brief_support_threshold=0.0,
                        brief_points=30, brief_max_points=30)
    brief = assistant.brief([GERMAN], langs=["en", "de"])
    named = [p for p in brief.points if "Youngsam" in p.quote]
    assert named and all(p.kinds["en"] == "quote" and "leaves out" in p.rejected["en"] for p in named)
    assert all("youngsam" in p.rejected["en"] for p in named if "Choi Youngsam" in p.quote)
    others = [p for p in brief.points if "Youngsam" not in p.quote]
    assert any(p.kinds["en"] == "generated" for p in others)
    assert not any("leaves out" in p.rejected.get("en", "") for p in others)


def test_a_story_is_briefed_once_in_the_requested_language(tmp_path):
    assistant, _ = make(tmp_path, restate())
    # The hashed embedder cannot see translations; group the two versions as the real one does.
    pair = [d.doc_id for d in assistant.documents() if d.source.startswith(("000_", "001_"))]
    assistant.store.set_story_ids({doc_id: "story-test" for doc_id in pair})
    assistant.retriever.invalidate()
    brief = assistant.brief(story="story-test", langs=["en", "de"])
    assert {d.lang for d in brief.documents} == {"id", "de"}
    assert {s.lang for s in brief.sources} == {"de"}  # read in German, not twice
    assert any("not briefed twice" in note for note in brief.notes)


def test_map_reduce_keeps_every_citation_through_the_reduce(tmp_path, monkeypatch):
    monkeypatch.setattr(brief_module, "WINDOW_TOKENS", 120)  # force several windows
    assistant, _ = make(tmp_path, restate())
    brief = assistant.brief([GERMAN, FRENCH], langs=["en"])
    docs = {d.doc_id: assistant.store.get_document(d.doc_id) for d in brief.documents}
    assert len(brief.points) == 4
    for point in brief.points:
        source = brief.sources[point.citations[0] - 1]
        assert docs[source.doc_id].text[source.start : source.end] == point.quote


def test_longer_inputs_get_one_point_per_three_sentences_within_the_bounds(tmp_path):
    assert [point_count(n, 6, 12) for n in (4, 10, 18, 19, 24, 36, 37, 200)] == [4, 6, 6, 7, 8, 12, 12, 12]
    assert point_count(24, 6, 3) == 6  # the least wins over a smaller most
    assistant, model = make(tmp_path, restate(), brief_points=2, brief_max_points=30, brief_support_threshold=0.0)
    brief = assistant.brief([GERMAN])
    sentences = len(assistant.briefs.candidates(brief.documents))
    assert sentences > 6 and len(brief.points) == point_count(sentences, 2, 30) == -(-sentences // 3)


def test_map_reduce_picks_central_sentences_and_keeps_reading_order():
    doc = DocumentInfo(doc_id="d", source="d.txt", title="t", lang="en", chars=100, n_chunks=1)
    rng = np.random.default_rng(0)
    centre = rng.normal(size=16)
    vectors = [centre + rng.normal(scale=s, size=16) for s in (0.5, 3.0, 0.5, 3.0, 0.5, 0.5)]
    vectors = [v / np.linalg.norm(v) for v in vectors]
    cands = [KeySentence(doc, f"sentence {i} " * 10, i * 100, i * 100 + 50, v, i / 5) for i, v in enumerate(vectors)]
    picked = map_reduce(cands, 3, window_tokens=45)
    assert [k.start for k in picked] == sorted(k.start for k in picked)
    assert {k.start for k in picked} <= {0, 200, 400, 500}  # the outliers (1, 3) are never central


def test_topic_brief_uses_what_retrieval_found(tmp_path):
    assistant, _ = make(tmp_path, restate())
    topic = "IT training establishments in Da Nang"
    brief = assistant.brief(topic=topic, langs=["en"])
    assert brief.topic == topic and brief.points
    found = {h.doc_id for h in assistant.search(topic, k=8)}
    assert {s.doc_id for s in brief.sources} <= found  # only what retrieval found is briefed
    assert {d.doc_id for d in brief.documents} <= found


def test_bad_requests_are_clear_errors(tmp_path):
    assistant, _ = make(tmp_path, restate())
    with pytest.raises(InputError, match="nothing to brief"):
        assistant.brief([])
    with pytest.raises(InputError, match="at most two"):
        assistant.brief([GERMAN], langs=["en", "de", "fr"])
    with pytest.raises(NotFoundError):
        assistant.brief(["no-such-file.txt"])
    with pytest.raises(NotFoundError):
        assistant.brief(story="story-nope")


def test_markdown_shows_both_languages_quotes_and_sources(tmp_path):
    assistant, _ = make(tmp_path, restate())
    text = brief_markdown(assistant.brief([GERMAN]))
    assert "| English | German | Original |" in text
    assert "## Sources" in text and GERMAN in text and "[1]" in text


def test_rank_prefers_a_sentence_that_adds_names_and_dates_to_a_near_repeat(monkeypatch):
    doc = DocumentInfo(doc_id="d", source="d.txt", title="t", lang="en", chars=300, n_chunks=1)

    def unit(*xs):
        v = np.array(xs, dtype=float)
        return v / np.linalg.norm(v)

    texts_vectors = [
        ("Minister Hung met the ambassador in Hanoi this morning.", unit(1, 0.4, 0, 0)),
        ("Minister Hung met the ambassador in Hanoi, the ministry said.", unit(1, 0, 0.4, 0)),
        ("Choi Youngsam proposed OpenRAN and 5G cooperation on 10 May.", unit(1, 0, 0, 0.45)),  # a little less central
    ]
    cands = [KeySentence(doc, t, i * 100, i * 100 + len(t), v, 0.0) for i, (t, v) in enumerate(texts_vectors)]
    monkeypatch.setattr(brief_module, "FACT_WEIGHT", 0.0)
    assert [k.start for k in brief_module.rank(cands, 2)] == [0, 100]  # the two most central say the same
    monkeypatch.undo()
    assert [k.start for k in brief_module.rank(cands, 2)] == [0, 200]  # who, what and when win the second place


def test_a_photo_caption_is_never_a_key_sentence(tmp_path):
    # Seed 003 has a caption ("… Lee Jong-ho (Photo: VNA)") that restates its lead; with every sentence a
    # candidate, the caption would be among them.
    assistant, _ = make(tmp_path, restate(), brief_points=30)
    english = next(d for d in assistant.documents() if d.source.startswith("003_"))
    candidates = assistant.briefs.candidates([english])
    assert candidates and not any("(Photo: VNA)" in c.text for c in candidates)
    brief = assistant.brief([english.doc_id])
    assert len(brief.points) == len(candidates) and not any("Photo" in p.quote for p in brief.points)


def test_a_failed_draft_is_followed_by_sampled_ones_and_the_first_that_verifies_is_shown(tmp_path):
    drafts: dict[str, int] = {}

    def wrong_then_right(messages):
        n, sentence = re.search(r"^\[(\d+)\] (.+)$", messages[-1].content, flags=re.M).groups()
        drafts[sentence] = drafts.get(sentence, 0) + 1
        draft = in_english(sentence)
        if drafts[sentence] == 1:  # the first draft of every point invents a year
            draft += " in 1999"
        return f"{draft} [{n}]."

    assistant, model = make(tmp_path, wrong_then_right, brief_drafts=3, seed=5, brief_support_threshold=0.0)
    brief = assistant.brief([FRENCH], langs=["en", "fr"])
    assert all(p.kinds["en"] == "generated" and "1999" not in p.texts["en"] for p in brief.points)
    assert len(model.prompts) == 2 * len(brief.points)  # the second draft passed: no third
    assert model.samplings[:2] == [(None, None), (0.7, 6)]  # greedy first, then sampled with a fixed seed

    drafts.clear()
    assistant, model = make(tmp_path / "one", wrong_then_right, brief_drafts=1, brief_support_threshold=0.0)
    brief = assistant.brief([FRENCH], langs=["en", "fr"])
    assert all(p.kinds["en"] == "quote" and "1999" in p.rejected["en"] for p in brief.points)
    assert len(model.prompts) == len(brief.points)


def test_written_english_dates_lose_their_ordinals_before_they_are_verified(tmp_path):
    def dated(sentence):
        return in_english(sentence) + " on the 10th of May"

    assistant, _ = make(tmp_path, restate(dated), brief_support_threshold=0.0)
    brief = assistant.brief([GERMAN])  # 001 is dated 10 May ("am Morgen des 10. Mai")
    shown = [p.texts["en"] for p in brief.points if p.kinds["en"] == "generated"]
    assert shown and all("on 10 May" in t and "10th" not in t for t in shown)


def condensing(short: str):
    """A scripted model that translates FR_37 as EN_37 (other sentences come back unchanged: no translation),
    condenses into ``short`` and restates other sentences in stand-in English."""
    point = restate()

    def reply(messages):
        if messages[0].content.startswith("You translate sentences"):
            return EN_37 if messages[-1].content == FR_37 else messages[-1].content
        if messages[0].content.startswith("You shorten"):
            n = re.search(r"^\[(\d+)\]", messages[-1].content, flags=re.M).group(1)
            return f"{short} [{n}]."
        return point(messages)

    return reply


def _point_of(brief, quote):
    (point,) = [p for p in brief.points if p.quote == quote]
    return point


@pytest.mark.parametrize(
    "short, kind",
    [
        ("Dà Nang has 37 establishments offering IT training", "generated"),
        ("Dà Nang has 99 establishments offering IT training", "translation"),  # a fact the translation lacks
        ("Currently, Dà Nang has 37 establishments offering IT training, with about 6,000 graduates each year", "translation"),
    ],
)
def test_a_long_checked_translation_is_condensed_and_the_point_verified_against_it(tmp_path, short, kind):
    assistant, model = make(
        tmp_path, condensing(short), translate_evidence=6, translation_threshold=0.0, brief_support_threshold=0.0,
        brief_condense_words=10, brief_points=30, brief_max_points=30,
    )
    brief = assistant.brief([FRENCH], langs=["en", "fr"])
    point = _point_of(brief, FR_37)
    assert point.kinds["en"] == kind and point.supported
    asked = [p[-1].content for p in model.prompts if p[0].content.startswith("You shorten")]
    # only the long translation; the name other languages write the same way is named
    assert asked == [f"[{point.citations[0]}] {EN_37}\nNames to keep: Dà Nang.\nShort point in English:"]
    if kind == "generated":
        assert point.texts["en"] == short and point.translations == {"en": EN_37} and "en" not in point.rejected
        assert "full translation" in brief_html(brief) and "6,000 graduates" in brief_html(brief)
    else:
        assert point.texts["en"] == EN_37 and not point.translations
        reason = point.rejected["en"]
        assert reason.startswith("condensed ") and ("99" in reason or "no shorter" in reason)
    Brief.model_validate(brief.model_dump())


def test_condensing_can_be_turned_off(tmp_path):
    assistant, model = make(
        tmp_path, condensing("Dà Nang has 37 establishments"), translate_evidence=6, translation_threshold=0.0,
        brief_condense_words=0, brief_points=30, brief_max_points=30,
    )
    point = _point_of(assistant.brief([FRENCH], langs=["en", "fr"]), FR_37)
    assert (point.kinds["en"], point.texts["en"]) == ("translation", EN_37)
    assert not [p for p in model.prompts if p[0].content.startswith("You shorten")]


def test_stand_ins_are_near_repeats_of_the_same_document_most_similar_first():
    doc = DocumentInfo(doc_id="d", source="d.txt", title="t", lang="id", chars=300, n_chunks=1)
    other_doc = DocumentInfo(doc_id="e", source="e.txt", title="t", lang="id", chars=300, n_chunks=1)

    def unit(*xs):
        v = np.array(xs, dtype=float)
        return v / np.linalg.norm(v)

    key = KeySentence(doc, "the lead", 0, 8, unit(1, 0, 0, 0), 0.0)
    near = KeySentence(doc, "the body's first sentence", 10, 30, unit(1, 0, 0.2, 0), 0.1)  # cosine 0.98
    nearer = KeySentence(doc, "the caption-like line", 40, 60, unit(1, 0, 0.1, 0), 0.2)  # 0.995
    far = KeySentence(doc, "something else", 70, 90, unit(1, 0, 0, 1), 0.3)  # 0.71
    elsewhere = KeySentence(other_doc, "the same lead, another article", 0, 20, unit(1, 0, 0, 0), 0.0)
    other_key = KeySentence(doc, "another key", 100, 120, unit(1, 0.5, 0, 0), 0.5)  # 0.89: not a repeat
    between = KeySentence(doc, "like both keys", 130, 150, unit(1, 0.25, 0, 0), 0.6)  # 0.97 to each
    candidates = [key, near, nearer, far, elsewhere, other_key, between]
    assert brief_module.stand_ins(key, candidates, [key]) == [nearer, near]  # the two most similar (0.995, 0.98)
    candidates.remove(nearer)
    assert brief_module.stand_ins(key, candidates, [key]) == [near, between]
    assert brief_module.stand_ins(key, candidates, [key, other_key]) == [near]  # never a repeat of another key
    assert brief_module.stand_ins(far, candidates, [far]) == []


def test_a_point_that_could_only_quote_its_sentence_is_written_from_a_stand_in(tmp_path, monkeypatch):
    """Points whose sentence names the day ("Mai") fail (a year is invented); a sentence without it stands
    in for them and is written, cited and shown with its own offsets."""

    def invents_a_year_for_may(sentence):
        return in_english(sentence) + (" in 1999" if "Mai" in sentence else "")

    assistant, _ = make(tmp_path, restate(invents_a_year_for_may), brief_support_threshold=0.0)
    offered: list = []

    def without_may(key, candidates, keys):  # each point gets a sentence of its own
        spare = [c for c in candidates if "Mai" not in c.text and c not in keys and c not in offered][:1]
        offered.extend(spare)
        return spare

    monkeypatch.setattr(brief_module, "stand_ins", without_may)
    brief = assistant.brief([GERMAN])
    doc = assistant.store.get_document(brief.documents[0].doc_id)
    replaced = [p for p in brief.points if p.stands_in_for]
    assert replaced and all("Mai" in p.stands_in_for and "Mai" not in p.quote for p in replaced)
    for point in brief.points:
        assert point.kinds["en"] == "generated" and "1999" not in point.texts["en"]
        source = brief.sources[point.citations[0] - 1]
        assert source.quote == point.quote == point.texts["de"] and doc.text[source.start : source.end] == point.quote
    assert replaced[0].stands_in_for in brief_html(brief) and "in place of" in brief_html(brief)
    assert " ".join(replaced[0].stands_in_for.split()) in brief_markdown(brief)
    Brief.model_validate(brief.model_dump())


def test_a_point_keeps_its_quote_when_no_stand_in_does_better(tmp_path):
    def invents_a_year(sentence):
        return in_english(sentence) + " in 1999"

    assistant, _ = make(tmp_path, restate(invents_a_year), brief_support_threshold=0.0)
    brief = assistant.brief([GERMAN])
    for point in brief.points:
        assert point.kinds["en"] == "quote" and point.stands_in_for is None and "1999" in point.rejected["en"]
        assert brief.sources[point.citations[0] - 1].quote == point.quote


def test_the_condensing_prompt_names_the_names_a_point_must_keep(tmp_path):
    """Told only to keep "every name", the model dropped them from every condensed seed point; the prompt now
    names those the point must keep (written the same in another language of the store), as the translation
    writes them, and a point that keeps them passes."""
    point = restate()

    def reply(messages):
        if messages[0].content.startswith("You translate sentences"):
            said = in_english(messages[-1].content).replace(" and ", " ").replace("Mai", "May")
            return said + ", as the article says at some length here."  # names as runs: "Choi Youngsam"
        if messages[0].content.startswith("You shorten"):
            n = re.search(r"^\[(\d+)\]", messages[-1].content, flags=re.M).group(1)
            names = re.search(r"^Names to keep: (.+)\.$", messages[-1].content, flags=re.M)
            return f"{names.group(1) if names else 'The minister'} took part [{n}]."
        return point(messages)

    assistant, model = make(tmp_path, reply, translate_evidence=6, translation_threshold=0.0, brief_support_threshold=0.0,
                            brief_condense_words=5, brief_points=30, brief_max_points=30)
    brief = assistant.brief([GERMAN], langs=["en", "de"])
    asked = [p[-1].content for p in model.prompts if p[0].content.startswith("You shorten")]
    named = [a for a in asked if "Choi Youngsam" in a.split("\n")[0]]
    assert named and all(a.split("\n")[1].startswith("Names to keep: ") and "Choi Youngsam" in a.split("\n")[1] for a in named)
    assert all(a.split("\n")[-1] == "Short point in English:" for a in asked)
    kept = [p for p in brief.points if "Choi Youngsam" in p.quote and p.kinds["en"] == "generated"]
    assert kept and all("Choi Youngsam" in p.texts["en"] for p in kept)
