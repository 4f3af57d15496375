"""The chat screens of linking channels (docs/linking.md); every action is the service's.

Steps: Settings → «Connect another messenger» → linking.start: a resident linked to no
one goes straight to linking.code (the one-time code, the deep links into the other
messenger, and room to type a code from there); a linked resident sees the linked
messengers and where notifications go, with «Connect another messenger» (→ code),
«Where to send notifications» (→ linking.choose) and «Unlink this chat» (→ linking.unlink,
yes / no).

A code is redeemed wherever it arrives: typed on the code screen, typed anywhere no screen
expects text (a text fallback), `/link CODE`, Telegram's `/start link-CODE` and Viber's
`context=link-CODE` (a deep link), and the web chat alike.
"""

from __future__ import annotations

import math
from urllib.parse import quote

from bot.core.dialog import MENU, Flow, Screen, Turn
from bot.core.engine import Registry
from bot.core.messages import AnyButton, Button, LinkButton
from bot.core.widgets import NO, YES, confirm_row
from dialogs.linking import service
from dialogs.linking.payloads import AUTO, CHOOSE, NEW_CODE, UNLINK, LinkingState, Prefer
from dialogs.linking.service import DEEP_LINK_PREFIX, Outcome
from storage.models import Resident

FLOW_NAME = "linking"


def _prefer_free(turn: Turn) -> bool:
    return turn.engine.settings.linking_prefer_free_channel


def channel_name(turn: Turn, channel: str) -> str:
    return turn.t("linking-channel", channel=channel)


def _names(turn: Turn, people: list[Resident]) -> str:
    return ", ".join(channel_name(turn, m.channel) for m in people)


def _where(turn: Turn, people: list[Resident]) -> str:
    holder = next(m for m in people if m.profile_id is None)
    key = "linking-notify-chosen" if holder.notify_here else "linking-notify-auto"
    return turn.t(key, channel=channel_name(turn, holder.channel))


def deep_links(turn: Turn, code: str) -> list[tuple[str, str]]:
    """(channel, url) of each messenger configured for deep links, other than this one."""
    settings = turn.engine.settings
    payload = DEEP_LINK_PREFIX + code
    links = []
    username = settings.telegram.bot_username.lstrip("@")
    if username and turn.own.channel != "telegram":
        links.append(("telegram", f"https://t.me/{username}?start={payload}"))
    uri = settings.viber.chat_uri
    if uri and turn.own.channel != "viber":
        links.append(("viber", f"viber://pa?chatURI={quote(uri)}&context={payload}"))
    return links


# --- linking.start -------------------------------------------------------------------
async def render_start(turn: Turn) -> None:
    people = await service.channels(turn.session, turn.own)
    if len(people) < 2:
        await turn.goto("code")
        return
    turn.say(
        turn.t("linking-linked", channels=_names(turn, people)) + "\n" + _where(turn, people),
        [
            [Button(turn.t("linking-btn-another"), NEW_CODE)],
            [Button(turn.t("linking-btn-choose"), CHOOSE)],
            [Button(turn.t("linking-btn-unlink"), UNLINK)],
            turn.nav_row(back=False),
        ],
    )


async def on_start(turn: Turn, payload: str) -> None:
    if payload == NEW_CODE:
        await turn.goto("code")
    elif payload == CHOOSE:
        await turn.goto("choose")
    elif payload == UNLINK:
        await turn.goto("unlink")


# --- linking.code --------------------------------------------------------------------
async def render_code(turn: Turn) -> None:
    state = turn.load(LinkingState)
    current = await service.active_code(turn.session, turn.own, turn.now)
    if current is None or current.code != state.code:
        current = await service.issue_code(turn.session, turn.own, turn.now)
        state.code = current.code
        turn.keep(state)
    links = deep_links(turn, current.code)
    lines = [
        turn.t(
            "linking-code",
            reference=current.code,
            minutes=int(service.CODE_TTL.total_seconds() // 60),
        )
    ]
    lines += [
        turn.t("linking-code-link", channel=channel_name(turn, channel), website=url)
        for channel, url in links
    ]
    lines.append(turn.t("linking-code-here"))
    rows: list[list[AnyButton]] = [
        [LinkButton(turn.t("linking-btn-open", channel=channel_name(turn, channel)), url)]
        for channel, url in links
        if url.startswith("https://")  # Telegram's buttons open web links only
    ]
    rows.append(turn.nav_row(back=False))
    turn.say("\n\n".join(lines), rows)


async def on_code_text(turn: Turn, text: str) -> None:
    if not service.looks_like_code(text):
        turn.say(turn.t("linking-not-a-code"))
        await render_code(turn)
        return
    await link_with(turn, text)


# --- linking.choose ------------------------------------------------------------------
async def render_choose(turn: Turn) -> None:
    people = await service.channels(turn.session, turn.own)
    if len(people) < 2:
        await turn.goto("code")
        return
    rows: list[list[AnyButton]] = [
        [Button(channel_name(turn, m.channel), Prefer(m.channel).pack())] for m in people
    ]
    rows.append([Button(turn.t("linking-btn-auto"), Prefer(AUTO).pack())])
    rows.append(turn.nav_row())
    turn.say(turn.t("linking-choose") + "\n" + _where(turn, people), rows)


async def on_choose(turn: Turn, payload: str) -> None:
    picked = Prefer.unpack(payload)
    if picked is None:
        return
    channel = None if picked.channel == AUTO else picked.channel
    holder = await service.prefer(turn.session, turn.own, channel, prefer_free=_prefer_free(turn))
    if holder is not None:
        turn.resident = holder
        people = await service.channels(turn.session, turn.own)
        turn.say(_where(turn, people))
    await turn.goto("start")


# --- linking.unlink ------------------------------------------------------------------
async def render_unlink(turn: Turn) -> None:
    turn.say(
        turn.t("linking-unlink-confirm", channel=channel_name(turn, turn.own.channel)),
        [confirm_row(turn)],
    )


async def on_unlink(turn: Turn, payload: str) -> None:
    if payload == YES:
        if await service.unlink(turn.session, turn.own, prefer_free=_prefer_free(turn)):
            turn.resident = turn.own
            turn.say(turn.t("linking-unlinked"))
        await turn.menu()
    elif payload == NO:
        await turn.goto("start")


# --- redeeming a code, from wherever it came -----------------------------------------
async def link_with(turn: Turn, text: str) -> None:
    """Redeem `text` as a code in this chat and say how it went."""
    result = await service.redeem(
        turn.session, turn.own, text, turn.now, prefer_free=_prefer_free(turn)
    )
    if result.outcome is Outcome.LINKED and result.holder is not None:
        turn.resident = result.holder
        people = await service.channels(turn.session, turn.own)
        turn.say(
            turn.t("linking-done", channels=_names(turn, people)) + "\n" + _where(turn, people)
        )
        await turn.menu()
        return
    if result.outcome is Outcome.TOO_MANY and result.retry_at is not None:
        minutes = max(1, math.ceil((result.retry_at - turn.now).total_seconds() / 60))
        turn.say(turn.t("linking-too-many", minutes=minutes), [[Button(turn.t("btn-menu"), MENU)]])
        return
    turn.say(
        turn.t(f"linking-{result.outcome.value}"),
        [[Button(turn.t("btn-menu"), MENU)]],
    )


async def typed_code(turn: Turn, text: str) -> bool:
    """A text fallback: a code typed where no screen expects text links the chats."""
    if not service.looks_like_code(text):
        return False
    await link_with(turn, text)
    return True


async def open_link(turn: Turn, payload: str) -> bool:
    """`/start link-CODE` (Telegram) and Viber's `context=link-CODE`."""
    code = payload.removeprefix(DEEP_LINK_PREFIX)
    if not code:
        return False
    await link_with(turn, code)
    return True


async def link_command(turn: Turn, args: str) -> None:
    """`/link` opens the screen; `/link CODE` redeems a code."""
    if args.strip():
        await link_with(turn, args)
    else:
        await turn.start(FLOW_NAME)


FLOW = Flow(
    FLOW_NAME,
    {
        "start": Screen(render_start, on_button=on_start),
        "code": Screen(render_code, on_text=on_code_text, text_limit=32),
        "choose": Screen(render_choose, on_button=on_choose, back="start"),
        "unlink": Screen(render_unlink, on_button=on_unlink),
    },
)


def register(registry: Registry) -> None:
    registry.add_flow(FLOW)
    registry.add_interrupt("link", link_command)
    registry.add_deep_link(DEEP_LINK_PREFIX, open_link)
    registry.text_fallbacks.append(typed_code)
