"""Feature subcommands of `python -m bot` (content, services, waste, broadcast, roles, ...).

Each module here defines `register(subparsers)`, adding its parser with
`set_defaults(handler=fn)` where `fn(args, settings) -> int` is the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    SubParsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def register_all(subparsers: SubParsers) -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        hook = getattr(module, "register", None)
        if callable(hook):
            hook(subparsers)
