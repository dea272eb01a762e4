"""Text: what the pipeline knows about words, sentences and languages, before any model or store.

Owns folding (lower case without accents), the word patterns, sentence splitting with exact offsets,
language detection and names, recognising text that addresses a model, and the per-language data (month
names, countries, stop words, titles, institution words) with its one loader. The floor of the package:
it imports nothing from the other stages.
"""
