"""A resident links Telegram and Viber with a one-time code and is one person from then on:
one vote, one follow, each progress update once in the channel they prefer; wrong, expired,
used and own codes get clear answers, guesses are limited; unlinking, /mydata and
/deleteme cover every linked channel. On both databases, with Telegram's and Viber's
capabilities (inline buttons vs. a keyboard)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from bot.app import Svoi
from bot.core.capabilities import TELEGRAM, TEST, VIBER
from bot.core.messages import Lifecycle
from bot.delivery import broadcasts
from bot.delivery.broadcasts import Audience, Draft
from dialogs.broadcast import service as broadcast_service
from storage import clock
from storage.db import Database
from storage.models import Resident as ResidentRow
from storage.models.plan import Follow, Poll, Vote
from tests.plan.conftest import outbox
from tests.support.conversation import Resident

CODE = re.compile(r"(?:Your code|Ваш код): ([A-Z0-9]{6})")


def _on(svoi: Svoi, channel: str) -> Resident:
    caps = {"telegram": TELEGRAM, "viber": VIBER, "test": TEST}[channel]
    return Resident.on(svoi.engine, channel=channel, caps=caps, language="en")


async def _code(resident: Resident) -> str:
    await resident.send("/settings")
    await resident.press("Connect another messenger")
    if "Linked messengers:" in resident.text:
        await resident.press("Connect one more messenger")
    found = CODE.search(resident.text)
    assert found is not None, resident.text
    return found.group(1)


async def _linked_pair(svoi: Svoi) -> tuple[Resident, Resident]:
    telegram, viber = _on(svoi, "telegram"), _on(svoi, "viber")
    await telegram.onboard("en")
    await viber.onboard("en")
    code = await _code(telegram)
    assert "It works for 10 minutes, once." in telegram.text
    await viber.send(code)
    assert "Done, messengers linked: Telegram, Viber." in viber.text
    assert "Notifications go to: Viber (the messenger you wrote from last)." in viber.text
    return telegram, viber


async def _publish(operator: Resident, text: str) -> None:
    await operator.send("/operator")
    await operator.press("Publish an update")
    await operator.press("pc:c3")
    await operator.press("Keep: substantial")
    await operator.send("60")
    await operator.send(text)
    await operator.press("Publish")


async def _residents(db: Database) -> int:
    async with db.transaction() as session:
        query = select(func.count()).select_from(ResidentRow)
        return int((await session.execute(query)).scalar_one())


async def test_linked_resident_votes_once_follows_once_and_gets_each_update_once(
    svoi: Svoi, plan: None, db: Database, operator: Resident
) -> None:
    telegram, viber = _on(svoi, "telegram"), _on(svoi, "viber")
    await telegram.onboard("en")
    await viber.onboard("en")
    async with db.transaction() as session:
        poll_id = (
            await session.execute(select(Poll.id).where(Poll.code == "public-opinion"))
        ).scalar_one()
    code = await _code(telegram)
    await viber.send(code)
    assert "Done, messengers linked: Telegram, Viber." in viber.text

    # One follow: followed in Telegram, Viber's commitment screen already says "Unfollow".
    await telegram.send("/start c3")
    await telegram.press("Follow progress")
    await viber.send("/start c3")
    assert "🔕 Unfollow" in viber.labels and "🔔 Follow progress" not in viber.labels

    # One vote: Viber shows the poll, Telegram votes, Viber's button is refused politely.
    await viber.send(f"/start p{poll_id}")
    await telegram.send(f"/start p{poll_id}")
    await telegram.press("Green city")
    assert "Thank you, your vote is counted!" in telegram.text
    await viber.press("Digital services")
    assert "You have already voted in this poll from a linked messenger." in viber.text
    async with db.transaction() as session:
        votes = (await session.execute(select(func.count()).select_from(Vote))).scalar_one()
        follows = (await session.execute(select(func.count()).select_from(Follow))).scalar_one()
    assert (votes, follows) == (1, 1)

    # Each update once, in the channel last used: Viber (it wrote last).
    await operator.onboard("en")
    await _publish(operator, "Hubs opened in two more village libraries.")
    assert "Notifications queued: 1." in operator.text
    rows = await outbox(db, kind="plan-update")
    assert [(r.channel, r.user_id) for r in rows] == [("viber", viber.user_id)]

    # The resident writes from Telegram again: the next update goes there, still once; so
    # does the first, which no sender has taken yet (a pending message follows the person).
    await telegram.send("/menu")
    await _publish(operator, "Courses finished in all six libraries.")
    rows = await outbox(db, kind="plan-update")
    assert [(r.channel, r.user_id) for r in rows] == [("telegram", telegram.user_id)] * 2

    # They choose Viber for notifications: writing from Telegram no longer moves them.
    await telegram.send("/link")
    assert "Linked messengers: Telegram, Viber." in telegram.text
    await telegram.press("Where notifications go")
    await telegram.press("Viber")
    assert "Notifications go to: Viber (your choice)." in telegram.text
    await telegram.send("/menu")
    await _publish(operator, "The final report is published.")
    rows = await outbox(db, kind="plan-update")
    assert [(r.channel, r.user_id) for r in rows] == [("viber", viber.user_id)] * 3

    # A broadcast counts people, not chats: one person, on Viber.
    async with db.transaction() as session:
        estimate = await broadcast_service.estimate(
            session, Audience(), ["telegram", "viber", "test"], 0.85, "UAH"
        )
    assert estimate.counts.get("viber") == 1 and estimate.counts.get("telegram") is None
    assert estimate.viber_cost == 0.85
    async with db.transaction() as session:
        created = await broadcasts.create(session, Draft("Ярмарок у неділю"), author=None)
        assert await broadcasts.start(session, created.id, ["telegram", "viber"]) == 1
    rows = await outbox(db, kind="broadcast")
    assert [(r.channel, r.user_id) for r in rows] == [("viber", viber.user_id)]


async def test_merging_two_profiles_keeps_both_histories_and_the_earlier_rows(
    svoi: Svoi, plan: None, db: Database
) -> None:
    telegram, viber = _on(svoi, "telegram"), _on(svoi, "viber")
    await telegram.onboard("uk")
    await viber.onboard("en")
    async with db.transaction() as session:
        poll_id = (
            await session.execute(select(Poll.id).where(Poll.code == "public-opinion"))
        ).scalar_one()
    # Both follow commitment 3, and both voted before they were linked.
    for chat, follow, option in (
        (telegram, "Стежити", "Зелене місто"),
        (viber, "Follow", "Digital services"),
    ):
        await chat.send("/start c3")
        await chat.press(follow)
        await chat.send(f"/start p{poll_id}")
        await chat.press(option)
    await viber.send("/start c2")
    await viber.press("Follow progress")

    code = await _code(viber)
    await telegram.send(code)
    # The older profile (Telegram's) wins on settings: the language is Ukrainian.
    assert "Готово, месенджери повʼязано: Telegram, Viber." in telegram.text
    async with db.transaction() as session:
        follows = list((await session.execute(select(Follow))).scalars())
        votes = list((await session.execute(select(Vote))).scalars())
        holder = (
            await session.execute(select(ResidentRow).where(ResidentRow.profile_id.is_(None)))
        ).scalar_one()
    assert holder.channel == "telegram" and holder.locale == "uk"
    assert sorted(f.commitment_id for f in follows) == sorted({f.commitment_id for f in follows})
    assert len(follows) == 2 and {f.resident_id for f in follows} == {holder.id}
    assert len(votes) == 1 and votes[0].resident_id == holder.id  # the earlier vote stays
    await viber.send(f"/start p{poll_id}")
    assert "Ваш голос: «Зелене місто» і поводження з відходами" in viber.text


async def test_wrong_expired_used_and_own_codes_get_clear_answers(
    svoi: Svoi, test_clock: clock.SetClock
) -> None:
    telegram, viber, web = _on(svoi, "telegram"), _on(svoi, "viber"), _on(svoi, "test")
    for chat in (telegram, viber, web):
        await chat.onboard("en")

    code = await _code(telegram)
    await telegram.send(code)  # typed back into the same chat
    assert "This code is from this same profile" in telegram.text

    await viber.send("/link AAA444")
    assert "There is no such code." in viber.text

    test_clock.advance(timedelta(minutes=11))
    await viber.send(code)
    assert "This code no longer works: a code is valid for 10 minutes." in viber.text

    code = await _code(telegram)
    await viber.send(code.lower())  # letters in any case
    assert "Done, messengers linked" in viber.text
    await web.send(code)
    assert "This code has already been used." in web.text

    await web.send("/link")  # the code screen tells a typed non-code apart
    await web.send("hello")
    assert "That does not look like a code." in web.text


async def test_guesses_are_limited_per_resident(svoi: Svoi, test_clock: clock.SetClock) -> None:
    telegram, viber = _on(svoi, "telegram"), _on(svoi, "viber")
    await telegram.onboard("en")
    await viber.onboard("en")
    code = await _code(telegram)
    for guess in ("AAA444", "CCC777", "DDD999", "EEE333", "FFF666"):
        await viber.send(guess)
        assert "There is no such code." in viber.text
    await viber.send(code)  # even the right code waits now
    assert "Too many failed tries. Try again in 15 minutes." in viber.text
    test_clock.advance(timedelta(minutes=9))
    await viber.send(code)
    assert "Try again in 6 minutes." in viber.text
    test_clock.advance(timedelta(minutes=6))
    await viber.send(code)  # tries may go on, but this code has expired meanwhile
    assert "This code no longer works" in viber.text
    await viber.send(await _code(telegram))
    assert "Done, messengers linked" in viber.text


async def test_unlink_from_either_side(svoi: Svoi, plan: None, db: Database) -> None:
    telegram, viber = await _linked_pair(svoi)
    await viber.send("/start c3")
    await viber.press("Follow progress")

    await viber.send("/link")
    await viber.press("Unlink this chat")
    assert "Unlink this chat (Viber)?" in viber.text
    await viber.press("No")
    assert "Linked messengers: Telegram, Viber." in viber.text
    await viber.press("Unlink this chat")
    await viber.press("Yes")
    assert "Done, this chat is unlinked." in viber.text

    # The profile (the follow) stays with Telegram; Viber starts afresh, in its language.
    await telegram.send("/start c3")
    assert "🔕 Unfollow" in telegram.labels
    await viber.send("/start c3")
    assert "🔔 Follow progress" in viber.labels
    async with db.transaction() as session:
        rows = list((await session.execute(select(ResidentRow))).scalars())
    assert all(r.profile_id is None for r in rows)

    # Linked again, and unlinked from the other side (the holder).
    code = await _code(viber)
    await telegram.send(code)
    await telegram.send("/link")
    await telegram.press("Unlink this chat")
    await telegram.press("Yes")
    assert "Done, this chat is unlinked." in telegram.text
    await viber.send("/start c3")
    assert "🔕 Unfollow" in viber.labels  # the merged profile stayed with Viber
    await telegram.send("/start c3")
    assert "🔔 Follow progress" in telegram.labels


async def test_mydata_shows_and_deleteme_removes_every_linked_channel(
    svoi: Svoi, plan: None, db: Database
) -> None:
    telegram, viber = await _linked_pair(svoi)
    await telegram.send("/start c3")
    await telegram.press("Follow progress")
    before = await _residents(db)

    await telegram.send("/mydata")
    assert "Linked messengers: Telegram, Viber" in telegram.text
    assert "Notifications go to: Telegram" in telegram.text
    assert "Residents' digital skills" in telegram.text

    await viber.send("/deleteme")
    assert "Your messengers are linked: Telegram, Viber." in viber.text
    assert "every linked messenger" in viber.text
    await viber.press("Yes")
    assert "Your data has been deleted." in viber.text
    assert await _residents(db) == before - 2
    async with db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(Follow))).scalar_one() == 0

    await telegram.send("/start")  # a stranger again
    assert "Choose your language" in telegram.text


async def test_deep_links_link_a_new_chat_after_it_picks_a_language(svoi: Svoi) -> None:
    svoi.engine.settings = svoi.engine.settings.model_copy(
        update={
            "telegram": svoi.engine.settings.telegram.model_copy(
                update={"bot_username": "svoi_khm_bot"}
            ),
            "viber": svoi.engine.settings.viber.model_copy(update={"chat_uri": "svoikhm"}),
        }
    )
    web = _on(svoi, "test")
    await web.onboard("en")
    code = await _code(web)
    assert f"Telegram: https://t.me/svoi_khm_bot?start=link-{code}" in web.text
    assert f"Viber: viber://pa?chatURI=svoikhm&context=link-{code}" in web.text
    assert "Open: Telegram" in [b.label for r in web.last for row in r.buttons for b in row]

    telegram = _on(svoi, "telegram")
    await telegram.send(f"/start link-{code}")  # first contact: the language first
    assert "Choose your language" in telegram.text
    await telegram.press_payload("lang:en")
    assert "Done, messengers linked" in telegram.text

    code = await _code(telegram)
    assert "viber://pa?chatURI=svoikhm" in telegram.text and "t.me" not in telegram.text
    viber = _on(svoi, "viber")
    await viber.onboard("en")
    await viber.send(f"/start link-{code}")  # Viber's context=link-… arrives as /start
    assert "Done, messengers linked: " in viber.text
    assert "Telegram" in viber.text and "Viber" in viber.text


async def test_the_city_may_prefer_the_free_messenger_and_a_blocked_one_hands_over(
    svoi: Svoi, plan: None, db: Database, operator: Resident
) -> None:
    svoi.engine.settings = svoi.engine.settings.model_copy(
        update={"linking_prefer_free_channel": True}
    )
    telegram, viber = _on(svoi, "telegram"), _on(svoi, "viber")
    await telegram.onboard("en")
    await viber.onboard("en")
    await viber.send(await _code(telegram))
    # Viber wrote last, yet Telegram (free for the city) gets the notifications.
    assert "Notifications go to: Telegram (the messenger you wrote from last)." in viber.text
    await viber.send("/start c3")
    await viber.press("Follow progress")
    await operator.onboard("en")
    await _publish(operator, "Hubs opened in two more village libraries.")
    rows = await outbox(db, kind="plan-update")
    assert [(r.channel, r.user_id) for r in rows] == [("telegram", telegram.user_id)]

    # The resident blocks the bot in Telegram: the profile moves to Viber, still one follow.
    await telegram.lifecycle(Lifecycle.BLOCKED)
    await _publish(operator, "Courses finished in all six libraries.")
    rows = await outbox(db, kind="plan-update")
    assert [(r.channel, r.user_id) for r in rows] == [("viber", viber.user_id)] * 2
    await viber.send("/start c3")
    assert "🔕 Unfollow" in viber.labels
