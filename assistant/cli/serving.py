"""Commands that run or configure the app: `serve` (and how its process ends), the browser app's
logins, and the settings in force."""

from __future__ import annotations

import argparse
import os
import sys

from assistant.cli.common import console, print_json
from assistant.config import Settings
from assistant.errors import ConfigError, InputError


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    updates = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = Settings(**updates) if updates else settings  # the environment, then the flags
    from assistant.backends.memory import limit_malloc_arenas

    limit_malloc_arenas(settings.malloc_arenas)  # before any worker thread exists
    from assistant.backends.fetcher import is_loopback
    from assistant.service import NewsAssistant
    from assistant.ui.app import serve

    err = console(stderr=True)
    if not is_loopback(settings.host) and not (settings.ui_username or settings.ui_users):
        err.print(
            f"[yellow]warning:[/yellow] serving on {settings.host} without a login: anyone who can reach this "
            "address can read the library (set ASSISTANT_UI_USERNAME and ASSISTANT_UI_PASSWORD)"
        )
    err.print(f"serving the news assistant on http://{settings.host}:{settings.port} (Ctrl+C stops it)")
    serve(NewsAssistant(settings), block=True)
    end_process(0)
    return 0  # reached only where end_process is replaced (tests)


def end_process(code: int) -> None:
    """Run the exit handlers (the model's close, the exports' folder, Chroma's), then end the process
    without the interpreter's finalisation.

    `serve` may be stopped while a background thread is inside llama.cpp (a prompt's evaluation lasts
    seconds and cannot be interrupted); the C++ library's exit-time destructors then free what that
    thread still uses and the process dies of SIGSEGV instead of exiting 0. Everything worth keeping is
    already written (Chroma and the conversations commit each write), so nothing is lost by skipping it."""
    import atexit

    atexit._run_exitfuncs()  # what a normal exit would run first
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.ui.users import add_user, read_users, remove_user

    path = settings.ui_users
    if path is None:
        raise ConfigError("ASSISTANT_UI_USERS is not set", hint="point it at a file, e.g. ASSISTANT_UI_USERS=~/.news-assistant/users")
    out = console()
    if args.action == "list":
        for name in sorted(read_users(path)):
            out.print(name, markup=False)
        return 0
    if not args.name:
        raise InputError(f"users {args.action}: which user? give a name")
    if args.action == "remove":
        remove_user(path, args.name)
        out.print(f"removed {args.name}", markup=False)
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        import getpass

        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise InputError("the two passwords differ")
    new = add_user(path, args.name, password)
    out.print(f"{'added' if new else 'changed the password of'} {args.name} in {path}", markup=False)
    return 0


def cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    rows = []
    for name, field in Settings.model_fields.items():
        rows.append({"variable": f"ASSISTANT_{name.upper()}", "value": getattr(settings, name), "description": field.description})
    if args.json:
        print_json([{**r, "value": str(r["value"]) if r["value"] is not None else None} for r in rows])
        return 0
    for r in rows:
        console().print(f"{r['variable']}={r['value']}\n    {r['description']}", markup=False)
    return 0
