"""Words as the pipeline sees them: the patterns that find them and the anchors that survive translation."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"\d+")


def anchors(text: str) -> frozenset[str]:
    """Language-independent anchors of a text: its numbers, without leading zeros."""
    return frozenset(n.lstrip("0") or "0" for n in _NUMBER.findall(text))
