"""A small error hierarchy whose messages are written for users.

Every error carries a one-line ``message`` (what went wrong) and an optional ``hint`` (what to do). The CLI
turns them into a clean exit code, the UI into a visible message; neither shows a stack trace.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: something the user can understand and usually fix."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


class ConfigError(AssistantError):
    """A setting is wrong or a configured resource (model file, server URL) cannot be used."""

    exit_code = 2


class InputError(AssistantError):
    """A file or argument given by the user cannot be used (missing, empty, binary, unknown type…)."""

    exit_code = 3


class StoreError(AssistantError):
    """The vector store cannot be opened, is incompatible, or is unreachable."""

    exit_code = 4


class EmbedderMismatchError(StoreError):
    """The store was built by another embedder; mixing vectors of two models would give nonsense."""


class StoreUnavailableError(StoreError):
    """The Chroma server does not answer. Not a problem of any one document: an ingest stops at once."""


class NotFoundError(AssistantError):
    """A document, source or story named by the user is not in the store."""

    exit_code = 5


class ModelError(AssistantError):
    """The language model cannot be loaded, crashed, or its endpoint is unreachable."""

    exit_code = 6
