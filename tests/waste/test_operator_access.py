"""Only the working group changes a collection day: the operator screens are a flow the
engine keeps everyone else out of, and the one service behind the chat, the console and the
CLI refuses a non-operator itself and audits the attempt."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from bot.app import Svoi
from bot.core.actions import Actor, Refused
from dialogs.waste.service import change_collection
from storage import clock
from storage.db import Database
from storage.models.access import AuditEntry
from storage.models.waste import CollectionException
from storage.repos.residents import ResidentRepo
from tests.conftest import OPERATOR
from tests.support.conversation import Resident
from tests.waste.support import load_content


async def _exceptions(db: Database) -> int:
    async with db.transaction() as session:
        return int(
            (
                await session.execute(select(func.count()).select_from(CollectionException))
            ).scalar_one()
        )


async def test_an_operator_goes_back_from_the_schedule_change_to_the_waste_section(
    svoi: Svoi, db: Database
) -> None:
    await load_content(db)
    operator = Resident.on(svoi.engine, user_id=OPERATOR[1])
    await operator.onboard()
    await operator.send("/waste")
    await operator.press("Змінити графік")
    assert operator.text.startswith("Зміна графіка. Оберіть зону вивезення:")
    await operator.press("Назад")
    assert operator.text.startswith("♻️ Вивезення відходів.")
    await operator.press("Змінити графік")
    await operator.press("Південно-Західний")
    await operator.press("Змішані відходи")
    await operator.send("тридцяте лютого")
    assert operator.text.startswith("Не вдалося прочитати дату.")


async def test_a_forged_state_inside_the_operator_screens_is_refused(
    svoi: Svoi, db: Database
) -> None:
    await load_content(db)
    before = await _exceptions(db)
    intruder = Resident.on(svoi.engine)
    await intruder.onboard()
    async with db.transaction() as session:
        row, _ = await ResidentRepo(session).upsert_for_turn(
            intruder.channel, intruder.user_id, locale="uk"
        )
        state = await ResidentRepo(session).state(row)
        state.flow, state.step = "waste_ops", "confirm"
        state.data = {"zone": 1, "waste_type": "mixed", "day": "2026-06-18", "reason": "x"}
        state.offered = ["confirm"]
    await intruder.press_payload("confirm")
    assert "Цей розділ доступний лише робочій групі." in intruder.text
    assert await _exceptions(db) == before


@pytest.mark.parametrize("role", [None, "viewer"])
async def test_the_service_refuses_a_non_operator_and_audits_it(
    svoi: Svoi, db: Database, role: str | None
) -> None:
    await load_content(db)
    before = await _exceptions(db)
    async with db.transaction() as session:
        with pytest.raises(Refused) as refused:
            await change_collection(
                session,
                svoi.i18n,
                zone_code="pivdenno-zakhidnyi",
                waste_type="mixed",
                original=date(2026, 6, 18),
                moved_to=None,
                reason_uk="Ремонт",
                reason_en="",
                actor=Actor("telegram:42", role),
                now=clock.now(),
            )
    assert refused.value.key == "operator-only"
    assert await _exceptions(db) == before
    async with db.transaction() as session:
        entry = (
            await session.execute(select(AuditEntry).where(AuditEntry.action == "waste-exception"))
        ).scalar_one()
    assert (entry.actor, entry.outcome) == ("telegram:42", "refused")


async def test_every_operator_handler_checks_the_role_itself(svoi: Svoi, db: Database) -> None:
    from bot.core.dialog import Turn
    from bot.core.messages import Address, Incoming
    from dialogs.waste.operator import WASTE_OPS_FLOW

    await load_content(db)
    before = await _exceptions(db)
    data = {"zone": 1, "waste_type": "mixed", "day": "2026-06-18", "reason": "x"}
    calls = 0
    for name, screen in WASTE_OPS_FLOW.screens.items():
        handlers: list[tuple[str, str]] = [("render", "")]
        if screen.on_button is not None:
            handlers += [("button", p) for p in ("confirm", "move", "cancel", "waste")]
        if screen.on_text is not None:
            handlers.append(("text", "18.06.2026"))
        for kind, arg in handlers:
            async with db.transaction() as session:
                row, _ = await ResidentRepo(session).upsert_for_turn(
                    "test", "intruder", locale="uk"
                )
                state = await ResidentRepo(session).state(row)
                state.flow, state.step, state.data = "waste_ops", name, dict(data)
                incoming = Incoming.text_message(Address("test", "intruder"), arg)
                turn = Turn(svoi.engine, incoming, row, state, session, clock.now(), "forged")
                if kind == "render":
                    await screen.render(turn)
                elif kind == "button":
                    assert screen.on_button is not None
                    await screen.on_button(turn, arg)
                else:
                    assert screen.on_text is not None
                    await screen.on_text(turn, arg)
                assert turn.replies[0].text == "Цей розділ доступний лише робочій групі.", name
                calls += 1
    assert calls >= 15
    assert await _exceptions(db) == before
