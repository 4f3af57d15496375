"""A resident browses the plan, rates a commitment, comments, consents, gets a reference
number, changes the rating later, and reads "my feedback" — on Telegram's and Viber's
capabilities; deep links open a commitment."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Svoi
from storage.db import Database
from storage.models.plan import Feedback
from tests.plan.conftest import plain
from tests.support.conversation import Resident

GREEN_CITY = "План дій «Зелене місто»"


async def test_browse_rate_comment_consent_and_thanks(on_channel: Resident, db: Database) -> None:
    resident = on_channel
    await resident.onboard()
    await resident.press("План і відгуки")
    assert "План дій Хмельницького в Партнерстві «Відкритий Уряд»" in plain(resident.text)
    assert "10 вересня 2021 р. – 31 серпня 2025 р." in plain(resident.text)
    assert "2. План дій «Зелене місто»" in plain(resident.text)
    assert "(приклад)" in resident.text  # statuses not confirmed by a source are labelled

    assert "Період плану завершився" in plain(resident.text)  # the plan ended in August 2025
    assert "Що далі:" in plain(resident.text)

    await resident.press("2. План дій")
    text = plain(resident.text)
    assert "Підсумковий стан: завершено" in text  # the final state, and since when
    assert "Прогрес: ▰▰▰▰▰▰▰▰▰▰ 100%" in text
    assert "Останнє оновлення: 30 червня 2022 р." in text
    assert "⚠️ Опис і цілі — приклад" in text  # example content keeps its label
    await resident.press("Цілі й відповідальні")
    text = plain(resident.text)
    assert "Номер у міжнародній базі планів дій: UAKLY0003" in text
    assert "✅ Відкрито інтерактивний центр" in text and "вул. Марка Кропивницького, 6А" in text
    await resident.press("Назад")
    await resident.press("Оновлення")
    text = plain(resident.text)
    assert "Останні оновлення:" in text and "📅 30 червня 2022 р." in text
    await resident.press("Назад")

    await resident.press("Оцінити")
    assert "1 — погано, 5 — відмінно" in plain(resident.text)
    assert resident.labels[:5] == ["1", "2", "3", "4", "5"]
    await resident.press("4")
    assert "оцінку 4 збережено" in plain(resident.text)
    comment = "  <b>Урн</b> замало & біля «Гуфі» — додайте! 🙏 "
    await resident.send(comment)
    assert "Чи може робоча група звʼязатися з вами" in plain(resident.text)
    await resident.press("Так")
    assert "Номер звернення: C2-" in plain(resident.text)
    assert "Робоча група може звʼязатися з вами" in plain(resident.text)

    async with db.transaction() as session:
        row = (await session.execute(select(Feedback))).scalar_one()
    assert row.comment == comment  # verbatim: no stripping, no escaping in storage
    assert (row.rating, row.consent, row.current, row.reviewed) == (4, True, True, False)
    assert row.reference is not None and row.reference in plain(resident.text)

    await resident.press("Мої відгуки")
    assert f"№ {row.reference}" in plain(resident.text)
    assert f"Ви написали: «{comment}»" in resident.text  # plain text; adapters escape it
    assert "Очікує відповіді робочої групи." in plain(resident.text)


async def test_rating_again_replaces_the_counted_rating(
    svoi: Svoi, plan: None, db: Database
) -> None:
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await resident.send("/start c1")
    assert "1. Quality municipal services" in plain(resident.text)
    await resident.press("Rate")
    await resident.press("2")
    await resident.press("Skip")
    assert "Reference number: C1-" in plain(resident.text)
    assert "The working group may contact you" not in resident.text  # no comment, no consent

    await resident.press("Back to the commitment")
    assert "Your rating: ★★☆☆☆ (2 of 5)" in plain(resident.text)
    await resident.press("Change my rating")
    assert "Your current rating is 2; a new one replaces it." in plain(resident.text)
    await resident.press("5")
    await resident.send("Much better now")
    await resident.press("No")
    assert "We won't share your contact details" in plain(resident.text)

    async with db.transaction() as session:
        rows = list((await session.execute(select(Feedback).order_by(Feedback.id))).scalars())
    assert [(r.rating, r.current, r.consent) for r in rows] == [(2, False, False), (5, True, False)]
    await resident.press("My feedback")
    assert resident.text.count("No. C1-") == 2
    assert "(rating changed later)" in plain(resident.text)
    assert 'You wrote: "Much better now"' in plain(resident.text)


async def test_comment_longer_than_the_limit_is_refused(svoi: Svoi, plan: None) -> None:
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await resident.send("/start c3")
    await resident.press("Rate")
    await resident.press("3")
    await resident.send("x" * 1001)
    assert "too long: 1,001 characters, the limit is 1,000" in plain(resident.text)
    await resident.send("x" * 1000)
    assert "May the working group contact you" in plain(resident.text)


async def test_deep_link_before_onboarding_and_unknown_links(svoi: Svoi, plan: None) -> None:
    resident = Resident.on(svoi.engine)
    await resident.send("/start c2")
    await resident.press("English")
    assert "2. Green City Action Plan" in plain(resident.text)
    assert "Final state: complete" in plain(resident.text)

    await resident.send("/start c9")  # no such commitment
    assert "Welcome back" in plain(resident.text)
    await resident.send("/start c2x")
    assert "Welcome back" in plain(resident.text)


async def test_my_feedback_is_empty_at_first_and_foreign_payloads_are_stale(
    svoi: Svoi, plan: None
) -> None:
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await resident.press("Plan & feedback")
    await resident.press("My feedback")
    assert "You haven't given any feedback yet" in plain(resident.text)
    await resident.press("Back")
    await resident.press_payload("r:5")  # a rating button that is not on this screen
    assert "That menu is out of date" in plain(resident.text)
    await resident.press_payload("c:c99")
    assert "That menu is out of date" in plain(resident.text)


async def test_plan_without_content_says_so(svoi: Svoi) -> None:
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await resident.press("Plan & feedback")
    assert "The action plan has not been loaded yet" in plain(resident.text)
