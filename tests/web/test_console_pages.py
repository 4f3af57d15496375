"""The console's pages and actions for an operator, each through the shared operation:
an answer reaches the resident's channel through the outbox, a published update notifies
followers, polls open and close with a results chart, broadcasts are counted, previewed,
queued, followed and cancelled, waste exceptions notify subscribers, the services catalogue
is validated with a report. Every action leaves an audit entry."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from aiohttp import FormData
from aiohttp.test_utils import TestClient
from sqlalchemy import select, update

from bot.config import PROJECT_ROOT
from bot.core.capabilities import TELEGRAM
from bot.delivery.broadcasts import progress
from storage import clock
from storage.db import Database
from storage.models import OutboxMessage
from storage.models.access import AuditEntry
from storage.models.delivery import DeliveryBroadcast
from storage.models.plan import Commitment, Feedback, Poll
from storage.repos.plan import PlanRepo
from tests.digests.conftest import choose_digest
from tests.support.conversation import Resident
from tests.web.conftest import OPERATOR, WebService, csrf_of, text


async def post(client: TestClient[Any, Any], path: str, data: dict[str, str]) -> Any:
    token = await csrf_of(client)
    return await client.post(path, data={"csrf": token, **data}, allow_redirects=False)


async def outbox(db: Database, **where: Any) -> list[OutboxMessage]:
    async with db.transaction() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        for key, value in where.items():
            query = query.where(getattr(OutboxMessage, key) == value)
        return list((await session.execute(query)).scalars())


async def actions(db: Database) -> list[tuple[str, str, str]]:
    async with db.transaction() as session:
        rows = await session.execute(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.actor, e.action, e.outcome) for e in rows.scalars()]


async def telegram_resident_with_comment(web: WebService) -> Resident:
    resident = Resident.on(
        web.svoi.engine, channel="telegram", caps=TELEGRAM, user_id="310000777", language="en"
    )
    await resident.onboard("en")
    await resident.press("Plan")
    await resident.press("1. ")
    await resident.press("Rate")
    await resident.press("4")
    await resident.send("Please open more digital-skills hubs")
    await resident.press("Yes")
    assert "Reference number" in resident.text
    return resident


async def test_every_page_renders_for_an_operator(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    for path, expected in [
        ("/admin/", "<svg"),
        ("/admin/feedback", "Відгуків немає"),
        ("/admin/commitments", "<progress"),
        ("/admin/commitments/c2", "Опублікувати оновлення"),
        ("/admin/polls", "Нове опитування"),
        ("/admin/broadcasts", 'id="audience-count"'),
        ("/admin/waste", "Перенести або скасувати"),
        ("/admin/services", "Імпорт каталогу"),
    ]:
        response = await operator.get(path)
        page = await text(response)
        assert response.status == 200, path
        assert expected in page, path
        assert 'aria-current="page"' in page, path
    # The audit log is for admins only (tests/web/test_audit_log_readers.py).
    assert (await operator.get("/admin/audit")).status == 403
    english = await text(await operator.get("/admin/?lang=en"))
    assert '<html lang="en">' in english and "Residents by channel" in english
    following = await text(await operator.get("/admin/feedback"))
    assert '<html lang="en">' in following  # the choice is kept
    assert (await operator.get("/admin/feedback/999")).status == 404
    assert (await operator.get("/admin/commitments/c99")).status == 404


async def test_an_answer_reaches_the_residents_channel(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    await telegram_resident_with_comment(web)
    async with web.svoi.db.transaction() as session:
        feedback = (await session.execute(select(Feedback))).scalar_one()
    inbox = await text(await operator.get("/admin/feedback?waiting=1"))
    assert feedback.reference is not None and feedback.reference in inbox
    item = await text(await operator.get(f"/admin/feedback/{feedback.id}"))
    assert "Please open more digital-skills hubs" in item and "telegram:310000777" in item

    empty = await post(operator, f"/admin/feedback/{feedback.id}/answer", {"answer": "  "})
    assert empty.status == 400 and "Текст порожній" in await empty.text()
    done = await post(
        operator, f"/admin/feedback/{feedback.id}/answer", {"answer": "Two more hubs open in May."}
    )
    assert done.status == 303 and "notice=answered" in done.headers["Location"]
    again = await post(operator, f"/admin/feedback/{feedback.id}/answer", {"answer": "Again"})
    assert again.status == 400

    (note,) = await outbox(web.svoi.db, template_key="plan-notify-answer")
    assert (note.channel, note.user_id) == ("telegram", "310000777")
    assert note.template_args["answer"] == "Two more hubs open in May."
    shown = web.svoi.i18n.t("en", note.template_key or "", note.template_args)
    assert "Please open more digital-skills hubs" in shown
    assert (OPERATOR, "plan-answer", "done") in await actions(web.svoi.db)


async def test_mark_reviewed(web: WebService, operator: TestClient[Any, Any]) -> None:
    await telegram_resident_with_comment(web)
    async with web.svoi.db.transaction() as session:
        feedback = (await session.execute(select(Feedback))).scalar_one()
    response = await post(operator, f"/admin/feedback/{feedback.id}/reviewed", {})
    assert response.status == 303
    async with web.svoi.db.transaction() as session:
        assert (await session.get(Feedback, feedback.id)).reviewed  # type: ignore[union-attr]
    assert (OPERATOR, "plan-reviewed", "done") in await actions(web.svoi.db)


async def test_a_published_update_notifies_followers(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    follower = Resident.on(web.svoi.engine, channel="telegram", caps=TELEGRAM, user_id="310000778")
    await follower.onboard("en")
    await follower.press("Plan")
    await follower.press("3. ")
    await follower.press("Follow")
    page = await text(await operator.get("/admin/commitments/c3"))
    assert "Сповістити тих, хто стежить (1)" in page

    bad = await post(
        operator,
        "/admin/commitments/c3/publish",
        {"status": "keep", "progress": "140", "text": "x"},
    )
    assert bad.status == 400 and "від 0 до 100" in await bad.text()
    response = await post(
        operator,
        "/admin/commitments/c3/publish",
        {"status": "substantial", "progress": "70", "text": "Six hubs opened.", "notify": "1"},
    )
    assert response.status == 303
    async with web.svoi.db.transaction() as session:
        commitment = await PlanRepo(session).commitment("c3")
    assert commitment is not None
    # The state is the working group's; the example description keeps its label.
    assert (commitment.status, commitment.progress, commitment.example) == (
        "substantial",
        70,
        True,
    )
    (note,) = await outbox(web.svoi.db, template_key="plan-notify-update")
    assert note.user_id == "310000778" and note.template_args["text"] == "Six hubs opened."
    timeline = await text(await operator.get("/admin/commitments/c3"))
    assert "Six hubs opened." in timeline and OPERATOR in timeline

    quiet = await post(
        operator, "/admin/commitments/c3/publish", {"status": "keep", "text": "Minor fix."}
    )
    assert quiet.status == 303
    assert len(await outbox(web.svoi.db, template_key="plan-notify-update")) == 1
    assert [a for a in await actions(web.svoi.db) if a[1] == "plan-publish"] == [
        (OPERATOR, "plan-publish", "done")
    ] * 2


async def test_polls_are_created_opened_closed_and_charted(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    bad = await post(operator, "/admin/polls", {"question": "Where?", "options": "only one"})
    assert bad.status == 400 and "від 2 до 10" in await bad.text()
    past = await post(
        operator,
        "/admin/polls",
        {"question": "Where?", "options": "a\nb", "closes": "2020-01-01"},
    )
    assert past.status == 400
    created = await post(
        operator,
        "/admin/polls",
        {"question": "Where should the next hub open?", "options": "Library 1\nLibrary 2\n"},
    )
    assert created.status == 303
    async with web.svoi.db.transaction() as session:
        poll = (await session.execute(select(Poll).where(Poll.created_by == OPERATOR))).scalar_one()
    assert poll.state == "draft"
    opened = await post(operator, f"/admin/polls/{poll.id}/open", {})
    assert opened.status == 303

    voter = Resident.on(web.svoi.engine, channel="telegram", caps=TELEGRAM, user_id="310000779")
    await voter.onboard("en")
    await voter.send(f"/start p{poll.id}")
    await voter.press("Library 2")
    page = await text(await operator.get(f"/admin/polls/{poll.id}"))
    assert "Library 2: 100% (1)" in page and "<svg" in page
    closed = await post(operator, f"/admin/polls/{poll.id}/close", {})
    assert closed.status == 303
    async with web.svoi.db.transaction() as session:
        assert (await session.get(Poll, poll.id)).state == "closed"  # type: ignore[union-attr]
    recorded = [a[1] for a in await actions(web.svoi.db) if a[1].startswith("plan-poll")]
    assert recorded == ["plan-poll-create", "plan-poll-open", "plan-poll-close"]


async def test_a_poll_is_edited_on_the_console_and_its_options_stay_once_voted(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    created = await post(
        operator, "/admin/polls", {"question": "Where to plant?", "options": "Park\nSquare"}
    )
    poll_id = int(created.headers["Location"].split("/")[3].split("?")[0])
    form = await text(await operator.get(f"/admin/polls/{poll_id}"))
    assert "Змінити опитування" in form and "Park\nSquare</textarea>" in form

    last_day = (clock.now() + timedelta(days=10)).astimezone(web.svoi.settings.zone).date()
    edited = await post(
        operator,
        f"/admin/polls/{poll_id}/edit",
        {
            "question": "Where should we plant 100 trees?",
            "options": "Park\nSquare\nRiverside",
            "closes": last_day.isoformat(),
        },
    )
    assert edited.status == 303 and "poll-edited" in edited.headers["Location"]
    async with web.svoi.db.transaction() as session:
        poll = await session.get(Poll, poll_id)
        results = await PlanRepo(session).results(poll_id)
    assert poll is not None and poll.question["uk"] == "Where should we plant 100 trees?"
    assert [r.option.text["uk"] for r in results] == ["Park", "Square", "Riverside"]
    assert poll.closes_at is not None
    assert poll.closes_at.astimezone(web.svoi.settings.zone).date() == last_day + timedelta(
        days=1
    )  # open until the end of the last day

    assert (await post(operator, f"/admin/polls/{poll_id}/open", {})).status == 303
    voter = Resident.on(web.svoi.engine, channel="telegram", caps=TELEGRAM, user_id="310000778")
    await voter.onboard("en")
    await voter.send(f"/start p{poll_id}")
    await voter.press("Riverside")
    locked = await post(
        operator,
        f"/admin/polls/{poll_id}/edit",
        {"question": "Where should we plant 100 trees?", "options": "Park\nSquare"},
    )
    assert locked.status == 400 and "Варіанти можна змінити лише в чернетці" in await locked.text()
    renamed = await post(
        operator,
        f"/admin/polls/{poll_id}/edit",
        {"question": "Where do we plant 100 trees?", "options": "Park\nSquare\nRiverside"},
    )
    assert renamed.status == 303
    async with web.svoi.db.transaction() as session:
        results = await PlanRepo(session).results(poll_id)
    assert [(r.option.text["uk"], r.votes) for r in results] == [
        ("Park", 0),
        ("Square", 0),
        ("Riverside", 1),
    ]
    recorded = [a[1] for a in await actions(web.svoi.db) if a[1] == "plan-poll-edit"]
    assert recorded == ["plan-poll-edit", "plan-poll-edit"]


async def test_broadcasts_are_counted_previewed_queued_and_cancelled(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    for user in ("310000780", "310000781"):
        resident = Resident.on(web.svoi.engine, channel="telegram", caps=TELEGRAM, user_id=user)
        await resident.onboard("uk")
    count = await operator.get("/admin/broadcasts/audience?audience=everyone")
    figures = await count.json()
    assert figures["total"] == 2 and figures["counts"] == {"telegram": 2}
    assert (await operator.get("/admin/broadcasts/audience?audience=language")).status == 400
    english = await operator.get("/admin/broadcasts/audience?audience=language&value=en")
    assert (await english.json())["total"] == 0

    draft = {
        "text": "Water off on Soborna street on Monday.",
        "link": "Details | https://khm.gov.ua",
        "audience": "everyone",
    }
    preview = await post(operator, "/admin/broadcasts", {**draft, "action": "preview"})
    page = await preview.text()
    assert preview.status == 200
    assert "Як це побачать у кожному каналі" in page
    assert page.count("Water off on Soborna street on Monday.") >= 3  # form + each channel
    assert "Отримають: 2 (Telegram: 2)" in page
    assert not await outbox(web.svoi.db, kind="broadcast")

    bad_link = await post(
        operator, "/admin/broadcasts", {**draft, "link": "javascript:alert(1)", "action": "send"}
    )
    assert bad_link.status == 400
    sent = await post(operator, "/admin/broadcasts", {**draft, "action": "send"})
    assert sent.status == 303
    rows = await outbox(web.svoi.db, kind="broadcast")
    assert sorted(r.user_id for r in rows) == ["310000780", "310000781"]
    broadcast_id = rows[0].broadcast_id
    status = await (await operator.get(f"/admin/broadcasts/{broadcast_id}/progress")).json()
    assert (status["total"], status["waiting"], status["finished"]) == (2, 2, False)
    detail = await text(await operator.get(f"/admin/broadcasts/{broadcast_id}"))
    assert 'id="bc-bar"' in detail and "Скасувати розсилку" in detail

    cancelled = await post(operator, f"/admin/broadcasts/{broadcast_id}/cancel", {})
    assert cancelled.status == 303
    async with web.svoi.db.transaction() as session:
        assert (await progress(session, broadcast_id or 0)).waiting == 0
    again = await post(operator, f"/admin/broadcasts/{broadcast_id}/cancel", {})
    assert again.status == 409

    later = (clock.now() + timedelta(days=1)).astimezone(web.svoi.settings.zone)
    scheduled = await post(
        operator,
        "/admin/broadcasts",
        {**draft, "action": "send", "schedule": "1", "when": later.strftime("%Y-%m-%dT%H:%M")},
    )
    assert scheduled.status == 303 and "broadcast-scheduled" in scheduled.headers["Location"]
    async with web.svoi.db.transaction() as session:
        latest = (
            (await session.execute(select(DeliveryBroadcast).order_by(DeliveryBroadcast.id.desc())))
            .scalars()
            .first()
        )
    assert latest is not None and latest.status == "scheduled"
    assert latest.author_user_id == "5550001"
    recorded = [a[1] for a in await actions(web.svoi.db) if a[1].startswith("broadcast")]
    assert recorded == ["broadcast-send", "broadcast-cancel", "broadcast-send"]


async def test_a_broadcast_page_says_how_many_may_have_received_it_twice(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    for user in ("310000790", "310000791", "310000792"):
        resident = Resident.on(web.svoi.engine, channel="telegram", caps=TELEGRAM, user_id=user)
        await resident.onboard("uk")
    draft = {"text": "Укриття на Соборній відкрите.", "link": "", "audience": "everyone"}
    assert (await post(operator, "/admin/broadcasts", {**draft, "action": "send"})).status == 303
    rows = await outbox(web.svoi.db, kind="broadcast")
    broadcast_id = rows[0].broadcast_id
    detail = await text(await operator.get(f"/admin/broadcasts/{broadcast_id}"))
    assert 'id="bc-doubled"' not in detail  # nothing was given back: nothing to warn about
    async with web.svoi.db.transaction() as session:  # a sender died holding two claims,
        await session.execute(  # and the new one sent them again
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([r.id for r in rows[:2]]))
            .values(reclaims=1, status="sent", sent_at=clock.now())
        )
    detail = await text(await operator.get(f"/admin/broadcasts/{broadcast_id}"))
    assert "до 2 мешканців могли отримати повідомлення двічі" in detail


async def test_a_waste_exception_notifies_subscribers(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    from dialogs.waste import ensure_default_waste
    from dialogs.waste.schedule import local_today
    from dialogs.waste.service import ZoneSchedules
    from storage.repos.waste import WasteRepo

    assert await ensure_default_waste(web.svoi.db)
    async with web.svoi.db.transaction() as session:
        repo = WasteRepo(session)
        zone = (await repo.zones())[0]
        schedules = await ZoneSchedules.load(repo, zone.id)
        waste_type = schedules.types_of(zone.id)[0]
        today = local_today(clock.now())
        day = next(
            c.day
            for c in schedules.collections(
                zone.id, today + timedelta(days=1), today + timedelta(days=60)
            )
            if c.waste_type == waste_type
        )
    page = await text(await operator.get("/admin/waste"))
    assert zone.code in page

    wrong = await post(
        operator,
        "/admin/waste/exceptions",
        {"zone": zone.code, "type": waste_type, "date": (day + timedelta(days=1)).isoformat(),
         "action": "cancel", "reason_uk": "Свято"},
    )  # fmt: skip
    assert wrong.status == 400 and "не можна застосувати" in await wrong.text()
    done = await post(
        operator,
        "/admin/waste/exceptions",
        {"zone": zone.code, "type": waste_type, "date": day.isoformat(), "action": "move",
         "moved_to": (day + timedelta(days=1)).isoformat(), "reason_uk": "Свято"},
    )  # fmt: skip
    assert done.status == 303
    listed = await text(await operator.get("/admin/waste"))
    assert day.isoformat() in listed and "Свято" in listed
    assert (OPERATOR, "waste-exception", "done") in await actions(web.svoi.db)


async def test_the_services_catalogue_is_validated_before_import(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    async def upload(name: str, content: bytes, dry_run: bool) -> Any:
        token = await csrf_of(operator)
        form = FormData()
        form.add_field("csrf", token)
        if dry_run:
            form.add_field("dry_run", "1")
        form.add_field("file", content, filename=name, content_type="application/octet-stream")
        return await operator.post("/admin/services/import", data=form)

    broken = await upload("catalogue.yaml", b"offices:\n  - code: [\n", dry_run=False)
    page = await broken.text()
    assert broken.status == 400 and "catalogue.yaml" in page and "нічого не змінено" in page
    wrong_kind = await upload("catalogue.txt", b"hello", dry_run=False)
    assert wrong_kind.status == 400

    shipped = await asyncio.to_thread((PROJECT_ROOT / "content" / "services.yaml").read_bytes)
    checked = await upload("services.yaml", shipped, dry_run=True)
    assert checked.status == 200 and "Файл правильний" in await checked.text()
    assert "послуг — 0" in await text(await operator.get("/admin/services"))
    imported = await upload("services.yaml", shipped, dry_run=False)
    assert imported.status == 200 and "Імпортовано" in await imported.text()
    assert "послуг — 0" not in await text(await operator.get("/admin/services"))
    outcomes = [a[2] for a in await actions(web.svoi.db) if a[1] == "services-import"]
    assert outcomes == ["refused", "refused", "done", "done"]


async def test_the_dashboard_counts_residents_and_ratings(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    await telegram_resident_with_comment(web)
    async with web.svoi.db.transaction() as session:
        commitment = (
            await session.execute(select(Commitment).where(Commitment.code == "c1"))
        ).scalar_one()
    page = await text(await operator.get("/admin/?lang=en"))
    assert '<th scope="row">Telegram</th><td>1</td>' in page
    assert '<th scope="row">English</th><td>1</td>' in page
    assert f"{commitment.number}." in page and "4.00 (1)" in page


async def test_a_broadcast_page_counts_those_who_get_it_in_their_news_digest(
    web: WebService, operator: TestClient[Any, Any]
) -> None:
    reader = Resident.on(web.svoi.engine, channel="telegram", caps=TELEGRAM, user_id="310000795")
    await reader.onboard("uk")
    await choose_digest(reader, "Розсилки міської ради", "щодня о 18:00")
    other = Resident.on(web.svoi.engine, channel="telegram", caps=TELEGRAM, user_id="310000796")
    await other.onboard("uk")

    draft = {"text": "Concert on the Maidan on Sunday.", "link": "", "audience": "everyone"}
    sent = await post(operator, "/admin/broadcasts", {**draft, "action": "send"})
    assert sent.status == 303
    [row] = await outbox(web.svoi.db, kind="broadcast")
    assert row.user_id == "310000796"  # the reader gets it in the evening's digest
    detail = await text(await operator.get(f"/admin/broadcasts/{row.broadcast_id}"))
    assert "Ще 1 мешканець отримає цю розсилку в дайджесті новин" in detail
