"""The ``assistant`` command line. A thin adapter: every command calls :class:`NewsAssistant`.

The commands are grouped by what they do: :mod:`~assistant.cli.library` (the documents),
:mod:`~assistant.cli.reading` (questions, briefs, conversations), :mod:`~assistant.cli.serving` (the app and
its settings) and :mod:`~assistant.cli.evaluation`; :mod:`~assistant.cli.parser` binds them to subcommands.

Errors of the assistant's own hierarchy print one line (and a hint) to stderr and exit with their code;
nothing prints a stack trace for a user mistake.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from pydantic import ValidationError

from assistant.cli.parser import build_parser
from assistant.config import Settings
from assistant.errors import AssistantError, ConfigError, InputError


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "ASSISTANT_" + str(first["loc"][0]).upper() if first.get("loc") else "a setting"
        print(f"error: {name}: {first['msg']}", file=sys.stderr)
        return ConfigError.exit_code
    try:
        return args.func(args, settings)
    except AssistantError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return exc.exit_code
    except ValidationError as exc:
        print(f"error: {exc.errors()[0]['msg']}", file=sys.stderr)
        return InputError.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
