"""All models. Every module of this package is imported here, so Alembic and the tests see
the whole schema; a feature adds its tables by adding a module."""

import importlib
import pkgutil

from storage.models.base import Base
from storage.models.outbox import OutboxMessage
from storage.models.residents import DialogState, InboundEvent, Resident

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["Base", "DialogState", "InboundEvent", "OutboxMessage", "Resident"]
