"""`python -m bot feedback export --format csv|json [--output FILE]`: the working group's
figures for public reports — ratings per commitment (count, average, distribution),
comments with their answers, poll results — with residents' contact details only where
they consented to be contacted."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.commands import opened
from bot.config import Settings
from storage import csvsafe
from storage.db import Database
from storage.repos.plan import PlanRepo, percentages

if TYPE_CHECKING:
    from bot.commands import SubParsers

CSV_COLUMNS = (
    "section",
    "commitment",
    "title",
    "count",
    "average",
    "r1",
    "r2",
    "r3",
    "r4",
    "r5",
    "reference",
    "created_at",
    "rating",
    "current",
    "comment",
    "answer",
    "answered_at",
    "reviewed",
    "contact_channel",
    "contact_user_id",
    "contact_name",
    "poll",
    "poll_state",
    "option",
    "votes",
    "percent",
)


async def feedback_report(db: Database) -> dict[str, Any]:
    async with db.transaction() as session:
        repo = PlanRepo(session)
        ratings = [
            {
                "commitment": s.commitment.code,
                "title": s.commitment.title.get("uk", ""),
                "count": s.count,
                "average": s.average,
                "distribution": {str(r): n for r, n in s.distribution.items()},
            }
            for s in await repo.rating_stats()
        ]
        comments = []
        for feedback, commitment, resident in await repo.comments():
            comments.append(
                {
                    "reference": feedback.reference,
                    "commitment": commitment.code,
                    "created_at": feedback.created_at.isoformat(),
                    "rating": feedback.rating,
                    "current": feedback.current,
                    "comment": feedback.comment,
                    "answer": feedback.answer,
                    "answered_at": feedback.answered_at.isoformat()
                    if feedback.answered_at
                    else None,
                    "reviewed": feedback.reviewed,
                    # Contact details leave the database only with the resident's consent.
                    "contact": {
                        "channel": resident.channel,
                        "user_id": resident.user_id,
                        "name": resident.display_name,
                    }
                    if feedback.consent
                    else None,
                }
            )
        polls = []
        for poll in sorted(await repo.polls(include_drafts=True), key=lambda p: p.id):
            results = await repo.results(poll.id)
            shares = percentages([r.votes for r in results])
            polls.append(
                {
                    "poll": poll.code,
                    "question": poll.question.get("uk", ""),
                    "state": poll.state,
                    "example": poll.example,
                    "total": sum(r.votes for r in results),
                    "options": [
                        {
                            "key": r.option.key,
                            "text": r.option.text.get("uk", ""),
                            "votes": r.votes,
                            "percent": share,
                        }
                        for r, share in zip(results, shares, strict=True)
                    ],
                }
            )
    return {"ratings": ratings, "comments": comments, "polls": polls}


def as_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def as_csv(report: dict[str, Any]) -> str:
    """One table for a spreadsheet: the `section` column says what a row is. Text cells a
    spreadsheet would read as a formula start with `'` (storage/csvsafe.py)."""
    buffer = io.StringIO()
    writer = csvsafe.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="raise")
    writer.writeheader()
    for r in report["ratings"]:
        row: dict[str, Any] = {
            "section": "rating",
            "commitment": r["commitment"],
            "title": r["title"],
            "count": r["count"],
            "average": "" if r["average"] is None else r["average"],
        }
        row.update({f"r{k}": v for k, v in r["distribution"].items()})
        writer.writerow(row)
    for c in report["comments"]:
        contact = c["contact"] or {}
        writer.writerow(
            {
                "section": "comment",
                "commitment": c["commitment"],
                "reference": c["reference"],
                "created_at": c["created_at"],
                "rating": c["rating"],
                "current": c["current"],
                "comment": c["comment"],
                "answer": c["answer"] or "",
                "answered_at": c["answered_at"] or "",
                "reviewed": c["reviewed"],
                "contact_channel": contact.get("channel", ""),
                "contact_user_id": contact.get("user_id", ""),
                "contact_name": contact.get("name") or "",
            }
        )
    for p in report["polls"]:
        for o in p["options"]:
            writer.writerow(
                {
                    "section": "poll",
                    "poll": p["poll"],
                    "poll_state": p["state"],
                    "title": p["question"],
                    "option": o["text"],
                    "votes": o["votes"],
                    "percent": o["percent"],
                    "count": p["total"],
                }
            )
    return buffer.getvalue()


def _export(args: argparse.Namespace, settings: Settings) -> int:
    async def main() -> dict[str, Any]:
        async with opened(settings) as db:
            return await feedback_report(db)

    report = asyncio.run(main())
    text = as_csv(report) if args.format == "csv" else as_json(report)
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"feedback exported to {args.output}", file=sys.stderr)
    return 0


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("feedback", help="plan feedback for the working group")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export", help="ratings, comments and poll results for public reports"
    )
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--output", help="file to write (default: standard output)")
    export.set_defaults(handler=_export)
