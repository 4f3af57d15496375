"""What a channel can show, as data: rendering reads it to degrade a reply gracefully."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChannelCapabilities:
    max_text_length: int
    max_buttons: int
    max_buttons_per_row: int
    max_button_label: int = 64
    inline_buttons: bool = True
    reply_keyboard: bool = False
    link_buttons: bool = True
    location_request: bool = False
    phone_request: bool = False
    can_edit: bool = False
    documents: bool = True


TELEGRAM = ChannelCapabilities(
    max_text_length=4096,
    max_buttons=100,
    max_buttons_per_row=8,
    max_button_label=64,
    inline_buttons=True,
    reply_keyboard=True,
    link_buttons=True,
    location_request=True,
    phone_request=True,
    can_edit=True,
    documents=True,
)
VIBER = ChannelCapabilities(
    max_text_length=7000,
    max_buttons=24,
    max_buttons_per_row=6,
    max_button_label=250,
    inline_buttons=False,
    reply_keyboard=True,
    link_buttons=True,
    location_request=True,
    phone_request=True,
    can_edit=False,
    documents=False,
)
CONSOLE = ChannelCapabilities(
    max_text_length=100_000,
    max_buttons=0,
    max_buttons_per_row=1,
    max_button_label=200,
    inline_buttons=False,
    reply_keyboard=False,
    link_buttons=False,
    location_request=False,
    phone_request=False,
    can_edit=False,
    documents=False,
)
WEB = ChannelCapabilities(
    max_text_length=4096,
    max_buttons=24,
    max_buttons_per_row=3,
    max_button_label=64,
    inline_buttons=True,
    reply_keyboard=False,
    link_buttons=True,
    location_request=True,
    phone_request=True,
    can_edit=False,
    documents=True,
)
TEST = ChannelCapabilities(
    max_text_length=4096,
    max_buttons=12,
    max_buttons_per_row=3,
    max_button_label=64,
    inline_buttons=True,
    reply_keyboard=True,
    link_buttons=True,
    location_request=True,
    phone_request=True,
    can_edit=False,
    documents=True,
)
