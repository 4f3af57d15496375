"""The instant every test starts at (see the `test_clock` fixture in tests/conftest.py)."""

from __future__ import annotations

from datetime import datetime

from storage.clock import CITY_ZONE

# Wednesday 17 June 2026, 11:00 in Kyiv: daytime (outside the default 22:00–08:00 quiet
# hours), a working day, and months away from both DST changes.
TEST_START = datetime(2026, 6, 17, 11, 0, tzinfo=CITY_ZONE)
