"""Server processes the assistant can run against: a Chroma server (``chroma run``) and an OpenAI-compatible
model server (``python -m llama_cpp.server``), started on a free loopback port.

The tests and benchmarks use these to exercise the real server modes (``ASSISTANT_CHROMA_URL``,
``ASSISTANT_LLM_URL``) exactly as a team deployment runs them, and to stop, kill and restart them for the
fault tests. Nothing here imports chromadb or llama_cpp: they are separate processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """One child server: started on :meth:`start`, ready once ``ready_path`` answers 200.

    ``stop`` ends it politely, ``kill`` with SIGKILL (a crash); ``start`` again brings it back on the same
    port with the same data, as a restarted service would.
    """

    def __init__(self, argv: list[str], port: int, ready_path: str, log: Path, name: str, timeout: float = 120.0):
        self.argv = argv
        self.port = port
        self.ready_path = ready_path
        self.log = log
        self.name = name
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self.ready_seconds = 0.0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self) -> "ServerProcess":
        started = time.perf_counter()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: {self._log_tail()}")
            try:
                if httpx.get(self.base_url + self.ready_path, timeout=2).status_code == 200:
                    self.ready_seconds = time.perf_counter() - started
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"{self.name} did not answer within {self.timeout:.0f} s: {self._log_tail()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-800:]
        except OSError:
            return "(no log)"

    def __enter__(self) -> "ServerProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def chroma_executable() -> str:
    """The ``chroma`` command of this environment (next to the interpreter, else on PATH)."""
    local = Path(sys.executable).with_name("chroma")
    if local.exists():
        return str(local)
    found = shutil.which("chroma")
    if not found:
        raise RuntimeError("the `chroma` command is not installed (pip install chromadb)")
    return found


def chroma_server(data_dir: Path, port: int | None = None, log: Path | None = None) -> ServerProcess:
    """``chroma run`` over ``data_dir`` on loopback (not started yet)."""
    port = port or free_port()
    argv = [chroma_executable(), "run", "--path", str(data_dir), "--host", "127.0.0.1", "--port", str(port)]
    env_log = log or Path(data_dir).with_name(Path(data_dir).name + "-chroma.log")
    return ServerProcess(argv, port, "/api/v2/heartbeat", env_log, "chroma run")


def llama_server(model_path: Path, log: Path, port: int | None = None, n_ctx: int = 2048) -> ServerProcess:
    """``python -m llama_cpp.server`` serving one GGUF on loopback (not started yet); URL ``base_url + /v1``."""
    port = port or free_port()
    argv = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model_path), "--host", "127.0.0.1",
        "--port", str(port), "--n_ctx", str(n_ctx), "--n_threads", str(min(2, os.cpu_count() or 1)),
        "--verbose", "False",
    ]
    return ServerProcess(argv, port, "/v1/models", log, "llama_cpp.server")
