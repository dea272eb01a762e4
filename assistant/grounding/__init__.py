"""Grounding: everything that decides whether a sentence may be shown as a cited fact.

``verify`` checks a sentence against the sentence it cites (facts, names, meaning, language, form),
``titles`` who holds which office, ``answer_type`` whether an answer states what the question asks for,
``citations`` the ``[n]`` format (its grammar and its parser). Answers and briefs use the same checks.
May import ``text`` and ``backends`` (the embedder), not ``generation``.
"""
