"""A question translated into a passage's language, as retrieval uses it: a typed object and the lift.

The translating is done by the model (:mod:`assistant.generation.query_translation`); retrieval only
receives the result, so it never imports a model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Translation:
    """The question in one other language, and its e5 query vector."""

    lang: str
    text: str
    vector: np.ndarray


#: Default share of a translation's lead that lifts a passage (``ASSISTANT_TRANSLATION_WEIGHT``).
TRANSLATION_WEIGHT = 0.7


def lifted(direct: float, translated: float, weight: float) -> float:
    """A passage's cosine to the question with a translation's help: ``weight`` of the translation's lead.

    A 270M model's translation is often loose ("Which Korean policy … did Minister You Young Min mention?"
    came back as a question about an invented Minister Nguyễn Văn Mỹ), and as a full substitute (the
    better of the two cosines) it pulled passages of that language above the right ones in other languages.
    Partial credit keeps most of a faithful translation's gain and bounds a loose one's.
    """
    return direct + weight * max(0.0, translated - direct)
