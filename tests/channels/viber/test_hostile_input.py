"""Input Viber does not send, sent anyway: a signature header that is not UTF-8, signed JSON
nested too deeply to parse or not in UTF-8, user ids no Viber account has, and names full of
NUL, control characters and lone surrogates. Each gets a 4xx, an acknowledgement with no
effect, or is cleaned; none is a 500, and none leaves a resident whose every turn fails
(PostgreSQL refuses NUL in text, and longer values than its columns)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import InboundEvent, Resident
from storage.models.viber import ViberMessageStatus
from tests.channels.raw_http import deeply_nested, post_webhook
from tests.channels.viber.client import Posted, ViberResident, ViberService
from tests.fakes.viber_api import Callbacks, encode, sign

HEADER = "X-Viber-Content-Signature"


async def _rows(service: ViberService, model: type[Any]) -> list[Any]:
    async with service.svoi.db.transaction() as session:
        return list((await session.execute(select(model))).scalars())


async def _raw_post(service: ViberService, body: bytes, signature: bytes) -> int:
    return await post_webhook(service.server, "/webhook/viber", HEADER, signature, body)


async def _post_ascii(service: ViberService, callback: dict[str, Any]) -> Posted:
    """Signed and `\\u`-escaped, as a JSON library writes a lone surrogate."""
    body = json.dumps(callback).encode("ascii")
    return await service.post_raw(body, sign(body, service.token))


@pytest.mark.parametrize(
    "signature",
    [b"\xff\xfe", b"\xc3\x28" * 32, b"\xd1\x97" * 32, b"sha\x80"],
    ids=["invalid-utf8", "broken-sequences", "cyrillic", "latin-1"],
)
async def test_a_signature_header_that_is_not_hex_ascii_is_refused_with_403(
    viber: ViberService, signature: bytes
) -> None:
    body = encode(Callbacks("header==").text("/start"))
    assert await _raw_post(viber, body, signature) == 403
    assert await _rows(viber, InboundEvent) == []


async def test_the_right_signature_sent_as_raw_bytes_still_gets_in(viber: ViberService) -> None:
    body = encode(Callbacks("header==").text("/start"))
    assert await _raw_post(viber, body, sign(body).encode()) == 200
    assert len(await _rows(viber, InboundEvent)) == 1


@pytest.mark.parametrize(
    "body",
    [
        deeply_nested(),
        b'{"event": "message", "message": ' + deeply_nested(50_000) + b"}",
        json.dumps({"event": "message", "sender": {"id": "utf16=="}}).encode("utf-16-le"),
        json.dumps({"event": "message", "sender": {"id": "utf32=="}}).encode("utf-32"),
    ],
    ids=["nested-array", "nested-inside-a-callback", "utf-16", "utf-32"],
)
async def test_a_signed_body_nested_too_deeply_or_not_utf8_is_a_bad_request(
    viber: ViberService, body: bytes
) -> None:
    assert await _raw_post(viber, body, sign(body).encode()) == 400
    assert await _rows(viber, InboundEvent) == []


async def test_a_utf16_text_message_is_refused_before_it_reaches_the_inbox(
    viber: ViberService,
) -> None:
    body = json.dumps(Callbacks("utf16==").text("/start")).encode("utf-16-le")
    assert (await viber.post_raw(body, sign(body))).status == 400
    assert await _rows(viber, InboundEvent) == []
    assert await _rows(viber, Resident) == []


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Оле\x00на", "Олена"),
        ("\x00\x00", None),
        ("Олена\x1b[2J\x07 \u009bКоваль", "Олена[2J Коваль"),
        ("Олена\ud800 Коваль\udfff", "Олена Коваль"),
        ("Олена\n\nКоваль", "Олена Коваль"),
    ],
    ids=["nul-inside", "only-nul", "control-characters", "lone-surrogates", "line-breaks"],
)
async def test_a_name_with_nul_and_control_characters_is_cleaned_and_every_turn_works(
    viber: ViberService, name: str, shown: str | None
) -> None:
    user = Callbacks("named==", name=name, language="en")
    welcome = await _post_ascii(viber, user.conversation_started())
    assert welcome.status == 200 and "Choose your language" in welcome.json["text"]
    for text in ("svoi:b:lang:en", "/settings", "Трудова 5"):
        assert (await _post_ascii(viber, user.text(text))).status == 200
    shown_texts = [call.text for call in viber.fake.sent_to("named==")]
    assert "we'll talk in English" in shown_texts[0]
    assert not any("Sorry, something went wrong" in text for text in shown_texts)
    assert any("Settings. Language: English." in text for text in shown_texts)
    [resident] = await _rows(viber, Resident)
    assert resident.display_name == shown
    assert [event.status for event in await _rows(viber, InboundEvent)] == ["done"] * 4


@pytest.mark.parametrize(
    "user_id",
    ["A" * 129, "ab\x00cd==", "ab\ncd==", "", "ab\ud800=="],
    ids=["longer-than-the-column", "nul", "line-break", "empty", "lone-surrogate"],
)
async def test_a_user_id_no_viber_account_has_is_acknowledged_without_effect(
    viber: ViberService, user_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    user = Callbacks(user_id)
    caplog.set_level(logging.WARNING, "bot.channels.viber")
    for callback in (
        user.conversation_started(),
        user.subscribed(),
        user.text("/start"),
        user.contact("+380671234567"),
        user.media("picture"),
        user.unsubscribed(),
    ):
        posted = await _post_ascii(viber, callback)
        assert (posted.status, posted.body) == (200, b"")  # acknowledged: Viber does not retry
    assert await _rows(viber, InboundEvent) == []
    assert await _rows(viber, Resident) == []
    assert viber.fake.calls == []
    assert sum("not a Viber user id" in r.getMessage() for r in caplog.records) == 6


async def test_the_longest_user_id_the_column_holds_is_a_resident(viber: ViberService) -> None:
    resident = ViberResident.on(viber, "B" * 128)
    await resident.onboard("en")
    assert "Main menu" in resident.text
    assert [row.user_id for row in await _rows(viber, Resident)] == ["B" * 128]


@pytest.mark.parametrize("odd", ["no-token-long-timestamp", "long-token"])
async def test_a_callback_whose_key_would_outgrow_its_column_has_one_effect(
    viber: ViberService, odd: str
) -> None:
    resident = ViberResident.on(viber, "odd==")
    await resident.onboard("en")
    if odd == "long-token":
        callback = resident.user.text("/settings") | {"message_token": "7" * 300}
        expected = "Settings. Language: English."
    else:
        callback = resident.user.media("sticker") | {"timestamp": "9" * 200}
        del callback["message_token"]  # the key is then made of the user id and timestamp
        expected = "For now we understand text, buttons, locations, contacts and photos."
    before = len(viber.fake.sent_to("odd=="))
    assert (await viber.post(callback)).status == 200
    assert (await viber.post(callback)).status == 200
    answers = [call.text for call in viber.fake.sent_to("odd==")[before:]]
    assert len(answers) == 1 and answers[0].startswith(expected)


async def test_a_delivery_status_with_control_characters_is_recorded_cleaned(
    viber: ViberService,
) -> None:
    user = Callbacks("status\x00==")
    failed = user.failed(5_409_318_127_644_810_001, desc="receiver\x00 gone\x07")
    assert (await _post_ascii(viber, failed)).status == 200
    [row] = await _rows(viber, ViberMessageStatus)
    assert (row.message_token, row.user_id, row.status, row.error) == (
        "5409318127644810001",
        "status==",
        "failed",
        "receiver gone",
    )
