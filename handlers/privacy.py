"""Residents' data rights: /mydata (what is stored, readable, and the full record as a JSON
file) and /deleteme.

Steps: /mydata → a short overview in the resident's language, section by section (profile,
language and every linked messenger, reminders, notifications, follows, feedback and
answers, votes, questions, any other records, and one line naming the service's internal
records and why they exist), with the JSON file attached to the first message (a download
link where the channel takes no files); /deleteme → deleteme.confirm (yes / no; a linked
resident is told first that every linked messenger goes) → erased, or kept.

Linked messengers (docs/linking.md) share one profile: its rows are the holder's
(`turn.resident`), so the summary reads the holder; the file also has each linked chat's
own records, and /deleteme erases every linked chat.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import Registry
from bot.core.messages import Document
from bot.core.widgets import NO, YES, confirm_row
from bot.delivery.rendering import category_name
from dialogs.reports.service import category_label
from storage.models import Resident
from storage.repos import linking, personal_data
from storage.repos.personal_data import ABOUT, INTERNAL, NOT_EXPORTED, Summary

FILENAME = "svoi-my-data.json"
SHOWN = 3  # items per section on the screen; the file has them all
TEXT_SHOWN = 100  # characters of a resident's or an answer's text on the screen
# One phone screen (../shared/UKRAINIAN.md): a section longer than this goes on in the next
# message, never mid-item.
SCREEN_CHARS = 700
SCREEN_LINES = 15
LINE_WIDTH = 37


def _local(value: Mapping[str, Any] | str | None, locale: str) -> str:
    """A text shipped in both languages (`{"uk": …, "en": …}`) in the resident's one."""
    if isinstance(value, Mapping):
        return str(value.get(locale) or value.get("uk") or next(iter(value.values()), ""))
    return value or ""


def _clip(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1].rstrip() + "…"


def _date(turn: Turn, value: datetime) -> str:
    return turn.t.date(value.astimezone(turn.engine.i18n.zone).date())


def _items(turn: Turn, title: str, items: list[str]) -> list[str]:
    """A section's parts: its title, its first items, and how many more are in the file."""
    parts = [title, *items[:SHOWN]]
    if len(items) > SHOWN:
        parts.append(turn.t("mydata-more", count=len(items) - SHOWN))
    return parts


def _phone_lines(text: str) -> int:
    return sum(max(1, -(-len(line) // LINE_WIDTH)) for line in text.split("\n"))


def _screens(parts: list[str], sep: str = "\n\n") -> list[str]:
    """Parts joined into messages that each fit one phone screen (a part is never split)."""
    screens: list[str] = []
    for part in parts:
        candidate = screens[-1] + sep + part if screens else part
        fits = len(candidate) <= SCREEN_CHARS and _phone_lines(candidate) <= SCREEN_LINES
        if screens and fits:
            screens[-1] = candidate
        else:
            screens.append(part)
    return screens


def _channels(turn: Turn, people: list[Resident]) -> str:
    return ", ".join(turn.t("mydata-linked-channel", channel=m.channel) for m in people)


def _profile(turn: Turn, data: Summary, people: list[Resident]) -> str:
    row = data.profile
    lines = [turn.t("mydata-profile-title")]
    if len(people) > 1:
        lines.append(turn.t("mydata-linked", channels=_channels(turn, people)))
        lines.append(turn.t("mydata-linked-notify", channel=row["channel"]))
    else:
        lines.append(turn.t("mydata-profile-channel", channel=row["channel"]))
    if row.get("display_name"):
        lines.append(turn.t("mydata-profile-name", name=row["display_name"]))
    lines.append(turn.t("mydata-profile-since", date=_date(turn, row["created_at"])))
    lines.append(turn.t("mydata-profile-seen", date=turn.t.datetime(row["last_seen_at"])))
    if not row.get("is_active", True):
        lines.append(turn.t("mydata-profile-off"))
    lines.append(turn.t("mydata-language", language=row["locale"]))
    lines.append(
        turn.t("mydata-language-chosen" if row["locale_chosen"] else "mydata-language-guessed")
    )
    if data.role:
        lines.append(turn.t("mydata-role", role=data.role))
        lines.append(turn.t("mydata-account", account=f"{row['channel']}:{row['user_id']}"))
    return "\n".join(lines)


def _subscriptions(turn: Turn, data: Summary) -> list[str]:
    items = []
    for sub in data.subscriptions:
        names = [_local(name, turn.locale) for name in sub["type_names"]]
        types = ", ".join([names[0], *(n[:1].lower() + n[1:] for n in names[1:])]) if names else ""
        when = (
            turn.t("mydata-subscription-paused")
            if sub["paused"]
            else turn.t(
                "mydata-subscription-when",
                offset=str(sub["remind_offset"]),
                hour=f"{sub['remind_hour']:02d}:00",
            )
        )
        items.append(
            turn.t("mydata-subscription", address=sub["address"], types=types) + "\n" + when
        )
    parts = (
        _items(turn, turn.t("mydata-subscriptions-title", count=len(data.subscriptions)), items)
        if items
        else []
    )
    if data.calendar_links:
        parts.append(turn.t("mydata-calendar-links", count=data.calendar_links))
    return parts


def _notifications(turn: Turn, data: Summary) -> list[str]:
    i18n = turn.engine.i18n
    muted = ", ".join(category_name(i18n, turn.locale, c) for c in data.muted)
    lines = [
        turn.t("mydata-notifications-title"),
        turn.t("mydata-muted", categories=muted) if muted else turn.t("mydata-muted-none"),
    ]
    if data.messages:
        lines.append(turn.t("mydata-messages", count=data.messages))
    return ["\n".join(lines)]


def _follows(turn: Turn, data: Summary) -> list[str]:
    items = [
        turn.t("mydata-follow", number=row["number"], title=_local(row["title"], turn.locale))
        for row in data.follows
    ]
    return _items(turn, turn.t("mydata-follows-title", count=len(items)), items) if items else []


def _feedback(turn: Turn, data: Summary) -> list[str]:
    items = []
    for row in data.feedback:
        lines = [
            turn.t(
                "mydata-feedback-head",
                reference=row["reference"] or row["id"],
                date=_date(turn, row["created_at"]),
                rating=row["rating"],
            ),
            turn.t(
                "mydata-feedback-about",
                number=row["number"],
                title=_local(row["title"], turn.locale),
            ),
        ]
        if row["comment"]:
            lines.append(turn.t("mydata-feedback-comment", comment=_clip(row["comment"])))
        if row["answer"]:
            lines.append(turn.t("mydata-feedback-answer", answer=_clip(row["answer"])))
        elif row["comment"]:
            lines.append(turn.t("mydata-feedback-waiting"))
        items.append("\n".join(lines))
    return _items(turn, turn.t("mydata-feedback-title", count=len(items)), items) if items else []


def _votes(turn: Turn, data: Summary) -> list[str]:
    items = [
        turn.t(
            "mydata-vote",
            question=_local(row["question"], turn.locale),
            option=_local(row["option"], turn.locale),
        )
        for row in data.votes
    ]
    return _items(turn, turn.t("mydata-votes-title", count=len(items)), items) if items else []


def _questions(turn: Turn, data: Summary) -> list[str]:
    items = []
    for row in data.questions:
        lines = [
            turn.t(
                "mydata-question-head", reference=row["id"], date=_date(turn, row["created_at"])
            ),
            turn.t("mydata-question-text", text=_clip(row["text"])),
            turn.t("questions-status", status=row["status"]),
        ]
        if row["answer"]:
            lines.append(turn.t("mydata-question-answer", answer=_clip(row["answer"])))
        items.append("\n".join(lines))
    return _items(turn, turn.t("mydata-questions-title", count=len(items)), items) if items else []


def _conversations(turn: Turn, data: Summary) -> list[str]:
    items = []
    for talk in data.conversations:
        lines = [
            turn.t(
                "mydata-conversation-head",
                date=_date(turn, talk["opened_at"]),
                messages=len(talk["messages"]),
                status=talk["status"],
            )
        ]
        lines += [
            turn.t("mydata-conversation-line", author=m["author"], text=_clip(m["text"]))
            for m in talk["messages"][:3]
        ]
        items.append("\n".join(lines))
    if not items:
        return []
    return _items(turn, turn.t("mydata-conversations-title", count=len(items)), items)


def _reports(turn: Turn, data: Summary) -> list[str]:
    items = [
        turn.t(
            "mydata-report",
            reference=row["reference"] or str(row["id"]),
            date=_date(turn, row["created_at"]),
            category=category_label(row["category"], turn.locale),
            status=row["status"],
        )
        for row in data.reports
    ]
    return _items(turn, turn.t("mydata-reports-title", count=len(items)), items) if items else []


def _photos(turn: Turn, data: Summary) -> list[str]:
    items = [
        turn.t(
            "mydata-photo",
            date=_date(turn, row["created_at"]),
            until=_date(turn, row["expires_at"]),
        )
        for row in data.photos
    ]
    return _items(turn, turn.t("mydata-photos-title", count=len(items)), items) if items else []


def _closing(turn: Turn, data: Summary, empty: list[str]) -> list[str]:
    parts = []
    if empty:
        names = ", ".join(turn.t("mydata-section-name", section=s) for s in empty)
        parts.append(turn.t("mydata-empty", sections=names))
    if data.other:
        lines = [turn.t("mydata-other-title")]
        lines += [turn.t("mydata-other-line", name=n, count=c) for n, c in data.other.items()]
        parts.append("\n".join(lines))
    if data.internal:
        items = "; ".join(turn.t(f"mydata-internal-{key}") for key in sorted(data.internal))
        parts.append(turn.t("mydata-internal", items=items))
    else:
        parts.append(turn.t("mydata-internal-none"))
    absent = "; ".join(turn.t(f"mydata-internal-{key}") for key in NOT_EXPORTED.values())
    parts.append(turn.t("mydata-not-exported", items=absent))
    parts.append(turn.t("mydata-rights"))
    return parts


def _document(turn: Turn, data: dict[str, Any]) -> Document:
    """The full record as JSON in UTF-8 (letters as they are, not escapes); the internal
    tables are labelled with what they are, in the resident's language."""
    about = data[ABOUT]
    about["language"] = turn.locale
    about["exported_at"] = turn.now.isoformat()
    about["internal"] = {
        name: turn.t(f"mydata-internal-{INTERNAL[name]}") for name in about["internal"]
    }
    about["not_exported"] = {
        name: turn.t(f"mydata-internal-{NOT_EXPORTED[name]}") for name in about["not_exported"]
    }
    content = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    return Document(FILENAME, content, "application/json")


async def _export(turn: Turn, people: list[Resident]) -> dict[str, Any]:
    """The profile's export (the holder's rows) with each linked chat's own records."""
    data = await personal_data.export(turn.session, turn.resident)
    for member in people:
        if member.id == turn.resident.id:
            continue
        more = await personal_data.export(turn.session, member)
        for name, rows in more.items():
            if name != ABOUT:
                data.setdefault(name, []).extend(rows)
    return data


async def mydata_command(turn: Turn, _args: str = "") -> None:
    await turn.session.flush()
    people = await linking.members(turn.session, turn.resident.id)
    document = _document(turn, await _export(turn, people))
    data = await personal_data.summary(turn.session, turn.resident)
    turn.say(turn.t("mydata-intro", date=_date(turn, turn.now), name=FILENAME), document=document)
    turn.say(_profile(turn, data, people))
    sections = {
        "subscriptions": _subscriptions(turn, data),
        "notifications": _notifications(turn, data),
        "follows": _follows(turn, data),
        "feedback": _feedback(turn, data),
        "votes": _votes(turn, data),
        "questions": _questions(turn, data),
        "conversations": _conversations(turn, data),
        "reports": _reports(turn, data),
        "photos": _photos(turn, data),
    }
    empty = []
    for name, parts in sections.items():
        if not parts:
            empty.append(name)
        for text in _screens(parts, "\n" if name == "follows" else "\n\n"):
            turn.say(text)
    for text in _screens(_closing(turn, data, empty)):
        turn.say(text)


async def deleteme_command(turn: Turn, _args: str = "") -> None:
    await turn.start("deleteme")


async def render_confirm(turn: Turn) -> None:
    people = await linking.members(turn.session, turn.resident.id)
    if len(people) > 1:
        turn.say(turn.t("deleteme-linked", channels=_channels(turn, people)))
    turn.say(turn.t("deleteme-confirm"), [confirm_row(turn)])


async def on_confirm(turn: Turn, payload: str) -> None:
    if payload == YES:
        people = await linking.members(turn.session, turn.resident.id)
        # The linked chats first: the holder's row is the one they name.
        for member in sorted(people, key=lambda m: m.id == turn.resident.id):
            await personal_data.erase(turn.session, member)
        turn.erased = True
        turn.say(turn.t("deleteme-done"), remove_keyboard=True)
        return
    if payload == NO:
        turn.say(turn.t("deleteme-kept"))
        await turn.menu()


DELETEME = Flow("deleteme", {"start": Screen(render_confirm, on_button=on_confirm)})


def register(registry: Registry) -> None:
    registry.add_flow(DELETEME)
    registry.add_interrupt("mydata", mydata_command)
    registry.add_interrupt("deleteme", deleteme_command)
