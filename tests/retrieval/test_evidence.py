"""Evidence selection with the hashed embedder and real embedded Chroma: which sentences become sources."""

from __future__ import annotations

import pytest

import assistant.retrieval.evidence as evidence
from assistant.backends.embedder import HashingEmbedder
from assistant.config import Settings
from assistant.models import SearchFilters
from assistant.retrieval.evidence import select_evidence
from assistant.service import NewsAssistant

QUESTION = "What did the city council decide about the harbour bridge plan?"
ARTICLE = (
    "The city council met on Tuesday to decide about the harbour bridge plan. "
    "It approved a budget of 40 million euros for construction work. "
    "Local shop owners welcomed the news on Wednesday morning."
)
DISTRACTOR = "Harbour bridge plans were discussed by councils across the region last year."


@pytest.fixture()
def assistant(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "bridge.txt").write_text("Harbour bridge\n\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "docs" / "region.txt").write_text("Regional planning\n\n" + DISTRACTOR, encoding="utf-8")
    a = NewsAssistant(Settings(store_dir=tmp_path / "store", embedder="hash"), embedder=HashingEmbedder())
    a.ingest([tmp_path / "docs"])
    return a


def quotes(a: NewsAssistant, n: int) -> list[str]:
    ev = select_evidence(QUESTION, a.retriever, a.store, a.embedder, k=5, n_sentences=n)
    return [s.quote for s in ev.sources]


def test_the_sentence_after_the_best_match_inherits_part_of_its_lead(assistant, monkeypatch):
    """The answer ("a budget of 40 million") shares no word with the question; it follows the sentence that
    restates the question, and that puts it above a sentence from another article that merely shares words."""
    with_follower = quotes(assistant, 2)
    assert with_follower[0].startswith("The city council met")
    assert with_follower[1].startswith("It approved a budget")

    monkeypatch.setattr(evidence, "FOLLOWER_WEIGHT", 0.0)
    without = quotes(assistant, 2)
    assert without[0].startswith("The city council met")
    assert without[1] == DISTRACTOR  # the control: without the bonus the bare word overlap wins


def test_the_lead_only_raises_the_sentence_right_after(assistant):
    """The third sentence follows the answer, not the match: it gets no lead and stays last."""
    assert quotes(assistant, 4)[-1].startswith("Local shop owners")


POLICY_QUESTION = "Which policy for the fourth industrial revolution did Minister Alma Berg mention?"
POLICY_ARTICLE = [
    "Minister Alma Berg opened the regional trade fair in the capital on Monday with a short speech.",
    "Minister Alma Berg then met exporters and bankers from the northern provinces in the afternoon.",
    "Reporters asked Minister Alma Berg about the delayed railway contracts with the neighbouring states.",
    "The government adopted the Green Harbour 2030 policy for the fourth industrial revolution last year.",
]


def test_evidence_looks_through_the_whole_of_each_retrieved_document(tmp_path, monkeypatch):
    """Retrieval ranks the passages that carry the name first, and lets the article fill only its share of
    the list; the sentence that answers names no one and sits in a passage of its own. Evidence is chosen
    by sentence over the whole article, so it is found (and it is quoted with its own passage)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "berg.txt").write_text("Trade fair\n\n" + " ".join(POLICY_ARTICLE), encoding="utf-8")
    settings = Settings(store_dir=tmp_path / "store", embedder="hash", chunk_tokens=32, chunk_overlap=0, lexical_weight=1.0)
    a = NewsAssistant(settings, embedder=HashingEmbedder())
    a.ingest([tmp_path / "docs"])
    hits = a.retriever.search(POLICY_QUESTION, 1)
    assert len(hits) == 1 and "Alma Berg" in hits[0].text and "Green Harbour" not in hits[0].text

    ev = select_evidence(POLICY_QUESTION, a.retriever, a.store, a.embedder, k=1, n_sentences=2)
    best = ev.sources[0]
    assert best.quote == POLICY_ARTICLE[-1]
    assert best.chunk_id != hits[0].chunk_id and best.passage.startswith("The government adopted")
    document = a.store.get_document(best.doc_id).text
    assert document[best.start : best.end] == best.quote  # offsets in the document, as for any source
    # Whether anything relevant was found is still judged on what retrieval returned.
    assert ev.best_cosine == pytest.approx(max(float(s.embedding @ a.embedder.embed_queries([POLICY_QUESTION])[0])
                                                for s in a.store.sentences_of([hits[0].chunk_id])), abs=1e-5)

    monkeypatch.setattr(evidence, "PASSAGES_PER_DOCUMENT", 2)  # a long document: the passages nearest its hit
    near, _ = evidence.document_passages(hits, a.retriever, a.store)
    ordinals = sorted(int(c.rsplit("-", 1)[1]) for c in near)
    assert hits[0].chunk_id in near and len(near) == 2 and ordinals[1] - ordinals[0] == 1


VIETNAMESE_ARTICLE = (
    "Quan hệ Việt Nam và Hàn Quốc\n\n"
    "Hai nước đã thiết lập quan hệ ngoại giao vào ngày 22 tháng 12 năm 1992. "
    "Hàn Quốc hiện là nhà đầu tư lớn nhất tại Việt Nam với hàng nghìn dự án. "
    "Bộ trưởng cho biết hợp tác công nghệ thông tin sẽ được đẩy mạnh trong thời gian tới."
)
RENDERED = "The two countries established diplomatic relations on 22 December 1992."


def test_a_sentence_translated_ahead_is_found_through_its_rendering(tmp_path):
    """An English question shares no word with the Vietnamese sentence that answers it; once that sentence
    is translated ahead (a cached rendering into English), evidence finds it in English, and only where its
    original still stands in the library, under the filters given."""
    from assistant.backends.store_records import CachedTranslation, translation_key

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "vi.txt").write_text(VIETNAMESE_ARTICLE, encoding="utf-8")
    (tmp_path / "docs" / "en.txt").write_text("Trade fair\n\n" + " ".join(POLICY_ARTICLE), encoding="utf-8")
    settings = Settings(store_dir=tmp_path / "store", embedder="hash", chunk_tokens=48, chunk_overlap=0)
    a = NewsAssistant(settings, embedder=HashingEmbedder())
    a.ingest([tmp_path / "docs"])
    question = "When did the two countries establish diplomatic relations?"
    original = "Hai nước đã thiết lập quan hệ ngoại giao vào ngày 22 tháng 12 năm 1992."

    def quotes(**kwargs):
        ev = select_evidence(question, a.retriever, a.store, a.embedder, k=2, n_sentences=3, **kwargs)
        return [s.quote for s in ev.sources]

    assert original not in quotes(renderings=("en", "m"))[:1]  # nothing translated ahead yet
    vector = a.embedder.embed_queries([RENDERED])[0]
    a.store.put_translations([CachedTranslation(translation_key(original, "en", "m"), original, "vi", "en", "m", RENDERED, 0.9, vector)])
    assert quotes(renderings=("en", "m"))[0] == original
    assert original not in quotes()[:1]  # renderings are searched only when asked for
    assert original not in quotes(renderings=("en", "other-model"))[:1]  # another model's translations are not it
    assert original not in quotes(renderings=("en", "m"), filters=SearchFilters(langs=["en"]))
    a.remove("vi.txt")
    assert original not in quotes(renderings=("en", "m"))  # its document is gone: the rendering finds nothing


def test_a_quote_opening_with_a_pronoun_carries_the_sentence_before_it_as_context():
    from assistant.models import Source
    from assistant.retrieval.evidence import referent_context

    passage = "Die Broncos wurden von Peyton Manning angeführt. Er ist 39 Jahre alt."
    quote = "Er ist 39 Jahre alt."
    source = Source(n=1, doc_id="d", source="s.txt", title="t", lang="de", chunk_id="c", quote=quote,
                    start=100 + passage.index(quote), end=100 + len(passage), passage=passage, passage_start=100)
    assert referent_context(source) == "Die Broncos wurden von Peyton Manning angeführt."
    first = source.model_copy(update={"quote": "Die Broncos wurden von Peyton Manning angeführt.", "start": 100})
    assert referent_context(first) is None  # no pronoun: the sentence stands alone
    opening = source.model_copy(update={"passage": quote, "passage_start": source.start})
    assert referent_context(opening) is None  # nothing before it in its passage


def test_a_sentence_in_another_language_than_the_questions_scores_its_cosine_plus_the_lift(tmp_path):
    """e5 puts a sentence in the question's language nearer than an equally relevant one in another: each
    foreign sentence's score gains ``other_language_lift``, the question's own language's does not, and the
    relevance gate still reads the cosines themselves."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "bridge.txt").write_text("Harbour bridge\n\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "docs" / "brücke.txt").write_text(
        "Hafenbrücke\n\nDer Stadtrat hat am Dienstag über den Plan für die Hafenbrücke entschieden. "
        "Er bewilligte ein Budget von 40 Millionen Euro für die Bauarbeiten.",
        encoding="utf-8",
    )

    def scores(lift: float):
        settings = Settings(store_dir=tmp_path / "store", embedder="hash", other_language_lift=lift)
        a = NewsAssistant(settings, embedder=HashingEmbedder())
        a.ingest([tmp_path / "docs"])
        ev = select_evidence(QUESTION, a.retriever, a.store, a.embedder, k=5, n_sentences=10)
        return {s.quote: (s.lang, s.score) for s in ev.sources}, ev.best_cosine

    (plain, gate), (lifted, lifted_gate) = scores(0.0), scores(0.2)
    assert {lang for lang, _ in plain.values()} == {"en", "de"}
    for quote, (lang, score) in plain.items():
        assert lifted[quote][1] == pytest.approx(score + (0.2 if lang == "de" else 0.0), abs=1e-5)
    assert lifted_gate == pytest.approx(gate)


def _candidates(*scored: tuple[float, float]) -> list[evidence.Candidate]:
    """Candidates with (score, lift), best first, with placeholder passages."""
    import numpy as np

    from assistant.models import Hit

    hit = Hit(doc_id="d", source="s", title="t", lang="de", chunk_id="d-0", text="x", start=0, end=1, score=0.0)
    return [evidence.Candidate(score, hit, f"sentence {i}", 0, 1, np.zeros(2), lift) for i, (score, lift) in enumerate(scored)]


def test_the_question_languages_best_sentence_keeps_a_place_the_lift_alone_took_from_it():
    """Three foreign sentences lifted past the best one in the question's language: without the lift it would
    be second of three, so it replaces the third; one that would not make the cut without the lift stays out."""
    near = _candidates((0.90, 0.05), (0.88, 0.05), (0.87, 0.05), (0.86, 0.0), (0.80, 0.0))
    assert [c.text for c in evidence.hedged(near, 3)] == ["sentence 0", "sentence 1", "sentence 3"]
    far = _candidates((0.95, 0.05), (0.94, 0.05), (0.93, 0.05), (0.86, 0.0))
    assert [c.text for c in evidence.hedged(far, 3)] == ["sentence 0", "sentence 1", "sentence 2"]
    own_already_in = _candidates((0.90, 0.05), (0.89, 0.0), (0.88, 0.05), (0.87, 0.0))
    assert evidence.hedged(own_already_in, 3) == own_already_in[:3]
    assert evidence.hedged(near, 1) == near[:1]
