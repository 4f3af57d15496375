"""Only the Telegram adapter imports aiogram, only the Viber adapter imports viberbot, and
the channel-neutral packages import no channel."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "dialogs", "storage")
RULES = {
    "aiogram": "bot/channels/telegram/",
    "viberbot": "bot/channels/viber/",
}
NEUTRAL = ("bot/core/", "handlers/", "dialogs/", "storage/", "bot/delivery/")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _sources() -> list[Path]:
    return [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_sdk_imports_stay_in_their_adapter(path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    for module in _imports(path):
        top = module.split(".")[0]
        if top in RULES:
            assert relative.startswith(RULES[top]), f"{relative} imports {module}"
        if relative.startswith(NEUTRAL):
            assert not module.startswith("bot.channels"), f"{relative} imports {module}"


def test_the_rule_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import aiogram.types\nfrom viberbot.api import Api\n")
    assert _imports(sample) == {"aiogram.types", "viberbot.api"}


WALL_CLOCK = ("datetime.now(", "datetime.utcnow(", "datetime.today(", "date.today(", "time.time(")


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_clock_reads_the_wall_clock(path: Path) -> None:
    """Time is an input: code asks `storage.clock.now()`, which tests set (tests/conftest.py)."""
    if path.relative_to(ROOT).as_posix() == "storage/clock.py":
        return
    text = path.read_text(encoding="utf-8")
    found = [call for call in WALL_CLOCK if call in text]
    assert not found, f"{path.relative_to(ROOT)} reads the wall clock: {found}; use clock.now()"
