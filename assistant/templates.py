"""Prompt templates are files in ``prompts/`` (shipped as ``assistant.prompts``), rendered strictly.

A template names its variables as ``{{ name }}``. Rendering fails when a variable is missing or when a
value is passed that the template does not use: a typo in a template or in the code is an error at once,
not a prompt that silently lost its question.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from assistant.errors import ConfigError

_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of ``prompts/<name>.txt``."""
    try:
        return resources.files("assistant.prompts").joinpath(f"{name}.txt").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise ConfigError(f"prompt template {name!r} is missing", hint="reinstall the package (`make install`)") from exc


def variables(template: str) -> set[str]:
    return set(_VARIABLE.findall(template))


def render_text(template: str, label: str = "<template>", /, **values: object) -> str:
    """Fill ``template``; every variable must be given and every given value must be used."""
    wanted = variables(template)
    missing = sorted(wanted - values.keys())
    unused = sorted(values.keys() - wanted)
    if missing:
        raise ConfigError(f"prompt {label!r} needs {', '.join(missing)}, which were not given")
    if unused:
        raise ConfigError(f"prompt {label!r} has no place for {', '.join(unused)}")
    return _VARIABLE.sub(lambda m: str(values[m.group(1)]), template)


def render(template_name: str, /, **values: object) -> str:
    return render_text(load(template_name), template_name, **values)
