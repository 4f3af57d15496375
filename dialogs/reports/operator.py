"""Residents' reports, the working group's side in the chat (`/reports`, operators only):
the newest reports (missed collections grouped by zone and day above them), one report with
its place and photo count (the console shows the photos), and a status with a comment —
which reaches the reporter through the outbox. Every handler checks the role when it runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.core import dialog
from bot.core.actions import Refused
from bot.core.dialog import Flow, Screen, Turn
from bot.core.engine import Registry
from bot.core.messages import AnyButton, Button
from bot.core.payloads import Payload
from bot.core.state import FlowState
from bot.core.widgets import inbox_list
from dialogs.reports import service

FLOW = "reports_operator"
LIST_SIZE = 8
NO_COMMENT = "no-comment"

operator_only = dialog.operator_only("reports", FLOW)


@dataclass(frozen=True, slots=True)
class OpenReport(Payload, prefix="ro"):
    id: int


@dataclass(frozen=True, slots=True)
class SetStatus(Payload, prefix="rs"):
    status: str


@dataclass
class OperatorState(FlowState):
    report_id: int | None = None
    status: str = ""


def _when(turn: Turn, report: service.ReportView) -> str:
    local = report.created_at.astimezone(turn.engine.i18n.zone)
    return f"{turn.t.date(local.date(), 'short')} {local:%H:%M}"


@operator_only
async def render_list(turn: Turn) -> None:
    reports = await service.list_reports(turn.session, limit=LIST_SIZE)
    today = turn.now.astimezone(turn.engine.i18n.zone).date()
    groups = await service.missed_collection_groups(turn.session, since=today - timedelta(days=1))
    for group in groups[:3]:
        turn.say(
            turn.t(
                "reports-op-missed",
                zone=group.zone_name or turn.t("reports-op-no-zone"),
                date=turn.t.date(group.day, "short"),
                count=group.count,
            )
        )

    def button(report: service.ReportView) -> Button:
        label = (
            f"№\u00a0{report.reference} · {service.category_label(report.category, turn.locale)}"
        )
        return Button(label[:60], OpenReport(report.id).pack())

    waiting = len([r for r in reports if r.status is service.Status.RECEIVED])
    inbox_list(
        turn, reports, button, title="reports-op-title", empty="reports-op-empty", waiting=waiting
    )


@operator_only
async def on_list(turn: Turn, payload: str) -> None:
    if (opened := OpenReport.unpack(payload)) is not None:
        turn.keep(OperatorState(report_id=opened.id))
        await turn.goto("item")


@operator_only
async def render_item(turn: Turn) -> None:
    report_id = turn.load(OperatorState).report_id
    report = await service.get_report(turn.session, report_id) if report_id else None
    if report is None:
        turn.say(turn.t("reports-op-not-found"))
        await turn.goto("start")
        return
    place = report.address or (
        f"{report.latitude:.5f}, {report.longitude:.5f}"
        if report.latitude is not None and report.longitude is not None
        else turn.t("reports-place-none")
    )
    text = turn.t(
        "reports-op-item",
        reference=report.reference,
        when=_when(turn, report),
        category=service.category_label(report.category, turn.locale),
        place=place,
        photos=len(report.photo_keys),
        description=report.description or turn.t("reports-no-description"),
        status=report.status.value,
    )
    rows: list[list[AnyButton]] = [
        [Button(turn.t("reports-op-set", status=status.value), SetStatus(status.value).pack())]
        for status in service.Status
        if status is not report.status and status is not service.Status.RECEIVED
    ]
    rows.append(turn.nav_row())
    turn.say(text, rows)


@operator_only
async def on_item(turn: Turn, payload: str) -> None:
    chosen = SetStatus.unpack(payload)
    if chosen is None or chosen.status not in {s.value for s in service.Status}:
        return
    state = turn.load(OperatorState)
    state.status = chosen.status
    turn.keep(state)
    await turn.goto("comment")


@operator_only
async def render_comment(turn: Turn) -> None:
    turn.say(
        turn.t("reports-op-comment", limit=service.COMMENT_LIMIT),
        [[Button(turn.t("reports-op-btn-no-comment"), NO_COMMENT)], turn.nav_row()],
    )


async def _settle(turn: Turn, comment: str) -> None:
    state = turn.load(OperatorState)
    if state.report_id is None or state.status not in {s.value for s in service.Status}:
        await turn.goto("start")
        return
    try:
        report = await service.set_status(
            turn.session,
            turn.acting,
            state.report_id,
            service.Status(state.status),
            comment,
            turn.now,
        )
    except Refused as refused:
        turn.say(turn.t(refused.key, **refused.args_))
        await turn.goto("item")
        return
    turn.say(turn.t("reports-op-done", reference=report.reference, status=report.status.value))
    await turn.goto("start")


@operator_only
async def on_comment_text(turn: Turn, text: str) -> None:
    await _settle(turn, text)


@operator_only
async def on_comment_button(turn: Turn, payload: str) -> None:
    if payload == NO_COMMENT:
        await _settle(turn, "")


async def reports_command(turn: Turn, _args: str) -> None:
    if not turn.is_operator:
        await dialog.refuse(turn, "reports", "/reports")
        return
    await turn.start(FLOW)


OPERATOR_FLOW = Flow(
    FLOW,
    {
        "start": Screen(render_list, on_button=on_list),
        "item": Screen(render_item, on_button=on_item, back="start"),
        "comment": Screen(
            render_comment,
            on_text=on_comment_text,
            on_button=on_comment_button,
            text_limit=service.COMMENT_LIMIT,
            back="item",
        ),
    },
    operator_only=True,
)


def register(registry: Registry) -> None:
    registry.add_flow(OPERATOR_FLOW)
    registry.add_interrupt("reports", reports_command)
