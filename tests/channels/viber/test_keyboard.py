"""The 6-column grid: widths and heights from the number of buttons and their labels, and
every keyboard the layout makes passes the fake Viber API's checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.viber.messages import (
    API_REQUESTS,
    API_SILENT,
    layout,
    message_dicts,
    reply_keyboard,
    welcome_message,
)
from bot.core.messages import Button, LinkButton, Reply, Request, RequestButton
from tests.fakes.viber_api import check_message


def _grid(labels: list[list[str]]) -> list[tuple[int, int]]:
    keyboard = layout([[Button(label, f"p{i}") for i, label in enumerate(row)] for row in labels])
    return [(b["Columns"], b["Rows"]) for b in keyboard.buttons]


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["Так"], [(6, 1)]),
        (["Українська", "English"], [(3, 1), (3, 1)]),
        (["1", "2", "3"], [(2, 1)] * 3),
        (["1", "2", "3", "4"], [(3, 1)] * 4),  # two lines of two, not 2+2+1+1
        (["1", "2", "3", "4", "5"], [(2, 1)] * 3 + [(3, 1)] * 2),
        (["1", "2", "3", "4", "5", "6"], [(1, 1)] * 6),
        # Labels too long for a third of the row: one line each of two, then one a line.
        (["Гречани та Заріччя", "Дубове", "Центр"], [(3, 1), (3, 1), (6, 1)]),
        (["Адміністративні послуги ЦНАП", "Вивезення гілля"], [(6, 1), (6, 1)]),
    ],
)
def test_rows_share_the_six_columns_equally(
    labels: list[str], expected: list[tuple[int, int]]
) -> None:
    assert _grid([labels]) == expected


def test_a_label_longer_than_one_line_takes_two_rows() -> None:
    long = "Переглянути всі зобов'язання плану відкритого урядування"
    assert _grid([[long], ["Назад", "Меню"]]) == [(6, 2), (3, 1), (3, 1)]


def test_requests_come_first_and_need_api_level_3() -> None:
    reply = Reply(
        "Де ви?",
        buttons=[[Button("◀️ Назад", "back")]],
        requests=[
            RequestButton("📍 Геолокація", Request.LOCATION),
            RequestButton("📞 Номер телефону", Request.PHONE),
        ],
    )
    keyboard = reply_keyboard(reply)
    assert keyboard is not None
    assert [b["ActionType"] for b in keyboard.buttons] == [
        "location-picker",
        "share-phone",
        "reply",
    ]
    assert keyboard.min_api_version == API_SILENT
    only_requests = reply_keyboard(Reply("?", requests=[RequestButton("📍", Request.LOCATION)]))
    assert only_requests is not None and only_requests.min_api_version == API_REQUESTS
    links = reply_keyboard(Reply("?", buttons=[[LinkButton("Сайт", "https://khm.gov.ua")]]))
    assert links is not None and links.min_api_version == 1


def test_the_welcome_joins_what_fits_in_one_message() -> None:
    replies = [Reply("Вітаємо!"), Reply("x" * 6995), Reply("Меню", buttons=[[Button("A", "a")]])]
    message, dropped = welcome_message(replies, reply_keyboard(replies[-1]))
    assert message is not None
    assert message["text"] == "Вітаємо!"
    assert dropped == 2
    message, dropped = welcome_message(replies[::2], reply_keyboard(replies[-1]))
    assert message is not None and message["text"] == "Вітаємо!\n\nМеню" and dropped == 0


labels = st.text(min_size=1, max_size=300).filter(lambda s: s.strip() != "")
rows = st.lists(st.lists(labels, min_size=1, max_size=6), min_size=1, max_size=6)


@given(rows)
def test_any_keyboard_is_valid_for_viber_and_fills_whole_lines(label_rows: list[list[str]]) -> None:
    reply = Reply(
        "Оберіть:",
        buttons=[[Button(label, f"p{i}") for i, label in enumerate(row)] for row in label_rows],
    )
    keyboard = reply_keyboard(reply)
    assert keyboard is not None
    [message] = message_dicts(reply, keyboard)
    assert check_message(message | {"sender": {"name": "Свої"}}) is None
    # Buttons fill the grid line by line: a line is always exactly 6 columns wide.
    used = 0
    for button in keyboard.buttons:
        used += button["Columns"]
        assert used <= 6
        used %= 6
    assert used == 0
