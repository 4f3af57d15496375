"""Server-rendered pages: the Jinja2 environment, the UI language, and security headers.

Every visible string comes from Fluent (`locales/<lang>/web.ftl`) through `t(key, **args)`
in templates; Jinja2 autoescaping is on for every template.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot.core.i18n import I18n

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
LANG_COOKIE = "svoi_lang"

Translate = Callable[..., str]


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def ui_locale(request: web.Request, i18n: I18n, preferred: str | None = None) -> str:
    """`?lang=` first, then the language cookie, then the resident's own language, then the
    browser's Accept-Language, then the default."""
    for candidate in (request.query.get("lang"), request.cookies.get(LANG_COOKIE), preferred):
        if candidate in i18n.locales:
            return candidate
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";", 1)[0].strip().split("-", 1)[0].lower()
        if code in i18n.locales:
            return code
    return i18n.default_locale


def translator(i18n: I18n, locale: str) -> Translate:
    def t(key: str, **args: Any) -> str:
        return i18n.t(locale, key, args)

    return t


def render(
    env: jinja2.Environment,
    name: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    html = env.get_template(name).render(**context)
    response = web.Response(text=html, status=status, content_type="text/html", charset="utf-8")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def secure_cookies(public_base_url: str) -> bool:
    return public_base_url.lower().startswith("https://")


BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# The chat page may be framed by the council's site (the widget); the console never.
CHAT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
ADMIN_CSP = CHAT_CSP + "; frame-ancestors 'none'"
