"""A resident's collections as an iCalendar (.ics) file, with an alarm at their reminder
time, sent as a document (Telegram) or served at an unguessable link (Viber, calendar apps).

One event per collection day and address for the next months, so a calendar shows exactly
the days the bot shows (exceptions included); timed events carry TZID Europe/Kyiv with its
VTIMEZONE, days without a time window are all-day events.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from aiohttp import web
from icalendar import Alarm, Calendar, Event

from bot.config import Settings
from bot.core.i18n import I18n, localized
from dialogs.waste import schedule
from dialogs.waste.config import WasteSettings
from dialogs.waste.service import TypeNames, ZoneSchedules
from storage import clock
from storage.clock import city_zone
from storage.models import Resident
from storage.models.waste import WasteSubscription
from storage.repos.waste import WasteRepo

if TYPE_CHECKING:
    from bot.app import Svoi

log = logging.getLogger(__name__)

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
PATH = "/waste/calendar/{token}.ics"
MIME = "text/calendar"


def _alarm_offset(sub: WasteSubscription, day: date, start: time | None) -> timedelta:
    """How long before the event start the resident's reminder is (exact across DST)."""
    due = schedule.local_instant(day + timedelta(days=sub.remind_offset), time(sub.remind_hour))
    begins = schedule.local_instant(day, start or time(0))
    return due - begins


async def build_calendar(
    repo: WasteRepo, i18n: I18n, resident: Resident, now: datetime, months: int = 12
) -> bytes:
    """The .ics bytes of every subscription of the resident (paused ones without alarms)."""
    locale = resident.locale if resident.locale in i18n.locales else i18n.default_locale
    today = schedule.local_today(now)
    end = today + timedelta(days=31 * months)
    subs = await repo.subscriptions_of(resident.id)
    schedules = await ZoneSchedules.load(repo)
    names = await TypeNames.load(repo)
    zones = {z.id: z for z in await repo.zones()}
    cal = Calendar()
    cal.add("prodid", "-//Svoi//Khmelnytskyi waste collection//UK")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", i18n.t(locale, "waste-ics-name"))
    cal.add("x-wr-timezone", city_zone().key)
    stamp = now.replace(microsecond=0)
    for sub in subs:
        zone = zones.get(sub.zone_id)
        for item in schedules.collections(sub.zone_id, today, end, locale):
            if item.waste_type not in sub.types:
                continue
            event = Event()
            event.add("uid", f"waste-{sub.id}-{item.waste_type}-{item.day.isoformat()}@svoi")
            event.add("dtstamp", stamp)
            summary = i18n.t(
                locale, "waste-ics-summary", {"type": names.name(item.waste_type, locale)}
            )
            if item.is_example:
                summary += " " + i18n.t(locale, "waste-example-mark")
            event.add("summary", summary)
            if item.window_start is not None:
                begins = datetime.combine(item.day, item.window_start, tzinfo=city_zone())
                event.add("dtstart", begins)
                if item.window_end is not None:
                    event.add(
                        "dtend", datetime.combine(item.day, item.window_end, tzinfo=city_zone())
                    )
            else:
                event.add("dtstart", item.day)
                event.add("dtend", item.day + timedelta(days=1))
            location = sub.address
            if zone is not None:
                location += f" ({localized(zone.name, locale)})"
            event.add("location", location)
            description = [names.hint(item.waste_type, locale)]
            if item.moved_from is not None:
                description.append(
                    i18n.t(locale, "waste-item-moved", {"date": i18n.date(locale, item.moved_from)})
                )
                if item.reason:
                    description.append(item.reason)
            event.add("description", "\n".join(d for d in description if d))
            event.add("transp", "TRANSPARENT")
            if not sub.paused:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", summary)
                alarm.add("trigger", _alarm_offset(sub, item.day, item.window_start))
                event.add_component(alarm)
            cal.add_component(event)
    cal.add_missing_timezones(first_date=today - timedelta(days=366), last_date=end)
    return bytes(cal.to_ical())


def public_base(settings: Settings, policy: WasteSettings) -> str:
    """Where residents reach this service from outside."""
    if policy.public_url:
        return policy.public_url.rstrip("/")
    for url in (settings.viber.webhook_url, settings.telegram.webhook_url):
        if url:
            parts = urlsplit(url)
            return f"{parts.scheme}://{parts.netloc}"
    return f"http://{settings.http_host}:{settings.http_port}"


def calendar_url(settings: Settings, policy: WasteSettings, token: str) -> str:
    return public_base(settings, policy) + PATH.format(token=token)


def add_routes(app: web.Application, svoi: Svoi) -> None:
    """Serve `GET /waste/calendar/<token>.ics`; an unknown or malformed token is a 404."""
    policy = WasteSettings()

    async def serve_calendar(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if not TOKEN.match(token):
            raise web.HTTPNotFound()
        async with svoi.db.transaction() as session:
            repo = WasteRepo(session)
            resident = await repo.resident_by_token(token)
            if resident is None:
                raise web.HTTPNotFound()
            body = await build_calendar(
                repo,
                svoi.i18n,
                resident,
                clock.now().astimezone(city_zone()),
                policy.calendar_months,
            )
        return web.Response(
            body=body,
            content_type=MIME,
            charset="utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="svoi-waste.ics"',
                "Cache-Control": "private, max-age=3600",
                "X-Robots-Tag": "noindex",
            },
        )

    app.router.add_get(PATH, serve_calendar)
