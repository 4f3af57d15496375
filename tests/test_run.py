"""`python -m bot run` on the embedded default: migrates SQLite, serves HTTP and, with no
tokens, says how to chat locally and how to configure the messengers."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.process import PROJECT, clean_env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, dict[str, object]]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, json.loads(response.read())


def test_run_without_tokens_serves_and_explains(tmp_path: Path) -> None:
    port = _free_port()
    env = clean_env(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'run.sqlite3'}", HTTP_PORT=str(port)
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        status: tuple[int, dict[str, object]] | None = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status = _get(f"http://127.0.0.1:{port}/readyz")
                break
            except OSError:
                time.sleep(0.2)
        assert status is not None, "the service did not come up"
        assert status == (
            200,
            {
                "status": "ok",
                "checks": {"database": "ok", "migrations": "ok"},
                "channels": {"web": "ok"},  # the web chat is always on
            },
        )
        assert _get(f"http://127.0.0.1:{port}/healthz") == (200, {"status": "ok"})
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "make chat" in out and f"http://127.0.0.1:{port}/" in out
    assert "TELEGRAM_BOT_TOKEN" in out and "VIBER_AUTH_TOKEN" in out
    assert (tmp_path / "run.sqlite3").exists()
