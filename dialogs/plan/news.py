"""News & progress: what changed in the action plan lately.

Steps:
  news.start — the latest progress updates of all commitments (paged with More/Previous),
  then the commitments the resident follows with their progress bars
  → a followed commitment opens in the plan flow (plan.commitment); all commitments
  (plan.start); polls (polls.start).
"""

from __future__ import annotations

from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import MenuEntry, Registry
from bot.core.messages import AnyButton, Button
from dialogs.plan.payloads import NewsState, OpenCommitment, PlanState
from dialogs.plan.views import COMMITMENT_CODE, commitment_title, progress_bar, update_line
from storage.repos.plan import PlanRepo

PAGE = 5


async def render_start(turn: Turn) -> None:
    repo = PlanRepo(turn.session)
    page = max(0, turn.load(NewsState).page)
    # One row more than shown tells whether a next page exists.
    updates = await repo.recent_updates(PAGE + 1, offset=page * PAGE)
    has_more = len(updates) > PAGE
    blocks = [turn.t("plan-news-title")]
    if updates:
        blocks.extend(update_line(turn, u, c) for u, c in updates[:PAGE])
    else:
        blocks.append(turn.t("plan-news-empty"))
    followed = await repo.followed(turn.resident.id)
    if followed:
        lines = [turn.t("plan-news-followed")]
        lines.extend(f"{commitment_title(turn, c)}\n{progress_bar(c.progress)}" for c in followed)
        blocks.append("\n".join(lines))
    else:
        blocks.append(turn.t("plan-news-follow-hint"))
    rows: list[list[AnyButton]] = [
        [Button(commitment_title(turn, c), OpenCommitment(c.code).pack())] for c in followed
    ]
    paging: list[AnyButton] = []
    if page > 0:
        paging.append(Button(turn.t("btn-prev"), "prev"))
    if has_more:
        paging.append(Button(turn.t("btn-more"), "more"))
    if paging:
        rows.append(paging)
    rows.append([Button(turn.t("plan-btn-all"), "plan"), Button(turn.t("plan-btn-polls"), "polls")])
    rows.append(turn.nav_row(back=False))
    turn.say("\n\n".join(blocks), rows)


async def on_start(turn: Turn, payload: str) -> None:
    page = max(0, turn.load(NewsState).page)
    opened = OpenCommitment.unpack(payload)
    if opened is not None and COMMITMENT_CODE.match(opened.code):
        await turn.start("plan", "commitment", **PlanState(code=opened.code).to_data())
    elif payload == "more":
        turn.keep(NewsState(page=page + 1))
        await turn.goto("start")
    elif payload == "prev":
        turn.keep(NewsState(page=max(0, page - 1)))
        await turn.goto("start")
    elif payload == "plan":
        await turn.start("plan")
    elif payload == "polls":
        await turn.start("polls")


NEWS_FLOW = Flow("news", {"start": Screen(render_start, on_button=on_start)})


def register(registry: Registry) -> None:
    registry.add_flow(NEWS_FLOW)
    registry.add_menu_entry(MenuEntry("menu-news", NEWS_FLOW.name, 40))
