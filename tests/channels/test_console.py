"""The console channel driven as a real process over stdin/stdout."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.channels.console import ConsoleChannel, parse_line
from bot.core.attachments import AttachmentProblem
from bot.core.messages import Address, Kind
from tests.support.images import phone_jpeg
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
    out = _chat(tmp_path, "1")  # the Settings screen is still there: 1 = Language
    assert "Choose a language:" in _turns(out)[0][1]


def _database_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'console.sqlite3'}"


async def _enqueue_for(tmp_path: Path, user_id: str, *notes: tuple[str, str, str]) -> None:
    """Queue (dedup key, text, category) messages for a console resident, as features do."""
    from sqlalchemy import select

    from bot.delivery.outbox import Notification, enqueue
    from storage.db import Database
    from storage.models import Resident

    db = Database(_database_url(tmp_path))
    try:
        async with db.transaction() as session:
            resident = (
                await session.execute(
                    select(Resident).where(
                        Resident.channel == "console", Resident.user_id == user_id
                    )
                )
            ).scalar_one()
            await enqueue(
                session,
                [
                    Notification(
                        resident.id, "console", user_id, "answer", key, text=text, category=c
                    )
                    for key, text, c in notes
                ],
            )
    finally:
        await db.dispose()


async def _outbox(tmp_path: Path) -> dict[str, tuple[str, bool]]:
    from sqlalchemy import select

    from storage.db import Database
    from storage.models.outbox import OutboxMessage

    db = Database(_database_url(tmp_path))
    try:
        async with db.transaction() as session:
            rows = await session.execute(
                select(OutboxMessage.dedup_key, OutboxMessage.status, OutboxMessage.sent_at)
            )
            return {key: (status, sent_at is not None) for key, status, sent_at in rows}
    finally:
        await db.dispose()


def test_console_shows_proactive_messages_at_the_next_prompt(tmp_path: Path) -> None:
    import asyncio

    _chat(tmp_path, "/start\n2")  # an English-speaking terminal resident
    answer = "Answer to your question № 7: the office is open until 18:00."
    asyncio.run(
        _enqueue_for(
            tmp_path,
            "resident-1",
            ("q7", answer, ""),
            ("b1", "Water will be off on Trudova street tomorrow.", "broadcast"),
        )
    )
    out = _chat(tmp_path, "/help\n/help")
    before_prompt, _, after = out.partition("> /help")
    assert answer in before_prompt and "Water will be off" in before_prompt
    assert before_prompt.index(answer) < before_prompt.index("Water will be off")
    assert answer not in after  # shown once, not again at the following prompt
    assert asyncio.run(_outbox(tmp_path)) == {"q7": ("sent", True), "b1": ("sent", True)}
    # Nothing is left for the next session either.
    assert answer not in _chat(tmp_path, "/help")


async def test_console_delivery_on_both_databases_skips_muted_and_other_residents(
    svoi: Any, db: Any
) -> None:
    """The chat loop in-process (both databases): due rows of this terminal resident are
    printed and recorded sent; a muted category is recorded skipped; another console
    resident's rows and rows not yet due stay pending."""
    import io
    from datetime import timedelta

    from sqlalchemy import select

    from bot.channels.console import chat
    from bot.delivery.outbox import Notification, enqueue
    from storage import clock
    from storage.models import Resident
    from storage.models.delivery import DeliveryMute
    from storage.models.outbox import OutboxMessage

    for user in ("me", "neighbour"):
        await chat(svoi.engine, user, io.StringIO("/start\n2\n"), io.StringIO())
    async with db.transaction() as session:
        ids = {
            r.user_id: r.id
            for r in (await session.execute(select(Resident))).scalars()
            if r.channel == "console"
        }
        later = clock.now() + timedelta(hours=1)
        await enqueue(
            session,
            [
                Notification(ids["me"], "console", "me", "answer", "due", text="Due answer"),
                Notification(
                    ids["me"], "console", "me", "reminder", "muted", text="Muted", category="waste"
                ),
                Notification(
                    ids["me"], "console", "me", "answer", "later", text="Later", not_before=later
                ),
                Notification(ids["neighbour"], "console", "neighbour", "answer", "n", text="N"),
            ],
        )
        # Muted while the message waits (`enqueue` leaves out what is muted already).
        session.add(DeliveryMute(resident_id=ids["me"], category="waste"))
    out = io.StringIO()
    await chat(svoi.engine, "me", io.StringIO("/help\n"), out)
    printed = out.getvalue()
    assert printed.index("Due answer") < printed.index("> /help")
    assert "Muted" not in printed and "Later" not in printed and "N\n" not in printed
    async with db.transaction() as session:
        rows = await session.execute(select(OutboxMessage.dedup_key, OutboxMessage.status))
        assert dict(rows.all()) == {
            "due": "sent",
            "muted": "skipped",
            "later": "pending",
            "n": "pending",
        }


async def test_photo_sends_a_picture_from_this_computer(tmp_path: Path) -> None:
    picture = tmp_path / "лавка у парку.jpg"
    picture.write_bytes(phone_jpeg())
    incoming = parse_line(Address("console", "resident-1"), f"/photo '{picture}'")
    assert incoming is not None and incoming.kind is Kind.ATTACHMENT
    assert incoming.attachment is not None and incoming.attachment.name == picture.name

    channel = ConsoleChannel(io.StringIO())
    assert await channel.fetch(incoming.attachment, 10**7) == phone_jpeg()
    with pytest.raises(AttachmentProblem) as too_large:
        await channel.fetch(incoming.attachment, 100)
    assert too_large.value.reason == "too-large"
    missing = parse_line(Address("console", "resident-1"), "/photo /nowhere/photo.jpg")
    assert missing is not None and missing.attachment is not None
    with pytest.raises(AttachmentProblem) as gone:
        await channel.fetch(missing.attachment, 10**7)
    assert gone.value.reason == "unavailable"


def test_a_photo_in_the_menu_is_answered_in_the_terminal(tmp_path: Path) -> None:
    picture = tmp_path / "photo.jpg"
    picture.write_bytes(phone_jpeg())
    output = _chat(tmp_path, "\n".join(["/start", "1", f"/photo {picture}", "/quit"]))
    answers = dict(_turns(output))
    assert "Дякуємо за фото, але зараз воно не потрібне" in answers[f"/photo {picture}"]
