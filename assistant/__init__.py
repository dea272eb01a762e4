"""A private, local news assistant: multilingual retrieval over local articles, on one laptop."""

__version__ = "0.1.0"
