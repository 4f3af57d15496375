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
                "alerts": "off",  # no ALERTS_API_TOKEN: the operator's switch only
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


def test_a_busy_port_stops_start_up_with_one_line_naming_http_port(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        env = clean_env(
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'run.sqlite3'}", HTTP_PORT=str(port)
        )
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    bad_setting = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=PROJECT,
        env={**env, "HTTP_PORT": "not-a-port"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == bad_setting.returncode == 1  # as any configuration error
    assert "Traceback" not in done.stderr
    problem = [line for line in done.stderr.splitlines() if line.startswith("svoi:")]
    assert problem == [
        f"svoi: HTTP_PORT {port} is already in use on 127.0.0.1 (another Svoi or program "
        f"listens there); stop it or choose a free port, e.g. HTTP_PORT={port + 1}"
    ]
