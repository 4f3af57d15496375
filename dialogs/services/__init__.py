"""City services: a searchable catalogue of administrative services with information cards.

Steps (see dialogs/services/flow.py): services.start (categories; typing searches) →
services.category (paged list) or services.results (best matches / nothing found) →
services.card (information card; office on the map, online link, site) → services.ask
(a question to the council). Text typed at the main menu searches the catalogue too.

The catalogue comes from content/services.yaml (`ensure_default_catalogue` at start-up) and
is maintained with `python -m bot services import|export` (dialogs/services/catalogue.py).
"""

from bot.core.engine import MenuEntry, Registry
from bot.core.features import Feature
from dialogs.services.catalogue import ensure_default_catalogue
from dialogs.services.flow import SERVICES, search_from_menu

__all__ = ["FEATURE", "ensure_default_catalogue", "register"]


def register(registry: Registry) -> None:
    registry.add_flow(SERVICES)
    registry.add_menu_entry(MenuEntry("menu-services", SERVICES.name, 20))
    registry.text_fallbacks.append(search_from_menu)


FEATURE = Feature("services", register, shipped_content=ensure_default_catalogue)
