"""The console channel driven as a real process over stdin/stdout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.process import PROJECT, clean_env

SCRIPT = "\n".join(
    [
        "/start",  # first contact: language choice
        "1",  # Українська
        "/help",
        "5",  # Налаштування
        "1",  # Мова
        "2",  # English
        "/cancel",
        "/location 49.42 26.99",
        "/quit",
        "never read",
    ]
)


def _chat(tmp_path: Path, script: str) -> str:
    env = clean_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'console.sqlite3'}")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", "resident-1"],
        cwd=PROJECT,
        env=env,
        input=script + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _turns(output: str) -> list[tuple[str, str]]:
    """(typed line, what Svoi answered) for every line, in order."""
    turns = []
    for chunk in ("\n" + output).split("\n> ")[1:]:
        line, _, answer = chunk.partition("\n")
        turns.append((line, answer))
    return turns


def test_console_conversation(tmp_path: Path) -> None:
    out = _chat(tmp_path, SCRIPT)
    turns = _turns(out)
    assert [line for line, _ in turns] == SCRIPT.splitlines()[:8]
    answers = iter(answer for _, answer in turns)
    language = next(answers)
    assert "Оберіть мову / Choose your language:" in language
    assert "1. Українська\n2. English" in language
    menu = next(answers)
    assert "Чудово, спілкуємося українською" in menu
    assert "Головне меню. Що вас цікавить?" in menu and "5. ⚙️ Налаштування" in menu
    assert "/cancel — скасувати поточну дію" in next(answers)
    assert "Налаштування. Мова: Українська." in next(answers)
    assert "Оберіть мову:" in next(answers)
    assert "Done, the language has been changed." in next(answers)
    cancelled = next(answers)
    assert cancelled.startswith("Cancelled.") and "Main menu" in cancelled
    assert "isn't needed right now" in next(answers)
    assert "never read" not in out


def test_console_state_survives_restart(tmp_path: Path) -> None:
    _chat(tmp_path, "/start\n2\n5")
    out = _chat(tmp_path, "2")  # the Settings screen is still there: 2 = Privacy
    assert "Privacy in Svoi" in _turns(out)[0][1]
