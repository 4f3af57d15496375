"""Queries over residents' conversations with the working group (storage/models/handoff.py).
The rules (who may take, reply, close) are dialogs/handoff/service.py's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.handoff import (
    HANDOFF_WAITING,
    OPEN_STATUSES,
    HandoffConversation,
    HandoffMessage,
)


class HandoffRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, conversation_id: int) -> HandoffConversation | None:
        return await self.session.get(HandoffConversation, conversation_id)

    async def open_for(self, resident_id: int) -> HandoffConversation | None:
        """The resident's open conversation (at most one: the service opens one at a time)."""
        rows = await self.session.execute(
            select(HandoffConversation)
            .where(
                HandoffConversation.resident_id == resident_id,
                HandoffConversation.status.in_(OPEN_STATUSES),
            )
            .order_by(HandoffConversation.id.desc())
            .limit(1)
        )
        return rows.scalars().first()

    async def queue(
        self, *, open_only: bool = True, limit: int = 50
    ) -> Sequence[HandoffConversation]:
        """Open conversations, the waiting ones first and the longest waiting first; or every
        conversation, newest first."""
        query = select(HandoffConversation)
        if open_only:
            waiting_first = case((HandoffConversation.status == HANDOFF_WAITING, 0), else_=1)
            query = query.where(HandoffConversation.status.in_(OPEN_STATUSES)).order_by(
                waiting_first, HandoffConversation.opened_at, HandoffConversation.id
            )
        else:
            query = query.order_by(HandoffConversation.id.desc())
        return (await self.session.execute(query.limit(limit))).scalars().all()

    async def count(self, status: str = HANDOFF_WAITING) -> int:
        result = await self.session.execute(
            select(func.count()).where(HandoffConversation.status == status)
        )
        return int(result.scalar() or 0)

    async def ahead_of(self, conversation: HandoffConversation) -> int:
        """How many waiting conversations were opened before this one."""
        result = await self.session.execute(
            select(func.count()).where(
                HandoffConversation.status == HANDOFF_WAITING,
                HandoffConversation.id < conversation.id,
            )
        )
        return int(result.scalar() or 0)

    async def set_status(
        self, conversation_id: int, expected: Sequence[str], **values: object
    ) -> bool:
        """Change a conversation only if its status is one of `expected` (the first of two
        concurrent actions wins); True when it changed."""
        result = await self.session.execute(
            update(HandoffConversation)
            .where(
                HandoffConversation.id == conversation_id,
                HandoffConversation.status.in_(expected),
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def add_message(
        self,
        conversation: HandoffConversation,
        author: str,
        text: str,
        now: datetime,
        *,
        operator: str | None = None,
        role: str | None = None,
    ) -> HandoffMessage:
        message = HandoffMessage(
            conversation_id=conversation.id,
            resident_id=conversation.resident_id,
            author=author,
            operator=operator,
            role=role,
            text=text,
            created_at=now,
        )
        self.session.add(message)
        conversation.last_message_at = now
        return message

    async def messages(
        self, conversation_id: int, *, after: int = 0, limit: int = 200
    ) -> Sequence[HandoffMessage]:
        """The transcript in order; `after` a message id for the ones that came since."""
        rows = await self.session.execute(
            select(HandoffMessage)
            .where(HandoffMessage.conversation_id == conversation_id, HandoffMessage.id > after)
            .order_by(HandoffMessage.id)
            .limit(limit)
        )
        return rows.scalars().all()

    async def latest_messages(self, conversation_id: int, limit: int) -> list[HandoffMessage]:
        rows = await self.session.execute(
            select(HandoffMessage)
            .where(HandoffMessage.conversation_id == conversation_id)
            .order_by(HandoffMessage.id.desc())
            .limit(limit)
        )
        return list(reversed(rows.scalars().all()))

    async def count_messages(self, conversation_id: int, author: str) -> int:
        result = await self.session.execute(
            select(func.count()).where(
                HandoffMessage.conversation_id == conversation_id,
                HandoffMessage.author == author,
            )
        )
        return int(result.scalar() or 0)
