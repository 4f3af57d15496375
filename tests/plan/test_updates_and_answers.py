"""The loop closes: a resident follows a commitment, the working group publishes an update
and the follower's outbox row says so (with an unfollow button that works); the working
group answers a comment and the resident's outbox row says "you said, we did"."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Svoi
from bot.core.capabilities import VIBER
from storage.db import Database
from storage.models.plan import Commitment, Feedback, ProgressUpdate
from tests.plan.conftest import outbox, plain, show
from tests.support.conversation import Resident


async def _publish(operator: Resident, code: str, status: str, percent: str, text: str) -> None:
    await operator.send("/operator")
    await operator.press("Publish an update")
    await operator.press(f"pc:{code}")
    await operator.press(status)
    await operator.send(percent)
    await operator.send(text)
    await operator.press("Publish")


async def test_follower_gets_the_published_update_through_the_outbox(
    svoi: Svoi, plan: None, db: Database, operator: Resident
) -> None:
    follower = Resident.on(svoi.engine, language="uk")
    await follower.onboard("uk")
    await follower.send("/start c3")
    await follower.press("Стежити за прогресом")
    assert "надсилатимемо вам оновлення зобовʼязання 3" in follower.text
    assert "🔕 Не стежити" in follower.labels

    english = Resident.on(svoi.engine)
    await english.onboard("en")
    await english.send("/start c3")
    await english.press("Follow progress")
    bystander = Resident.on(svoi.engine)  # follows nothing: gets nothing
    await bystander.onboard("en")

    await operator.onboard("en")
    await operator.send("/operator")
    await operator.press("Publish an update")
    await operator.press("3. Residents' digital skills")
    assert "New progress status:" in operator.text
    await operator.press("complete")
    await operator.send("150")
    assert "A whole number from 0 to 100" in operator.text
    await operator.send("100 %")
    text = "Усі 6 сільських бібліотек мають хаби; курси <цифрової> грамотності завершено."
    await operator.send(text)
    assert "Check the update:" in operator.text
    assert "Status: complete" in operator.text and "▰▰▰▰▰▰▰▰▰▰ 100%" in operator.text
    assert "Followers to notify: 2." in operator.text
    await operator.press("Publish")
    assert "The update is published. Notifications queued: 2." in operator.text

    async with db.transaction() as session:
        commitment = (
            await session.execute(select(Commitment).where(Commitment.code == "c3"))
        ).scalar_one()
        update = (
            await session.execute(select(ProgressUpdate).where(ProgressUpdate.author.is_not(None)))
        ).scalar_one()
    # The state is the working group's now; the example description and goals keep their label.
    assert (commitment.status, commitment.progress, commitment.example) == ("complete", 100, True)
    assert update.text == {"uk": text, "en": text} and update.author == "test:operator-1"

    rows = await outbox(db, kind="plan-update")
    assert sorted(r.user_id for r in rows) == sorted([follower.user_id, english.user_id])
    row = next(r for r in rows if r.user_id == follower.user_id)
    assert row.dedup_key == f"plan-update:{update.id}:{row.resident_id}"
    assert row.category == "plan:c3" and row.channel == "test"
    shown = show(svoi.i18n, row, "uk")
    assert shown.text == (
        "📢 Оновлення зобовʼязання 3 плану дій\nСтатус: завершено · прогрес 100%\n\n" + text
    )
    assert shown.buttons == [("🔕 Не стежити", "g:unfollow:c3")]
    english_row = next(r for r in rows if r.user_id == english.user_id)
    assert show(svoi.i18n, english_row, "en").text.startswith(
        "📢 Update on commitment 3 of the action plan\nStatus: complete · progress 100%"
    )

    # The follower reads News & progress, then presses the button on the notification.
    await follower.send("/menu")
    await follower.press("Новини і прогрес")
    assert plain(follower.text).startswith("📰 Новини і прогрес плану дій")
    assert "зобовʼязання 3 · завершено, 100%\n" + text in follower.text
    assert "Зобовʼязання, за якими ви стежите:" in follower.text
    await follower.press_payload("g:unfollow:c3")
    assert "Ви більше не стежите за зобовʼязанням 3." in follower.text
    assert "Відкрийте зобовʼязання й натисніть «Стежити за прогресом»" in follower.text

    await _publish(operator, "c3", "Keep", "100", "Ще одне оновлення")
    assert "Notifications queued: 1." in operator.text  # only the English follower now
    assert len(await outbox(db, user_id=follower.user_id)) == 1


async def test_unfollow_action_checks_its_argument(svoi: Svoi, plan: None) -> None:
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    for forged in ("g:unfollow:c99", "g:unfollow:../../x", "g:unfollow:"):
        await resident.press_payload(forged)
        assert "We couldn't find that" in resident.text
        assert "Main menu" in resident.text


async def test_operator_answers_a_comment_and_the_resident_receives_it(
    svoi: Svoi, plan: None, db: Database, operator: Resident
) -> None:
    resident = Resident.on(svoi.engine, channel="viber", caps=VIBER)
    await resident.onboard("uk")
    await resident.send("/start c2")
    await resident.press("Оцінити")
    await resident.press("3")
    await resident.send("Де сортувальні контейнери на Заріччі?")
    await resident.press("Ні")
    quiet = Resident.on(svoi.engine)  # a rating without a comment: nothing to answer
    await quiet.onboard("uk")
    await quiet.send("/start c2")
    await quiet.press("Оцінити")
    await quiet.press("5")
    await quiet.press("Пропустити")
    async with db.transaction() as session:
        feedback = (
            await session.execute(select(Feedback).where(Feedback.comment.is_not(None)))
        ).scalar_one()

    await operator.onboard("en")
    await operator.send("/operator")
    await operator.press("Feedback")
    assert operator.labels[4].startswith(f"❗ {feedback.reference} ★★★☆☆ 💬")  # unanswered first
    assert operator.labels[5].startswith("• C2-") and "💬" not in operator.labels[5]
    await operator.press(feedback.reference or "")
    assert 'Comment: "Де сортувальні контейнери на Заріччі?"' in operator.text
    assert "No consent to contact." in operator.text and "viber:" not in operator.text
    await operator.press("Answer")
    answer = "Контейнери встановимо до 1 червня: вул. Трудова, 5."
    await operator.send(answer)
    assert "The answer is saved and queued for sending." in operator.text
    assert f"Answer: {answer}" in operator.text and "Reviewed." in operator.text
    assert "✍️ Answer" not in operator.labels

    [row] = await outbox(db, kind="plan-answer")
    assert (row.channel, row.user_id) == ("viber", resident.user_id)  # the chat they wrote in
    assert row.dedup_key == f"plan-answer:{feedback.id}"
    assert show(svoi.i18n, row, "uk").text == (
        f"💬 Відповідь робочої групи на ваш відгук №\xa0{feedback.reference} (зобовʼязання 2)\n\n"
        "Ви написали: «Де сортувальні контейнери на Заріччі?»\n\n"
        f"Відповідь: {answer}"
    )

    await resident.send("/start c2")
    await resident.press("Назад")
    await resident.press("Мої відгуки")
    assert f"Відповідь робочої групи: {answer}" in resident.text


async def test_inbox_filter_review_and_contact_only_with_consent(
    svoi: Svoi, plan: None, operator: Resident
) -> None:
    for code, consent in (("c1", "Так"), ("c2", "Ні")):
        resident = Resident.on(svoi.engine)
        await resident.onboard("uk")
        await resident.send(f"/start {code}")
        await resident.press("Оцінити")
        await resident.press("4")
        await resident.send(f"Коментар до {code}")
        await resident.press(consent)

    await operator.onboard("en")
    await operator.send("/operator")
    await operator.press("Feedback")
    assert sum("C1-" in label or "C2-" in label for label in operator.labels) == 2
    await operator.press("f:c1")
    assert "filter: 1. Quality municipal services" in operator.text
    assert [label for label in operator.labels if "C2-" in label] == []
    await operator.press("C1-")
    assert "Consent to contact: yes — test:" in operator.text
    await operator.press("Mark reviewed")
    assert "Marked as reviewed." in operator.text and "Reviewed." in operator.text
    await operator.press("Back")
    await operator.press("f:c2")
    await operator.press("C2-")
    assert "No consent to contact." in operator.text
    await operator.press("Back")
    await operator.press("f:all")
    assert "filter: -" in operator.text
