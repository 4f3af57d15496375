"""Benchmark: the memory of an idle `python -m bot run` (issue 18: under 120 MB, no token).

    .venv/bin/python bench/idle_memory.py [--settle 3]

Starts the service on the embedded default (a fresh SQLite file in a temporary folder, no
tokens, a free port) as a child process, waits for /readyz, lets it settle, and prints its
VmRSS (resident now) and VmHWM (peak) from /proc. Then starts it again on the same file —
the usual restart, the schema already current — and prints the same. Linux only.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def status_kb(pid: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


def run_once(database: Path, settle: float) -> dict[str, int]:
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "VIBER_", "SVOI_", "DATABASE_"))
    }
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{database}", HTTP_PORT=str(port))
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or child.poll() is not None:
                    raise SystemExit("the service did not become ready") from None
                time.sleep(0.2)
        time.sleep(settle)
        return status_kb(child.pid)
    finally:
        child.terminate()
        child.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settle", type=float, default=3.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "svoi.sqlite3"
        for label in ("first start (migrates a new file)", "restart (schema current)"):
            kb = run_once(database, args.settle)
            print(f"{label}: RSS {kb['VmRSS'] / 1024:.0f} MB, peak {kb['VmHWM'] / 1024:.0f} MB")


if __name__ == "__main__":
    main()
