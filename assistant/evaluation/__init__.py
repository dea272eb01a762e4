"""Evaluation: the public benchmarks and the seed smoke tests, measured as the reader sees the output.

``retrieval`` (recall@k, MRR, and the temporary stores of XQuAD-style files), ``qa`` (answers: accuracy,
source hit, citations), ``briefs`` (must-mention, verified points, ROUGE-L). Drives the whole assistant
through :class:`assistant.service.NewsAssistant`, so it may import any stage.
"""
