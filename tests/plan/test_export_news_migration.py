"""The working group's export (ratings, comments, polls; contacts only with consent),
News & progress paging, and the plan migration up and down on both databases."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot.app import Svoi
from bot.commands.feedback import as_csv, as_json, feedback_report
from storage import migrate
from storage.db import Database
from tests.support.conversation import Resident

PLAN_TABLES = {
    "plan_documents",
    "plan_commitments",
    "plan_milestones",
    "plan_updates",
    "plan_feedback",
    "plan_follows",
    "plan_polls",
    "plan_poll_options",
    "plan_votes",
}


async def _feedback(svoi: Svoi, code: str, rating: int, comment: str | None, consent: bool) -> str:
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await resident.send(f"/start {code}")
    await resident.press("Rate")
    await resident.press(str(rating))
    if comment is None:
        await resident.press("Skip")
    else:
        await resident.send(comment)
        await resident.press("Yes" if consent else "No")
    return resident.user_id


async def test_feedback_export_counts_current_ratings_and_hides_contacts_without_consent(
    svoi: Svoi, plan: None, db: Database
) -> None:
    consenting = await _feedback(svoi, "c2", 5, "Great centre", consent=True)
    private = await _feedback(svoi, "c2", 2, 'Too far, "really"; sorry', consent=False)
    await _feedback(svoi, "c2", 4, None, consent=False)
    changer = Resident.on(svoi.engine)  # rates 1, then 3: only the 3 counts
    await changer.onboard("en")
    for rating in ("1", "3"):
        await changer.send("/start c1")
        await changer.press("rate")
        await changer.press(rating)
        await changer.press("Skip")
    voter = Resident.on(svoi.engine)
    await voter.onboard("en")
    await voter.send("/start p1")
    await voter.press("All equally")

    report = await feedback_report(db)
    by_code = {r["commitment"]: r for r in report["ratings"]}
    assert by_code["c2"]["count"] == 3 and by_code["c2"]["average"] == 3.67
    assert by_code["c2"]["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert by_code["c1"]["count"] == 1 and by_code["c1"]["average"] == 3.0
    assert by_code["c3"]["count"] == 0 and by_code["c3"]["average"] is None
    comments = {c["comment"]: c for c in report["comments"]}
    assert comments["Great centre"]["contact"] == {
        "channel": "test",
        "user_id": consenting,
        "name": None,
    }
    assert comments['Too far, "really"; sorry']["contact"] is None
    [poll] = report["polls"]
    assert poll["total"] == 1
    assert [(o["key"], o["votes"], o["percent"]) for o in poll["options"]][-1] == ("all", 1, 100)

    data = json.loads(as_json(report))
    assert private not in json.dumps(data)
    rows = list(csv.DictReader(io.StringIO(as_csv(report))))
    assert [r["section"] for r in rows] == ["rating"] * 3 + ["comment"] * 2 + ["poll"] * 4
    private_row = next(r for r in rows if r["comment"] == 'Too far, "really"; sorry')
    assert private_row["contact_user_id"] == "" and private_row["rating"] == "2"
    assert private not in as_csv(report)
    assert next(r for r in rows if r["comment"] == "Great centre")["contact_user_id"] == consenting


async def test_news_pages_through_the_timeline(svoi: Svoi, plan: None) -> None:
    resident = Resident.on(svoi.engine)
    await resident.onboard("en")
    await resident.press("News & progress")
    assert resident.text.startswith("📰 News & progress of the action plan")
    assert resident.text.count("📅") == 5
    assert "Open a commitment and press" in resident.text
    await resident.press("More")
    assert resident.text.count("📅") == 2  # seven updates ship with the plan
    assert "More ▶️" not in resident.labels
    await resident.press("Previous")
    assert resident.text.count("📅") == 5
    await resident.press("All commitments")
    assert "The plan's commitments" in resident.text


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_plan_migration_down_and_up(db: Database) -> None:
    async with db.engine.connect() as conn:
        assert await conn.run_sync(_tables) >= PLAN_TABLES
    try:
        await migrate.downgrade(db, "plan_0003@-3")  # the plan branch, down to its root
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(_tables)
        assert not tables & PLAN_TABLES
        assert {"residents", "outbox"} <= tables  # other features keep their tables
        assert not {"plan_0001", "plan_0002", "plan_0003"} & await migrate.current_revisions(db)
    finally:
        await migrate.upgrade(db)
    assert await migrate.at_head(db)
    async with db.engine.connect() as conn:
        assert await conn.run_sync(_tables) >= PLAN_TABLES
