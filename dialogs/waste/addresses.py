"""Matching what a resident types ("Трудова 5", "вул. Трудова, 5", "trudova 5", typos) to
a street of the waste zones, and the house number to the segment (range, odd/even side)
that gives the zone. Pure functions over plain records; no database.

Everything is compared twice: in Cyrillic (lower case, apostrophes and street-type words
removed) and as a Latin "skeleton" (transliterated, then spellings that differ between
transliteration systems folded together: kh/h, ya/ia, y/i …), so Latin, Russian-style and
misspelt input all land near the right street.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz

ACCEPT_SCORE = 78.0
TIE_MARGIN = 4.0
KIND_BONUS = 3.0

_APOSTROPHES = "'’ʼ`´‘\""
# Street-type words, Ukrainian, Russian and Latin spellings, mapped to a kind class.
_KIND_WORDS: dict[str, set[str]] = {
    "вул": {"street"},
    "вулиця": {"street"},
    "ул": {"street"},
    "улица": {"street"},
    "vul": {"street"},
    "vulytsia": {"street"},
    "vulitsa": {"street"},
    "ul": {"street"},
    "st": {"street"},
    "str": {"street"},
    "street": {"street"},
    "пр": {"avenue", "lane"},
    "pr": {"avenue", "lane"},
    "просп": {"avenue"},
    "проспект": {"avenue"},
    "prosp": {"avenue"},
    "prospekt": {"avenue"},
    "avenue": {"avenue"},
    "ave": {"avenue"},
    "av": {"avenue"},
    "пров": {"lane"},
    "провулок": {"lane"},
    "пер": {"lane"},
    "переулок": {"lane"},
    "prov": {"lane"},
    "provulok": {"lane"},
    "lane": {"lane"},
    "ln": {"lane"},
    "бульв": {"boulevard"},
    "бульвар": {"boulevard"},
    "б-р": {"boulevard"},
    "blvd": {"boulevard"},
    "bulvar": {"boulevard"},
    "пл": {"square"},
    "площа": {"square"},
    "майдан": {"square"},
    "pl": {"square"},
    "square": {"square"},
    "туп": {"deadend"},
    "тупик": {"deadend"},
}
_STREET_KINDS: dict[str, str] = {
    "вул.": "street",
    "просп.": "avenue",
    "пр.": "avenue",
    "пров.": "lane",
    "бульв.": "boulevard",
    "пл.": "square",
    "туп.": "deadend",
    "шосе": "highway",
}
_HOUSE_WORDS = {"буд", "будинок", "б", "д", "дом", "house", "bud", "no", "№"}
_FLAT = re.compile(r"[,\s]+(кв|квартира|apt|flat|kv)\.?\s*\d+\s*$", re.IGNORECASE)
_HOUSE_END = re.compile(
    r"(?:^|[\s,.№])(\d{1,4})(?:\s*-?\s*([а-яіїєґa-z])(?![а-яіїєґa-z]))?(?:\s*/\s*(\d{1,4}))?\s*$",
    re.IGNORECASE,
)
_HOUSE_START = re.compile(r"^\s*(\d{1,4})([а-яіїєґ])?\s*[,\s]\s*(?=\D)", re.IGNORECASE)

_TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    "ы": "y",
    "э": "e",
    "ё": "e",
    "ъ": "",
}
_SKELETON_STEPS = (
    ("shch", "sc"),
    ("sch", "sc"),
    ("zh", "z"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("ch", "c"),
    ("sh", "s"),
    ("yi", "i"),
    ("ye", "e"),
    ("ie", "e"),
    ("yu", "u"),
    ("iu", "u"),
    ("ju", "u"),
    ("ya", "a"),
    ("ia", "a"),
    ("ja", "a"),
    ("y", "i"),
    ("j", "i"),
    ("w", "v"),
    ("g", "h"),
    ("x", "ks"),
)


class Outcome(StrEnum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NEED_HOUSE = "need_house"
    HOUSE_NOT_FOUND = "house_not_found"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class StreetSegment:
    """A street, or the range of its houses on one side, in one zone."""

    id: int
    zone_id: int
    kind: str
    name_uk: str
    name_en: str
    aliases: tuple[str, ...] = ()
    house_from: int | None = None
    house_to: int | None = None
    side: str = "all"

    def covers(self, number: int) -> bool:
        if self.side == "odd" and number % 2 == 0:
            return False
        if self.side == "even" and number % 2 == 1:
            return False
        if self.house_from is not None and number < self.house_from:
            return False
        return self.house_to is None or number <= self.house_to


@dataclass
class Street:
    """All segments of one street (same kind and name), with the keys it is matched by."""

    kind: str
    name_uk: str
    name_en: str
    segments: list[StreetSegment] = field(default_factory=list)
    keys_cyr: set[str] = field(default_factory=set)
    keys_lat: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return f"{self.kind} {self.name_uk}"

    def zone_ids(self) -> set[int]:
        return {s.zone_id for s in self.segments}


@dataclass(frozen=True, slots=True)
class House:
    number: int
    suffix: str = ""

    def __str__(self) -> str:
        return f"{self.number}{self.suffix}"


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    street: str
    house: House | None
    kinds: frozenset[str]


@dataclass
class AddressMatch:
    outcome: Outcome
    candidates: list[Street] = field(default_factory=list)
    house: House | None = None
    zone_id: int | None = None
    segment: StreetSegment | None = None

    @property
    def street(self) -> Street | None:
        return self.candidates[0] if self.candidates else None

    def label(self, locale: str = "uk") -> str:
        street = self.street
        if street is None:
            return ""
        return street_label(street, self.house, locale)


def street_label(street: Street, house: House | None, locale: str) -> str:
    base = f"{street.kind} {street.name_uk}" if locale == "uk" else street.name_en
    return f"{base}, {house}" if house is not None else base


def transliterate(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


def skeleton(text: str) -> str:
    """Latin spelling with transliteration differences folded away."""
    out = transliterate(text)
    out = re.sub(r"[^a-z0-9 ]", "", out)
    for old, new in _SKELETON_STEPS:
        out = out.replace(old, new)
    return re.sub(r"\s+", " ", out).strip()


def _clean(text: str) -> str:
    text = text.lower().replace("ё", "е")
    for ch in _APOSTROPHES:
        text = text.replace(ch, "")
    text = re.sub(r"[.,;:()«»№#]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _has_cyrillic(text: str) -> bool:
    return any("а" <= ch <= "я" or ch in "іїєґё" for ch in text.lower())


def parse(text: str) -> ParsedAddress:
    """Split "вул. Трудова, 5а" into street words, house and the street-type words given."""
    raw = _FLAT.sub("", text.strip())
    house: House | None = None
    match = _HOUSE_END.search(raw)
    if match is not None:
        house = House(int(match.group(1)), (match.group(2) or "").lower())
        raw = raw[: match.start(1)]
    else:
        start = _HOUSE_START.match(raw)
        if start is not None:
            house = House(int(start.group(1)), (start.group(2) or "").lower())
            raw = raw[start.end() :]
    words = []
    kinds: set[str] = set()
    for word in _clean(raw.replace("-", " - ")).split(" "):
        if word in ("", "-"):
            continue
        if word in _KIND_WORDS:
            kinds |= _KIND_WORDS[word]
            continue
        if word in _HOUSE_WORDS:
            continue
        words.append(word)
    if not words and house is None:
        return ParsedAddress("", None, frozenset(kinds))
    return ParsedAddress(" ".join(words), house, frozenset(kinds))


def build_streets(segments: Iterable[StreetSegment]) -> list[Street]:
    """Group segments into streets and prepare their matching keys."""
    streets: dict[tuple[str, str], Street] = {}
    for seg in segments:
        street = streets.get((seg.kind, seg.name_uk))
        if street is None:
            street = Street(seg.kind, seg.name_uk, seg.name_en)
            streets[(seg.kind, seg.name_uk)] = street
            names = [seg.name_uk, *seg.aliases]
            words = seg.name_uk.split()
            if len(words) > 1:
                names.append(words[-1])  # "Петлюри" for "Симона Петлюри"
            for name in names:
                cleaned = _clean(name)
                street.keys_cyr.add(cleaned)
                street.keys_lat.add(skeleton(cleaned))
            english = _clean(seg.name_en)
            for word in ("street", "avenue", "lane", "square", "boulevard", "st"):
                english = re.sub(rf"\b{word}\b", "", english)
            street.keys_lat.add(skeleton(english))
        street.segments.append(seg)
    return list(streets.values())


def _score(query_cyr: str | None, query_lat: str, street: Street) -> float:
    best = 0.0
    if query_cyr:
        for key in street.keys_cyr:
            best = max(best, fuzz.ratio(query_cyr, key), fuzz.token_sort_ratio(query_cyr, key))
    for key in street.keys_lat:
        best = max(best, fuzz.ratio(query_lat, key), fuzz.token_sort_ratio(query_lat, key))
    return float(best)


def rank(parsed: ParsedAddress, streets: Sequence[Street]) -> list[tuple[float, Street]]:
    query_cyr = _clean(parsed.street) if _has_cyrillic(parsed.street) else None
    query_lat = skeleton(_clean(parsed.street))
    scored = []
    for street in streets:
        score = _score(query_cyr, query_lat, street)
        if parsed.kinds and _STREET_KINDS.get(street.kind) in parsed.kinds:
            score += KIND_BONUS
        scored.append((score, street))
    scored.sort(key=lambda pair: (-pair[0], pair[1].name_uk))
    return scored


def match(text: str, streets: Sequence[Street]) -> AddressMatch:
    """Find the street and, with the house number, the zone."""
    parsed = parse(text)
    if not parsed.street:
        return AddressMatch(Outcome.UNKNOWN, house=parsed.house)
    ranked = [pair for pair in rank(parsed, streets) if pair[0] >= ACCEPT_SCORE]
    if not ranked:
        return AddressMatch(Outcome.UNKNOWN, house=parsed.house)
    best = ranked[0][0]
    close = [street for score, street in ranked if score >= best - TIE_MARGIN]
    if len(close) > 1:
        return AddressMatch(Outcome.AMBIGUOUS, candidates=close[:6], house=parsed.house)
    return resolve_house(close[0], parsed.house)


def resolve_house(street: Street, house: House | None) -> AddressMatch:
    """The zone of a house on a chosen street (or of the street, when it has one zone)."""
    zones = street.zone_ids()
    if house is None:
        if len(zones) == 1:
            return AddressMatch(
                Outcome.FOUND, [street], None, next(iter(zones)), street.segments[0]
            )
        return AddressMatch(Outcome.NEED_HOUSE, [street])
    for segment in street.segments:
        if segment.covers(house.number):
            return AddressMatch(Outcome.FOUND, [street], house, segment.zone_id, segment)
    return AddressMatch(Outcome.HOUSE_NOT_FOUND, [street], house)


def parse_house(text: str) -> House | None:
    """A house number typed alone ("5", "5а", "буд. 12/1")."""
    parsed = parse(text)
    if parsed.street:
        return None
    return parsed.house
