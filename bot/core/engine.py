"""One turn of conversation, the same for every channel.

    drop what no resident means and the database cannot keep (NUL, control characters,
    lone surrogates: `storable`) → upsert the resident (locked for the turn) → lifecycle
    events → input checks (empty, too long, unsupported media) → numbered answers become
    button presses → interrupts (/start, /help, /menu, /cancel, /language, /settings) →
    global `g:` actions → the active screen's handler → render for the channel → save
    state, all in one transaction.

A failing handler rolls the turn back, is logged with a correlation id, and the resident gets
a localized apology and the main menu. One resident's turns run one at a time.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from bot import metrics
from bot.config import Settings
from bot.core.attachments import (
    FETCH_TIMEOUT,
    AttachmentProblem,
    AttachmentSource,
    check_size,
    clean_image,
)
from bot.core.capabilities import ChannelCapabilities
from bot.core.dialog import BACK, DeepLinkFn, Flow, Turn
from bot.core.i18n import I18n
from bot.core.locks import KeyedLock
from bot.core.messages import (
    Address,
    Attachment,
    Button,
    Contact,
    Incoming,
    Kind,
    Lifecycle,
    LinkButton,
    Location,
    Reply,
)
from bot.core.render import RenderTexts, render, render_texts
from storage import clock
from storage.db import Database
from storage.models.attachments import StoredFile
from storage.repos import linking
from storage.repos.access import DownloadRepo, FloodRule, FloodVerdict, RoleResolver
from storage.repos.attachments import AttachmentRepo
from storage.repos.inbox import InboxRepo, InboxWriter
from storage.repos.residents import ResidentRepo
from storage.repos.turns import TurnKey, open_turn

log = logging.getLogger(__name__)

# What no resident means and the database cannot keep: NUL (PostgreSQL refuses it in text),
# the other C0/C1 control characters (tab and line breaks stay), and lone surrogates (JSON
# can escape them, UTF-8 cannot encode them).
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

InterruptFn = Callable[[Turn, str], Awaitable[None]]
GlobalActionFn = Callable[[Turn, str], Awaitable[None]]
TextFallbackFn = Callable[[Turn, str], Awaitable[bool]]


def storable(incoming: Incoming) -> Incoming:
    """What a resident sent, without the characters `UNSTORABLE` names; a display name is
    also made one line. Ids are the adapters' business: they refuse one that does not fit."""

    def clean(value: str) -> str:
        return UNSTORABLE.sub("", value)

    location, contact, attachment = incoming.location, incoming.contact, incoming.attachment
    return replace(
        incoming,
        text=clean(incoming.text),
        payload=clean(incoming.payload),
        command=clean(incoming.command),
        args=clean(incoming.args),
        media=clean(incoming.media),
        language_hint=clean(incoming.language_hint or "") or None,
        display_name=" ".join(clean(incoming.display_name or "").split()) or None,
        location=location
        and Location(
            location.latitude, location.longitude, clean(location.title), clean(location.address)
        ),
        contact=contact and Contact(clean(contact.phone), clean(contact.name), contact.own),
        attachment=attachment
        and replace(attachment, mime=clean(attachment.mime), name=clean(attachment.name)),
    )


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """A line of the main menu: its label (a Fluent key), the flow it starts, its place, and
    whether only operators see it (the flow itself still refuses everyone else)."""

    label_key: str
    flow: str
    order: int
    operators_only: bool = False


@dataclass
class Registry:
    """What the bot can do: flows, interrupts (commands), deep links, global actions."""

    flows: dict[str, Flow] = field(default_factory=dict)
    interrupts: dict[str, InterruptFn] = field(default_factory=dict)
    deep_links: list[tuple[str, DeepLinkFn]] = field(default_factory=list)
    global_actions: dict[str, GlobalActionFn] = field(default_factory=dict)
    text_fallbacks: list[TextFallbackFn] = field(default_factory=list)
    menu: list[MenuEntry] = field(default_factory=list)

    def add_flow(self, flow: Flow) -> None:
        self.flows[flow.name] = flow

    def add_interrupt(self, command: str, handler: InterruptFn) -> None:
        self.interrupts[command] = handler

    def add_deep_link(self, prefix: str, handler: DeepLinkFn) -> None:
        self.deep_links.append((prefix, handler))

    def add_global_action(self, name: str, handler: GlobalActionFn) -> None:
        self.global_actions[name] = handler

    def add_menu_entry(self, entry: MenuEntry) -> None:
        """A feature's line in the main menu; the menu lists what is installed, in order."""
        self.menu = sorted((*(e for e in self.menu if e.flow != entry.flow), entry),
                           key=lambda e: (e.order, e.flow))  # fmt: skip


class Engine:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        i18n: I18n,
        registry: Registry,
    ) -> None:
        self.settings = settings
        self.db = db
        self.i18n = i18n
        self.registry = registry
        self.capabilities: dict[str, ChannelCapabilities] = {}
        self.sources: dict[str, AttachmentSource] = {}
        self._locks: KeyedLock[Address] = KeyedLock()
        self.inbox = InboxWriter(db)

    def register_channel(self, name: str, capabilities: ChannelCapabilities) -> None:
        self.capabilities[name] = capabilities

    def register_source(self, name: str, source: AttachmentSource) -> None:
        """The channel `name` can fetch what its residents send (bot/core/attachments.py)."""
        self.sources[name] = source

    @property
    def flood_rule(self) -> FloodRule:
        return FloodRule(
            self.settings.flood_max_messages, timedelta(seconds=self.settings.flood_window_seconds)
        )

    @property
    def attachment_limit(self) -> int:
        return int(self.settings.attachment_max_mb * 1024 * 1024)

    @property
    def attachment_limit_mb(self) -> str:
        return f"{self.settings.attachment_max_mb:g}"

    async def store_attachment(
        self, turn: Turn, attachment: Attachment, purpose: str
    ) -> StoredFile:
        """Fetch, check, clean and store a resident's picture (`Turn.store_attachment`
        tells the resident why one is refused). Raises AttachmentProblem."""
        limit = self.attachment_limit
        check_size(attachment.size, limit)
        if (
            attachment.kind == "document"
            and attachment.mime
            and not (attachment.mime.startswith("image/"))
        ):
            raise AttachmentProblem("not-an-image", attachment.mime[:64])
        source = self.sources.get(turn.own.channel)
        if source is None:
            raise AttachmentProblem("unavailable", f"{turn.own.channel} cannot fetch files")
        try:
            async with asyncio.timeout(FETCH_TIMEOUT):
                data = await source.fetch(attachment, limit)
        except TimeoutError as exc:
            raise AttachmentProblem("unavailable", "timed out") from exc
        image = await asyncio.to_thread(clean_image, data, limit)
        return await AttachmentRepo(turn.session).add(
            turn.resident.id,
            purpose=purpose,
            data=image.data,
            mime=image.mime,
            width=image.width,
            height=image.height,
            sha256=image.sha256,
            channel=turn.own.channel,
            now=turn.now,
            expires_at=turn.now + timedelta(days=self.settings.attachment_retention_days),
        )

    def is_operator(self, channel: str, user_id: str) -> bool:
        """From settings alone; inside a turn use `turn.is_operator` (settings + roles)."""
        return (channel, user_id) in self.settings.operator_addresses

    @property
    def roles(self) -> RoleResolver:
        return RoleResolver(self.settings.admin_addresses, self.settings.operator_addresses)

    def settings_role(self, channel: str, user_id: str) -> str | None:
        return self.roles.configured(channel, user_id)

    def public_url(self, path: str) -> str:
        base = self.settings.public_base_url.rstrip("/") or (
            f"http://{self.settings.http_host}:{self.settings.http_port}"
        )
        return f"{base}{path}"

    async def _documents_as_links(self, turn: Turn) -> None:
        """Channels that cannot receive files (Viber) get a link to a one-day download."""
        downloads = DownloadRepo(turn.session)
        for reply in turn.replies:
            if reply.document is None:
                continue
            document, reply.document = reply.document, None
            token = await downloads.create(
                turn.own.id, document.filename, document.mime_type, document.content
            )
            reply.buttons.append(
                [
                    LinkButton(
                        turn.t("download-file", name=document.filename),
                        self.public_url(f"/files/{token}"),
                    )
                ]
            )

    def render_texts(self, locale: str, *, text_screen: bool = False) -> RenderTexts:
        return render_texts(self.i18n, locale, text_screen=text_screen)

    # --- the turn ---------------------------------------------------------------------
    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Run one turn and return the replies rendered for the incoming channel."""
        incoming = storable(incoming)
        result: list[Reply] = await self._locks.run(
            incoming.address, lambda: self._handle_locked(incoming)
        )
        return result

    async def _handle_locked(self, incoming: Incoming) -> list[Reply]:
        correlation_id = uuid.uuid4().hex[:12]
        channel = incoming.address.channel
        metrics.UPDATES.labels(channel).inc()
        started = time.perf_counter()
        try:
            return await self._turn(incoming, correlation_id)
        except Exception:
            log.exception(
                "turn failed", extra={"correlation_id": correlation_id, "channel": channel}
            )
            metrics.TURN_ERRORS.labels(channel).inc()
        finally:
            metrics.TURN_SECONDS.labels(channel).observe(time.perf_counter() - started)
        return await self._apologise(incoming, correlation_id)

    async def _turn(self, incoming: Incoming, correlation_id: str) -> list[Reply]:
        caps = self.capabilities[incoming.address.channel]
        now = clock.now()
        key = TurnKey(
            incoming.address.channel,
            incoming.address.user_id,
            incoming.event_id,
            self.i18n.normalize(incoming.language_hint),
            incoming.display_name,
        )
        # A lifecycle event (blocked, unblocked) is no message: it is not counted.
        flood = None if incoming.kind is Kind.LIFECYCLE else self.flood_rule
        async with self.db.transaction() as session:
            opened = await open_turn(session, key, now, flood)
            if opened is None:
                log.info("duplicate event ignored", extra={"event_id": incoming.event_id})
                metrics.DUPLICATES.labels(incoming.address.channel).inc()
                return []
            resident, created, state, stored_role, verdict = opened
            if verdict is FloodVerdict.IGNORE:
                log.info("flood: message ignored", extra={"correlation_id": correlation_id})
                metrics.FLOOD_IGNORED.labels(incoming.address.channel).inc()
                return []
            # A linked chat works on the person's profile, held by one of their residents
            # (docs/linking.md); a resident linked to no one costs no statement here.
            holder = await linking.holder_for_turn(
                session, resident, prefer_free=self.settings.linking_prefer_free_channel
            )
            # Read after the opening, which may have waited for another instance's turn of
            # this resident: what the flow writes is never older than what that turn wrote.
            turn = Turn(self, incoming, holder, state, session, clock.now(), correlation_id)
            turn.chat_resident = resident
            turn.role = self.roles.resolve(stored_role, resident.channel, resident.user_id)
            before = (state.flow, state.step)
            if verdict is FloodVerdict.WARN:
                turn.say(turn.t("flood-slow-down"))
            else:
                await self._dispatch(turn, created)
            if turn.erased:
                for row in (state, resident, turn.resident):
                    if row in session:
                        session.expunge(row)
                return render(turn.replies, caps, self.render_texts(turn.locale)).replies
            if not turn.replies:
                return []
            if not caps.documents:
                await self._documents_as_links(turn)
            # `turn.resident`: a turn that linked or unlinked this chat speaks the profile's
            # language from then on.
            locale_texts = self.render_texts(turn.locale, text_screen=self._takes_text(turn))
            if incoming.kind is Kind.BUTTON and turn.replies:
                turn.replies[0].replace_screen = True
            rendered = render(turn.replies, caps, locale_texts)
            offered = rendered.offered()
            if offered or (state.flow, state.step) != before:
                state.offered = offered
                state.numbered = rendered.numbered
            return rendered.replies

    async def _apologise(self, incoming: Incoming, correlation_id: str) -> list[Reply]:
        locale = self.i18n.normalize(incoming.language_hint)
        try:
            async with self.db.transaction() as session:
                residents = ResidentRepo(session)
                resident, _ = await residents.upsert_for_turn(
                    incoming.address.channel, incoming.address.user_id, locale=locale
                )
                locale = resident.locale
                state = await residents.state(resident)
                if incoming.event_id is not None:
                    # A handler bug would fail again on every retry: the resident has had
                    # an apology, so the event is closed as failed, with the error kept.
                    await InboxRepo(session).mark_attempt_failed(
                        incoming.address.channel,
                        incoming.event_id,
                        f"handler failed ({correlation_id})",
                        max_attempts=1,
                    )
                turn = Turn(self, incoming, resident, state, session, clock.now(), correlation_id)
                turn.say(turn.t("error-apology", ref=correlation_id))
                await self.enter(turn, "menu", None, {})
                rendered = render(
                    turn.replies,
                    self.capabilities[incoming.address.channel],
                    self.render_texts(locale),
                )
                state.offered = rendered.offered()
                state.numbered = rendered.numbered
                return rendered.replies
        except Exception:
            log.exception(
                "could not reset the conversation", extra={"correlation_id": correlation_id}
            )
        text = self.i18n.t(locale, "error-apology", {"ref": correlation_id})
        return [Reply(text=text)]

    async def _dispatch(self, turn: Turn, created: bool) -> None:
        incoming = turn.incoming
        residents = ResidentRepo(turn.session)
        if incoming.kind is Kind.LIFECYCLE:
            await self._lifecycle(turn, residents)
            return
        await residents.set_active(turn.own, True, turn.now)

        current = self.registry.flows.get(turn.state.flow or "")
        if current is not None and current.operator_only and not turn.is_operator:
            # Demoted while inside an operator screen: nothing of it may run any more.
            turn.audit("operator-flow", current.name, outcome="refused")
            turn.say(turn.t("operator-only"))
            await turn.menu()
            return

        if incoming.kind is Kind.COMMAND and incoming.command == "start":
            await self.interrupt(turn, "start", incoming.args)
            return
        if not turn.resident.locale_chosen and not self._is_onboarding_input(turn):
            await self.interrupt(turn, "start", "")
            return

        if incoming.kind is Kind.TEXT:
            # NUL cannot be stored in PostgreSQL text and is never meant by a resident.
            text = incoming.text.replace("\x00", "").strip()
            if not text:
                turn.say(turn.t("input-empty"))
                return
            if len(incoming.text) > self.settings.max_text_length:
                turn.say(
                    turn.t(
                        "input-too-long",
                        limit=self.settings.max_text_length,
                        length=len(incoming.text),
                    )
                )
                return
            choice = self._numbered_choice(turn, text)
            if choice is not None:
                await self._button(turn, choice)
                return
            await self._text(turn, text)
            return
        if incoming.kind is Kind.COMMAND:
            if incoming.command in self.registry.interrupts:
                await self.interrupt(turn, incoming.command, incoming.args)
            else:
                turn.say(turn.t("unknown-command", command=incoming.command[:32]))
            return
        if incoming.kind is Kind.BUTTON:
            await self._button(turn, incoming.payload)
            return
        # A shared location, a contact or a photo goes to the screen that asks for one; a
        # photo out of place is answered without fetching it.
        screen = self._screen(turn)
        shared: tuple[Any, Any, str] | None = None
        if incoming.kind is Kind.LOCATION and incoming.location is not None:
            shared = (screen and screen.on_location, incoming.location, "location")
        elif incoming.kind is Kind.CONTACT and incoming.contact is not None:
            shared = (screen and screen.on_contact, incoming.contact, "contact")
        elif incoming.kind is Kind.ATTACHMENT and incoming.attachment is not None:
            shared = (screen and screen.on_attachment, incoming.attachment, "attachment")
        if shared is not None:
            handler, value, what = shared
            if handler is not None:
                await handler(turn, value)
            else:
                turn.say(turn.t(f"input-{what}-unexpected"))
            return
        turn.say(turn.t("input-unsupported"))

    def _numbered_choice(self, turn: Turn, text: str) -> str | None:
        """The payload a typed number stands for where buttons were shown as a numbered list.

        On a screen whose typed input is a number (a house number, a percentage), a bare
        number is that input; the list is answered with "#2" there, as its hint says."""
        numbered = turn.state.numbered
        if not numbered:
            return None
        digits = text.removeprefix("#")
        if not digits.isdigit() or (digits == text and self._takes_text(turn)):
            return None
        number = int(digits)
        return str(numbered[number - 1]) if 1 <= number <= len(numbered) else None

    def _takes_text(self, turn: Turn) -> bool:
        screen = self._screen(turn)
        return screen is not None and screen.on_text is not None and screen.numeric_input

    def _is_onboarding_input(self, turn: Turn) -> bool:
        return turn.state.flow == "onboarding" and turn.incoming.kind in (Kind.BUTTON, Kind.TEXT)

    async def _lifecycle(self, turn: Turn, residents: ResidentRepo) -> None:
        event = turn.incoming.event
        if event in (Lifecycle.BLOCKED, Lifecycle.UNSUBSCRIBED):
            await residents.set_active(turn.own, False, turn.now)
            # A profile's holder that left gives notifications to a linked channel.
            await linking.after_lifecycle(
                turn.session, turn.own, prefer_free=self.settings.linking_prefer_free_channel
            )
        elif event in (Lifecycle.UNBLOCKED, Lifecycle.SUBSCRIBED):
            await residents.set_active(turn.own, True, turn.now)
        elif event is Lifecycle.CONVERSATION_STARTED:
            await self.interrupt(turn, "start", turn.incoming.args)

    async def interrupt(self, turn: Turn, command: str, args: str) -> None:
        await self.registry.interrupts[command](turn, args)

    async def _text(self, turn: Turn, text: str) -> None:
        screen = self._screen(turn)
        if screen is not None and screen.on_text is not None:
            if len(text) > screen.text_limit:
                turn.say(turn.t("input-too-long", limit=screen.text_limit, length=len(text)))
                return
            await screen.on_text(turn, text)
            return
        for fallback in self.registry.text_fallbacks:
            if await fallback(turn, text):
                return
        turn.say(turn.t("fallback-use-buttons"))
        await self.render_current(turn)

    async def _button(self, turn: Turn, payload: str) -> None:
        if payload.startswith("g:"):
            name, _, arg = payload[2:].partition(":")
            action = self.registry.global_actions.get(name)
            if action is not None:
                await action(turn, arg)
                return
        elif payload in turn.state.offered:
            screen = self._screen(turn)
            if payload == BACK:
                if screen is not None and screen.back:
                    await turn.goto(screen.back)
                else:
                    await turn.menu()
                return
            if screen is not None and screen.on_button is not None:
                await screen.on_button(turn, payload)
                return
        log.info("stale or forged payload", extra={"correlation_id": turn.correlation_id})
        turn.say(turn.t("stale-menu"))
        await self.render_current(turn)

    def _flow(self, turn: Turn) -> Flow | None:
        flow = self.registry.flows.get(turn.state.flow or "")
        if flow is not None and flow.operator_only and not turn.is_operator:
            return None
        return flow

    def _screen(self, turn: Turn) -> Any:
        flow = self._flow(turn)
        return None if flow is None else flow.screen(turn.state.step)

    async def enter(
        self, turn: Turn, flow_name: str, screen: str | None, data: dict[str, Any]
    ) -> None:
        flow = self.registry.flows.get(flow_name)
        if flow is None:
            flow_name, flow, data = "menu", self.registry.flows["menu"], {}
        if flow.operator_only and not turn.is_operator:
            turn.audit("open-flow", flow_name, outcome="refused")
            turn.say(turn.t("operator-only"))
            flow_name, flow, data = "menu", self.registry.flows["menu"], {}
            screen = None
        turn.state.flow = flow_name
        turn.state.step = screen or flow.start
        turn.state.data = dict(data)
        await self.render_current(turn)

    async def render_current(self, turn: Turn) -> None:
        flow = self._flow(turn)
        if flow is None:
            turn.state.flow, turn.state.step, turn.state.data = "menu", None, {}
            flow = self.registry.flows["menu"]
        screen_name = turn.state.step if turn.state.step in flow.screens else flow.start
        turn.state.step = screen_name
        await flow.screens[screen_name].render(turn)

    # --- helpers for channels ---------------------------------------------------------
    async def record_event(self, channel: str, event_id: str, body: str) -> bool:
        """Record a platform event before acknowledging it; False for a duplicate. Concurrent
        records share one commit (`InboxWriter`)."""
        return await self.inbox.record(channel, event_id, body)

    def button(self, label: str, payload: str) -> Button:
        return Button(label, payload)
