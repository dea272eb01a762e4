"""What an installed wheel holds: every package folder listed, every prompt and language data file matched.

setuptools installs only the packages named in pyproject.toml; a folder left out (or a data file no
package-data pattern matches) works from the source tree and is missing after `pip install`.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _folder(package: str, package_dir: dict[str, str]) -> Path:
    """The source folder of a dotted package name under ``package-dir``'s mapping."""
    parts = package.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in package_dir:
            return ROOT / package_dir[prefix] / Path(*parts[n:])
    return ROOT / Path(*parts)


def test_every_folder_with_code_or_data_is_a_listed_package():
    config = _setuptools()
    listed = {_folder(p, config["package-dir"]).resolve() for p in config["packages"]}
    folders = {
        path.parent.resolve()
        for pattern in ("*.py", "*.toml")
        for path in (ROOT / "assistant").rglob(pattern)
        if "__pycache__" not in path.parts
    }
    assert folders, "no package folders found"
    missing = sorted(str(f.relative_to(ROOT)) for f in folders - listed)
    assert not missing, f"folders not listed in [tool.setuptools] packages: {missing}"


def test_every_prompt_and_data_file_is_matched_by_package_data():
    config = _setuptools()
    patterns = config["package-data"]
    for package, folder in (("assistant.prompts", ROOT / "prompts"), ("assistant.text.data", ROOT / "assistant/text/data")):
        files = [p.name for p in folder.iterdir() if p.is_file() and p.suffix != ".py"]
        assert files, f"{folder} holds no data files"
        unmatched = [f for f in files if not any(fnmatch.fnmatch(f, g) for g in patterns.get(package, []))]
        assert not unmatched, f"{package}: not shipped by package-data: {unmatched}"
