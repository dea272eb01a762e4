"""House style for text the model writes in English: dates without ordinals.

News style guides (AP, Reuters) write "10 May" or "May 10", never "the 10th of May" or "May 10th". The
tiny model writes all of these; one form makes a brief read consistently and lets a reader (or a search
of exported briefs) find a date as it is usually written. Only the form changes: the day and the month
stay, so verification, which runs on the styled text, sees the same facts.
"""

from __future__ import annotations

import re

from assistant.text.months import month_names

_MONTHS = "|".join(month_names("en"))
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)"
#: "the 10th of May" / "10th of May" / "10th May" → "10 May"
_DAY_FIRST = re.compile(rf"\b(?:[Tt]he\s+)?{_ORDINAL}\s+(?:of\s+)?({_MONTHS})\b")
#: "May 10th" → "May 10"
_MONTH_FIRST = re.compile(rf"\b({_MONTHS})\s+{_ORDINAL}\b")


def plain_dates(text: str) -> str:
    """``text`` with ordinal dates in plain form: "on the 10th of May" → "on 10 May", "May 10th" → "May 10"."""
    text = _DAY_FIRST.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    return _MONTH_FIRST.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
