"""Fusion, diversity and story grouping as pure functions."""

import numpy as np
import pytest

from assistant.ingest.stories import group_stories, pair_score
from assistant.models import StoryDoc
from assistant.retrieval.ranking import fuse, mmr, per_document_cap, with_feedback
from assistant.text.words import anchors


def unit(v):
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_fuse_adds_a_scaled_lexical_bonus():
    dense = np.array([0.80, 0.82, 0.81])
    lexical = np.array([5.0, 0.0, 1.0])
    assert list(np.argsort(-fuse(dense, lexical, 0.0))) == [1, 2, 0]  # dense only
    assert np.argmax(fuse(dense, lexical, 1.0)) == 0  # lexical dominates
    small = fuse(dense, lexical, 0.01)
    assert np.argmax(small) == 1  # a clear dense winner keeps its place
    near_tie = fuse(np.array([0.800, 0.801]), np.array([3.0, 0.0]), 0.01)
    assert np.argmax(near_tie) == 0  # a near-tie goes to the exact match
    assert np.allclose(fuse(dense, np.zeros(3), 0.5), dense)
    assert fuse(np.array([]), np.array([]), 0.5).size == 0


def test_feedback_lifts_passages_like_the_top_one():
    top, like_top, unlike = np.eye(3)[0], np.array([0.8, 0.6, 0.0]), np.eye(3)[2]
    scores = np.array([0.85, 0.80, 0.81])
    lifted = with_feedback(scores, np.stack([top, like_top, unlike]), 0.15)
    assert lifted[1] > lifted[2]  # 0.80 + 0.15 × 0.8 against 0.81 + 0
    assert lifted[0] == max(lifted)  # the top passage stays first
    assert np.array_equal(with_feedback(scores, np.stack([top, like_top, unlike]), 0.0), scores)
    assert np.array_equal(with_feedback(scores[:1], top[None, :], 0.15), scores[:1])  # nothing to compare


def test_per_document_cap_follows_the_list_length():
    assert [per_document_cap(k, 3) for k in (1, 3, 4, 6, 9, 20)] == [1, 1, 2, 2, 3, 3]


def test_mmr_diversifies_and_caps_per_document():
    vectors = np.stack([unit([1, 0, 0]), unit([1, 0.01, 0]), unit([0, 1, 0]), unit([0, 0, 1])])
    relevance = np.array([1.0, 0.99, 0.6, 0.5])
    groups = ["a", "a", "b", "c"]
    picks = mmr(relevance, vectors, 3, 0.5, groups, per_group=3)
    assert picks[0] == 0 and 1 not in picks[:2]  # the near-duplicate is pushed down
    capped = mmr(relevance, vectors, 3, 1.0, groups, per_group=1)
    assert capped == [0, 2, 3]
    relaxed = mmr(relevance, vectors, 4, 1.0, groups, per_group=1)
    assert sorted(relaxed) == [0, 1, 2, 3]  # the cap gives way when nothing else is left


def _doc(doc_id, lang, chars, nums, chunk_vectors):
    chunks = np.stack([unit(v) for v in chunk_vectors])
    mean = chunks.mean(axis=0)
    return StoryDoc(doc_id, lang, chars, frozenset(nums), unit(mean), chunks)


def test_translations_group_and_same_topic_articles_do_not():
    base = [[1, 0.1, 0, 0], [0.1, 1, 0, 0], [0, 0.1, 1, 0]]
    near = [[1, 0.12, 0.01, 0], [0.1, 1, 0.02, 0], [0, 0.12, 1, 0.01]]
    topic = [[1, 0.5, 0.3, 0.4], [0.4, 1, 0.5, 0.3], [0.3, 0.5, 1, 0.4]]
    original = _doc("a", "id", 4400, {"10", "2022", "30", "5"}, base)
    translation = _doc("b", "de", 4900, {"10", "2022", "30", "5", "6"}, near)
    same_topic = _doc("c", "fr", 2600, {"37", "6", "2024"}, topic)
    same_language = _doc("d", "id", 4400, {"10", "2022", "30", "5"}, base)
    assert pair_score(original, translation) > 0.8
    assert pair_score(original, same_topic) < 0.5
    assert pair_score(original, same_language) == 0.0  # a duplicate is not a translation
    stories = group_stories([original, translation, same_topic], threshold=0.5)
    assert stories["a"] == stories["b"] == "story-a"
    assert stories["c"] == "story-c"


def test_length_mismatch_is_never_a_translation():
    v = [[1, 0, 0]]
    assert pair_score(_doc("a", "en", 1000, {"1", "2", "3"}, v), _doc("b", "de", 5000, {"1", "2", "3"}, v)) == 0.0


def test_anchors_are_numbers_without_leading_zeros():
    assert anchors("On 2024-08-04, 20 firms and 08 others; 6.000 graduates") == frozenset({"2024", "8", "4", "20", "6", "0"})


def test_lexical_index_survives_a_round_trip_to_disk(tmp_path):
    from assistant.retrieval.lexical import LexicalEntry, LexicalIndex, tokenize

    texts = ["Choi Youngsam met Nguyễn Mạnh Hùng in Hanoi", "Dà Nang compte 37 établissements", "6.000 diplômés"]
    entries = [LexicalEntry(f"c{i}", f"d{i}", f"s{i}.txt", "fr", 20240800) for i in range(3)]
    index = LexicalIndex.build(zip(entries, texts))
    index.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25")
    for query in ("Nguyen Manh Hung", "37 etablissements", "unknown words only"):
        assert np.allclose(index.scores(query), loaded.scores(query))
    assert loaded.search("nguyen hung", 2)[0][0] == "c0"
    assert "hung" in tokenize("Hùng", "vi") and "the" not in tokenize("the minister", "en")


def test_stop_words_are_those_of_the_texts_own_language_and_compared_folded():
    from assistant.retrieval.lexical import tokenize

    # Accented stop words match once folded (they were written with accents and compared without).
    assert tokenize("và các đã được", "vi") == []
    assert tokenize("für über", "de") == [] and tokenize("il a été", "fr") == []
    # One language's stop word does not swallow another's content word: "một" (vi) folds to "mot" (fr, word).
    assert tokenize("một", "vi") == [] and tokenize("le mot juste", "fr") == ["mot", "juste"]
    # German "die"/"war" are English content words; a language without a list keeps every word.
    assert tokenize("the war", "en") == ["war"] and tokenize("die Zahl", "de") == ["zahl"]
    assert tokenize("und", None) == ["und"]


def test_the_hybrid_bm25_counts_names_acronyms_and_numbers():
    from assistant.retrieval.lexical import anchor_query

    assert anchor_query("Who is the Costa Rican President that went to Harvard?") == "Costa Rican President Harvard"
    assert anchor_query("What is VKIST?") == "VKIST"  # an acronym counts even as the first word
    assert anchor_query("How many graduates were there in 2024?") == "2024"
    assert anchor_query("Which policy did Minister You Young Min mention?") == "Minister You Young Min"
    # Without any, the whole query is used (a query typed in lower case still gets its BM25 bonus).
    assert anchor_query("choi youngsam ambassador") == "choi youngsam ambassador"
    assert anchor_query("What did the ambassador propose?") == "What did the ambassador propose?"


def test_the_lexical_index_says_which_languages_write_a_word():
    from assistant.retrieval.lexical import LexicalEntry, LexicalIndex

    texts = ["Botschafter Choi Youngsam teilte die Ansicht.", "Duta Besar Choi Youngsam mengatakan.", "Le consul Kang Boosung."]
    entries = [LexicalEntry(f"c{i}", f"d{i}", f"s{i}.txt", lang, 20240800) for i, lang in enumerate(["de", "id", "fr"])]
    index = LexicalIndex.build(zip(entries, texts))
    assert index.languages_with("Youngsam") == {"de", "id"}
    assert index.languages_with("Boosung") == {"fr"}
    assert index.languages_with("OpenRAN") == set()


def test_a_chunk_scores_as_its_best_sentence():
    from assistant.backends.store_records import StoredSentence
    from assistant.retrieval.ranking import Candidates

    def sentence(chunk, start, cosine):
        return StoredSentence(sentence_id=f"d-s{start}", doc_id="d", chunk_id=chunk, start=start, end=start + 5,
                              distance=1 - cosine)

    found = Candidates()
    for s in (sentence("c0", 0, 0.5), sentence("c0", 10, 0.8), sentence("c0", 20, 0.7), sentence("c1", 30, 0.6)):
        found.consider(s, 1 - s.distance)
    assert (found.best["c0"].start, round(found.best["c0"].cosine, 6)) == (10, 0.8)
    assert found.best["c1"].start == 30


def test_fusion_ranks_by_dense_plus_scaled_bm25_and_bm25_alone_keeps_only_its_matches():
    from assistant.retrieval.ranking import BestSentence, Ranking

    def ranking():
        best = [BestSentence(0.80, 0, 1, "a"), BestSentence(0.79, 0, 1, "b"), BestSentence(0.50, 0, 1, "c")]
        return Ranking(["a", "b", "c"], best, np.array([0.0, 2.0, 4.0], dtype=np.float32))

    hybrid = ranking()
    hybrid.fuse(0.04)
    assert np.argsort(-hybrid.fused).tolist() == [1, 0, 2]  # b's BM25 bonus (0.04 × 2/4) beats a's 0.01 lead
    lexical = ranking()
    lexical.fuse(0.0, lexical_only=True)
    assert lexical.ids == ["b", "c"] and np.argsort(-lexical.fused).tolist() == [1, 0]


def test_a_story_contributes_its_best_ranked_language_version_only():
    from types import SimpleNamespace

    from assistant.retrieval.ranking import BestSentence, Ranking
    from assistant.retrieval.retriever import Retriever

    docs = {
        "de": SimpleNamespace(doc_id="de", story_id="s1"),
        "vi": SimpleNamespace(doc_id="vi", story_id="s1"),
        "fr": SimpleNamespace(doc_id="fr", story_id=None),
    }
    ranking = Ranking(["c-vi", "c-de", "c-fr", "c-de2"],
                      [BestSentence(0.0, 0, 1, d) for d in ("vi", "de", "fr", "de")], np.zeros(4, dtype=np.float32))
    ranking.fused = np.array([0.7, 0.9, 0.8, 0.6], dtype=np.float32)
    kept = Retriever._one_version_per_story(SimpleNamespace(docs=docs), ranking)
    assert [ranking.ids[i] for i in kept] == ["c-de", "c-fr", "c-de2"]


def test_a_passage_in_another_language_is_lifted_but_a_story_keeps_the_questions_language_version():
    """e5 puts a passage in the question's language nearer than an equally relevant one in another: the
    foreign passage's dense score gains the lift before fusion. Of two versions of one story, the one ranked
    first without the lift is kept (the reader's own language, needing no translation)."""
    from types import SimpleNamespace

    from assistant.retrieval.ranking import BestSentence, Ranking
    from assistant.retrieval.retriever import Retriever

    best = [BestSentence(0.80, 0, 1, "en"), BestSentence(0.77, 0, 1, "de"), BestSentence(0.78, 0, 1, "en-story")]
    lifted = Ranking(["c-en", "c-de", "c-en-story"], best, np.zeros(3, dtype=np.float32),
                     np.array([0.0, 0.05, 0.0], dtype=np.float32))
    lifted.fuse(0.0)
    assert np.argsort(-lifted.fused).tolist() == [1, 0, 2]
    assert lifted.dense.tolist() == pytest.approx([0.80, 0.77, 0.78])  # the cosines themselves are kept
    docs = {
        "en": SimpleNamespace(doc_id="en", story_id=None),
        "de": SimpleNamespace(doc_id="de", story_id="s"),
        "en-story": SimpleNamespace(doc_id="en-story", story_id="s"),
    }
    kept = Retriever._one_version_per_story(SimpleNamespace(docs=docs), lifted)
    assert [lifted.ids[i] for i in kept] == ["c-en", "c-en-story"]  # the story's English version (0.78 > 0.77)


def test_a_query_is_in_one_of_the_stores_languages_or_english(fast, tmp_path):
    assert fast.retriever.query_language("Quel est le score du match ?") == "en"  # empty store: English only
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "de.txt").write_text(
        "Das Spiel\n\nDie Mannschaft gewann das Spiel am Sonntag mit drei zu eins vor vielen Zuschauern.\n",
        encoding="utf-8",
    )
    fast.ingest([folder])
    assert fast.retriever.query_language("Welche Mannschaft hat das Spiel am Sonntag gewonnen?") == "de"
    assert fast.retriever.query_language("Which team won the game on Sunday?") == "en"
    # Short English questions that lingua's quick trigram models read as German (the names weigh in them).
    assert fast.retriever.query_language("What award has Marlee Matlin won?") == "en"
    assert fast.retriever.query_language("Where is Energiprojekt AB based?") == "en"
    assert fast.retriever.query_language("Quelle équipe a gagné le match dimanche ?") in {"de", "en"}
