"""All models, imported here so that Alembic and the tests see the whole schema."""

from storage.models.base import Base
from storage.models.outbox import OutboxMessage
from storage.models.residents import DialogState, InboundEvent, Resident

__all__ = ["Base", "DialogState", "InboundEvent", "OutboxMessage", "Resident"]
