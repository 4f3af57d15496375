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


# The layers (docs/architecture.md, "Packages"): what features and the application stand on
# never imports them, so a feature can be added or removed without touching the core.
LOWER = ("bot/core/", "bot/delivery/", "storage/")
UPPER = (
    "dialogs",
    "handlers",
    "bot.app",
    "bot.cli",
    "bot.commands",
    "bot.scheduler",
    "bot.channels",
)


def _runtime_imports(path: Path) -> set[str]:
    """Imports that run (those under `if TYPE_CHECKING:` only name types)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path",
    [p for p in _sources() if p.relative_to(ROOT).as_posix().startswith(LOWER)],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_the_core_delivery_and_storage_never_import_features_or_the_shell(path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    for module in _runtime_imports(path):
        assert not module.startswith(UPPER), f"{relative} imports {module}"


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


def test_the_layer_rule_sees_runtime_imports_only(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from bot.app import Svoi\n"
        "def f():\n    from dialogs.plan import service\n"
    )
    assert _runtime_imports(sample) == {"typing", "dialogs.plan"}


# Adapters get the service as a narrow port (bot.core.ports.InboundPort), never as the
# `Svoi` object: importing bot.app, even for a type, ties every adapter into one import
# cycle with the composition root. The console takes `ConsolePort`, the same plus what each
# channel can show.
@pytest.mark.parametrize(
    "path",
    [p for p in _sources() if p.relative_to(ROOT).as_posix().startswith("bot/channels/")],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_channel_adapters_never_import_the_composition_root(path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    for module in _imports(path):
        assert module != "bot.app" and not module.startswith("bot.app."), (
            f"{relative} imports {module}; take bot.core.ports.InboundPort instead"
        )
