"""Matching what a resident types to a street of Khmelnytskyi and, with the house number, to
the segment (range, odd/even side) that gives the waste zone. Pure functions over plain
records; no database.

What residents type, and what is done with it (docs/waste.md, "How addresses are matched"):

* forms and abbreviations: «вул. Трудова, 5», «Трудова 5а», «5 Трудова», «trudova 5»;
  street-type words and their abbreviations, Ukrainian, Russian and Latin (вул./ул./улица,
  просп./пр-т, пров./пер., бульв./б-р, пл./площадь, майдан, шосе/шоссе, проїзд/проезд,
  тупик, узвіз …) are not part of the name, but a given type breaks ties;
* whole sentences: conversational words («я живу на», «наша адреса», «подскажите»), flat,
  entrance, floor and block numbers («кв. 5», «під'їзд 2», «корп. 1»), a microdistrict
  («мкр. Озерна») and the town the resident comes from («переселенці з Харкова») are
  dropped, and when the rest still does not match, the best run of one to three words is
  tried;
* Russian names: spelt the Russian way («Проскуровская», «Львовское шоссе») they are close
  enough; translated ones («Северная», «8 Марта») go through a small lexicon;
* another town: an address that names another settlement («Вишнева 9, Київ», «г. Винница»,
  «м. Тульчин», «Вінницька обл.», another postcode) is `UNKNOWN` with `AddressMatch.elsewhere`
  set, never our street of the same name; «м. Хмельницький», «Хмельницька обл.» are ignored;
* case endings: the locative after «на»/«по» and the genitive, Ukrainian and Russian
  («на Трудовій», «по улице Каменецкой», «вулиці Свободи») are compared on stems;
* old names: a street renamed in 2016 or 2022 is found by its old name, and the match says
  so (`AddressMatch.old`);
* the city's street register (content/streets.yaml, docs/streets.md): a real street whose
  schedule is not loaded is `Outcome.NO_SCHEDULE`, not `UNKNOWN`; a street of another city
  stays `UNKNOWN`: with hundreds of names a short name often lies "inside" a longer one
  («Стрийська» in «Староміська»), so a key whose stem is longer or shorter by more than one
  letter loses `LENGTH_PENALTY` per letter.

Every name is compared as a Latin "skeleton" (transliterated, then spellings that differ
between transliteration systems folded together: kh/h, ya/ia, y/i …), whole and reduced to
word stems, so Cyrillic, Latin, Russian-style and misspelt input all land near the right
street. `build_streets` prepares the keys once into a `StreetIndex`; matching a query is a
few vectorised rapidfuzz calls over it (bench/address_match.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz, process

ACCEPT_SCORE = 78.0
TIE_MARGIN = 4.0
KIND_BONUS = 3.0
SPAN_PENALTY = 3.0  # per word of a sentence left out when a run of words is matched
# Per letter of stem length beyond LENGTH_FREE by which a name and a key differ: with the whole
# register, a short name is otherwise "inside" a longer one («Стрийська» in «Староміська»).
LENGTH_PENALTY = 2.5
LENGTH_FREE = 1
MAX_SPAN_WORDS = 3
MAX_SENTENCE_WORDS = 10
_CUTOFF = 50.0
_WORD_CUTOFF = 60.0

_APOSTROPHES = "'’ʼ`´‘\""

# Street-type words (exact forms, after lower-casing and removing dots), mapped to a kind class.
_KIND_WORDS: dict[str, set[str]] = {}
for _spellings, _classes in (
    (
        "вул вулиця вулиці вулицю вулицею ул улица улице улицу улицы vul vulytsia vulitsa "
        "vulytsi ul st str street",
        {"street"},
    ),
    ("пр pr", {"avenue", "lane", "passage"}),
    (
        "просп проспект проспекті проспекту проспекте пр-т пр-кт prosp prospekt avenue ave av",
        {"avenue"},
    ),
    (
        "пров провулок провулку провулка пер переулок переулке переулку prov provulok "
        "pereulok lane ln",
        {"lane"},
    ),
    ("бульв бульвар бульварі бульвару бульваре бул б-р blvd bulvar boulevard", {"boulevard"}),
    ("пл площа площі площу площадь площади майдан pl ploshcha square sq", {"square"}),
    ("туп тупик тупику тупике tupyk", {"deadend"}),
    ("шосе шоссе ш shose shosse highway hwy", {"highway"}),
    ("проїзд проїзді проезд проезде пр-д пр-зд proizd proezd passage", {"passage"}),
    ("узвіз узвозі узв спуск uzviz descent", {"descent"}),
):
    for _spelling in _spellings.split():
        _KIND_WORDS[_spelling] = _classes
# The kind class of each kind stored with a street (content STREET_KINDS and the register).
_STREET_KINDS: dict[str, str] = {
    "вул.": "street",
    "просп.": "avenue",
    "пр.": "avenue",
    "пров.": "lane",
    "бульв.": "boulevard",
    "пл.": "square",
    "майдан": "square",
    "туп.": "deadend",
    "шосе": "highway",
    "проїзд": "passage",
    "узвіз": "descent",
}
KIND_EN: dict[str, str] = {
    "вул.": "Street",
    "просп.": "Avenue",
    "пр.": "Avenue",
    "пров.": "Lane",
    "бульв.": "Boulevard",
    "пл.": "Square",
    "майдан": "Square",
    "туп.": "Dead End",
    "шосе": "Highway",
    "проїзд": "Passage",
    "узвіз": "Descent",
}
_ENGLISH_TYPES = re.compile(
    r"\b(street|st|avenue|ave|lane|square|boulevard|highway|passage|descent|dead end)\b"
)
_HOUSE_WORDS = {"буд", "будинок", "б", "д", "дом", "house", "bud", "no", "н"}
# Words of a sentence around an address: greetings, "I live", "our address", "when is the
# collection", in Ukrainian, Russian and English (apostrophes removed, as `_clean` does).
_FILLER_WORDS = """
я ми мы ja i we живу живемо живем живём живут проживаю проживаємо проживаем мешкаю
    мешкаємо прописаний прописана прописані прописан прописана прописаны зареєстрований
    зареєстрована зарегистрирован зарегистрирована наша наш наше моя мій мой мое моє мене
    меня нас нам мені мне адреса адресa адрес адресу адресою адреси address my our is its
    live living at on in the of please це це є это вот ось ну то так тут там на по в у во
    біля возле около коло поруч рядом до від от із из з с а і и й та також also будь ласка
    пожалуйста підкажіть подскажите скажіть скажите допоможіть помогите хочу хотів хотіла
    хотел хотела дізнатися узнать знати знать коли когда який яка какой какая графік графіка
    график графика вивіз вивозу вивезення вывоз вывоза сміття мусор мусора відходів відходи
    приїжджає приезжает забирають забирают вивозять вывозят машина привіт привет вітаю
    здрастуйте здравствуйте добрий доброго добрый день вечір вечора ранку утро дякую спасибо
    hello hi місто міста город м г хмельницький хмельницкий хмельницькому хмельницком
    khmelnytskyi khmelnytskyy khmelnitsky khmelnitskiy ukraine україна украина приватний
    приватному частный частном сектор секторі секторе будинку квартира квартири
    переїхав переїхала переїхали переехал переехала переехали переселенець переселенка
    переселенці переселенцы беженец беженка беженцы біженець біженка біженці впо впл
    зараз сейчас тепер теперь раніше раньше колишня бывшая бывшей колишній бывший
    """
# Settlements other than Khmelnytskyi that residents name beside an address: the oblast centres
# and the towns of the oblast around the city, in the forms people type (Ukrainian and Russian
# cases). The first form is the name reported. Forms are compared as skeletons, word by word:
# «Києві», «Киеве» and «Kyieve» are one place, so the Latin spellings (Kyiv, Kiev, Lvov) need
# no form of their own; a name of two words is found by its listed parts («Камʼянець»,
# «Ушиця»). A street of the city may share a form (вул. Волочиська, the genitive of
# Волочиськ): a word of a street name is read as the street.
_SETTLEMENTS_TEXT = """
Київ Києва Києві Києву Киев Киева Киеве
Львів Львова Львові Львов Львове
Одеса Одеси Одесі Одесса Одессы Одессе
Харків Харкова Харкові Харьков Харькова Харькове
Дніпро Дніпра Дніпрі Днепр Днепра Днепре Дніпропетровськ Днепропетровск
Запоріжжя Запоріжжі Запорожье Запорожья
Вінниця Вінниці Винница Винницы Виннице
Житомир Житомира Житомирі Житомире
Тернопіль Тернополя Тернополі Тернополь Тернополе
Рівне Рівного Рівному Ровно Ровне
Луцьк Луцька Луцьку Луцк Луцка Луцке
Чернівці Чернівців Чернівцях Черновцы Черновцах
Івано-Франківськ Франківськ Франківську Франковск Франковске
Ужгород Ужгорода Ужгороді Ужгороде
Полтава Полтави Полтаві Полтавы Полтаве
Суми Сумах Сумы
Чернігів Чернігова Чернігові Чернигов Чернигова Чернигове
Черкаси Черкасах Черкассы Черкассах
Кропивницький Кропивницькому Кропивницкий Кіровоград Кировоград
Миколаїв Миколаєва Миколаєві Николаев Николаева Николаеве
Херсон Херсона Херсоні Херсоне
Донецьк Донецька Донецьку Донецк Донецка Донецке
Луганськ Луганська Луганську Луганск Луганска Луганске
Маріуполь Маріуполя Маріуполі Мариуполь Мариуполя Мариуполе
Камʼянець-Подільський Камʼянець Камʼянця Камʼянці Каменец Каменца Каменце
Шепетівка Шепетівки Шепетівці Шепетовка Шепетовки Шепетовке
Нетішин Нетішина Нетішині Нетешин Нетешине
Славута Славути Славуті Славуте
Старокостянтинів Старокостянтинова Старокостянтинові Староконстантинов Староконстантинове
Полонне Полонного Полонному Полонное
Красилів Красилова Красилові Красилов Красилове
Волочиськ Волочиську Волочиск Волочиске
Ізяслав Ізяславі Изяслав Изяславе
Дунаївці Дунаївців Дунаївцях Дунаевцы Дунаевцах
Деражня Деражні Деражне
Летичів Летичева Летичеві Летичев Летичеве
Ярмолинці Ярмолинців Ярмолинцях Ярмолинцы Ярмолинцах
Віньківці Віньківців Віньківцях Виньковцы Виньковцах
Чемерівці Чемерівців Чемерівцях Чемеровцы
Теофіполь Теофіполі Теофиполь
Хмільник Хмільника Хмільнику
Меджибіж Меджибожа Меджибожі Меджибож
Сатанів Сатанова Сатанові Сатанов
Нова_Ушиця Ушиця Ушиці Ушица
Стара_Синява Синява Синяві
"""
# Khmelnytskyi itself, its oblast and the city's old name and nickname: a word of the address
# like a greeting, never another place.
_OUR_CITY = """
хмельницький хмельницького хмельницькому хмельницькім хмельницкий хмельницкого хмельницком
хмельницкому хмельницька хмельницької хмельницькій хмельницкая хмельницкой хмельниччина
хмельнитчина хмельник хмельнику проскурів проскурова проскурові проскуров проскурове
khmelnytskyi khmelnytskyy khmelnytsky khmelnitsky khmelnitskiy khmelnitskii khmelnytska
"""
_REGION_WORDS = frozenset(["обл", "область", "области", "області", "oblast", "region"])
_DISTRICT_WORDS = ["район", "району", "районі", "р-н"]
_FILLER = (
    frozenset(_FILLER_WORDS.split())
    | frozenset(_OUR_CITY.split())
    | _REGION_WORDS
    | frozenset(_DISTRICT_WORDS)
)
# Words that introduce a settlement: «м. Львів», «г. Винница», «село Олешин», «city of Lviv».
# A one-letter one may be a first name's initial instead («М. Кропивницького», «С. Петлюри»).
_PLACE_MARKER_WORDS = """
    м г гор с місто міста місті город города городе село села селі селище селища смт пгт
    поселок поселке city town village
    """
_PLACE_MARKERS = frozenset(_PLACE_MARKER_WORDS.split())
# Words before a settlement that say the resident comes from there («переселенці з Харкова»).
_FROM_WORDS = frozenset(["з", "із", "зі", "от", "из", "с", "from"])
# Russian words of street names that are translated, not transliterated, in Ukrainian
# («Северная» is вул. Північна, «8 Марта» was вул. 8 Березня): a Russian stem (any ending of up
# to three letters) → the Ukrainian word, compared as usual after that.
_RUSSIAN_NAMES_TEXT = """
    марта: березня
    мая: травня
    победы: перемоги
    труда: праці
    северн: північна
    южн: південна
    восточн: східна
    западн: західна
    школьн: шкільна
    лесн: лісова
    полев: польова
    речн: річкова
    цветочн: квіткова
    солнечн: сонячна
    рабоч: робітнича
    железнодорожн: залізнична
    больничн: лікарняна
    родников: джерельна
    васильков: волошкова
    рассветн: світанкова
    старогородск: староміська
    огородн: городня
    пограничник: прикордонників
    сельскохозяйственн: сільськогосподарська
    владимирск: володимирська
    подольск: подільська
    """
_RUSSIAN_NAMES = dict(
    (stem.strip(), word.strip())
    for stem, _, word in (line.partition(":") for line in _RUSSIAN_NAMES_TEXT.strip().splitlines())
)
RUSSIAN_TAIL = 3


def _ukrainian_word(word: str) -> str:
    """The Ukrainian word of a street name typed in Russian, or the word itself."""
    for end in range(len(word), max(len(word) - RUSSIAN_TAIL, 2) - 1, -1):
        found = _RUSSIAN_NAMES.get(word[:end])
        if found is not None:
            return found
    return word


_ABBREVIATIONS = (
    (re.compile(r"\bб-р\b"), " бульвар "),
    (re.compile(r"\bпр-к?т\b"), " проспект "),
    (re.compile(r"\bпр-з?д\b"), " проїзд "),
    (re.compile(r"\bкв-ра\b"), " квартира "),
)
_FLAT = re.compile(
    r"(?:^|(?<=[\s,]))(?:кв|квартира|кварт|apt|flat|kv|підїзд|підізд|подъезд|подьезд|поверх|"
    r"этаж|эт|floor|entrance|корп|корпус|секція|секция|block)\s*\.?\s*(?:№\s*)?\d{1,4}\s*[а-яіїєґa-z]?(?=$|[\s,.;])",
    re.IGNORECASE,
)
# A microdistrict or housing estate named beside the street («мкр. Озерна, Трудова 5»): its
# name may be a street's too (вул. Озерна), and it is not the address.
_DISTRICT = re.compile(
    r"(?:^|(?<=[\s,]))(?:мікрорайон\w*|микрорайон\w*|мкрн?|мкр-н|м-н|жк|масив)\s*\.?\s*"
    r"[^\s,;.]+",
    re.IGNORECASE,
)
_HOUSE = re.compile(
    r"(?<![\w/])(\d{1,4})(?:\s*-?\s*([а-яіїєґa-z]))?(?:\s*/\s*\d{1,4}[а-яіїєґa-z]?)?(?![\w/])",
    re.IGNORECASE,
)
_NAME_AFTER_NUMBER = re.compile(
    r"^\s*-?\s*(?:го|ого|ий|а|я)?\s*(?:січня|лютого|березня|квітня|травня|червня|липня|"
    r"серпня|вересня|жовтня|листопада|грудня|января|февраля|марта|апреля|мая|июня|июля|"
    r"августа|сентября|октября|ноября|декабря|лінія|линия)\b"
)
_SPLIT = re.compile(r"[\s.,;:()«»„“”!?№#/\\]+|\s-\s|\s-|-\s")
# Endings removed from the Latin skeleton of a word to compare stems: Ukrainian and Russian
# adjective and noun case endings (трудовій/трудової/трудовой/трудовая → trudov).
_STEM_ENDINGS = (
    "omu",
    "oho",
    "aa",
    "ii",
    "oi",
    "ou",
    "iv",
    "ev",
    "ih",
    "om",
    "em",
    "a",
    "i",
    "u",
    "e",
    "o",
)

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
    # Russian о where Ukrainian has і before the adjective suffix: Львовское / Львівське,
    # Проскуровская / Проскурівська.
    ("ivsk", "ovsk"),
)


_NATIONAL = {
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
}
# Russian letters typed in a street name read as their closest Latin forms too.
_TRANSLIT = {**_NATIONAL, "ы": "y", "э": "e", "ё": "e", "ъ": ""}
_NATIONAL_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


class Outcome(StrEnum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NEED_HOUSE = "need_house"
    HOUSE_NOT_FOUND = "house_not_found"
    NO_SCHEDULE = "no_schedule"  # a street of the city whose schedule is not loaded
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
    is_example: bool = False  # its assignment to the zone is example data

    def covers(self, number: int) -> bool:
        if self.side == "odd" and number % 2 == 0:
            return False
        if self.side == "even" and number % 2 == 1:
            return False
        if self.house_from is not None and number < self.house_from:
            return False
        return self.house_to is None or number <= self.house_to


@dataclass(frozen=True, slots=True)
class OldName:
    """A name a street had before a renaming (kind, name, year, where it is documented)."""

    kind: str
    name_uk: str
    year: int | None = None
    sources: tuple[str, ...] = ()

    @property
    def name_en(self) -> str:
        return english_name(self.kind, self.name_uk)

    def label(self, locale: str = "uk") -> str:
        return f"{self.kind} {self.name_uk}" if locale == "uk" else self.name_en


@dataclass(frozen=True, slots=True)
class RegisterStreet:
    """A street of the city register (content/streets.yaml): current name, old names."""

    kind: str
    name_uk: str
    name_en: str = ""
    aliases: tuple[str, ...] = ()
    old: tuple[OldName, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass
class Street:
    """All segments of one street (same kind and name), with the keys it is matched by. A
    street of the register without segments has no schedule yet."""

    kind: str
    name_uk: str
    name_en: str
    segments: list[StreetSegment] = field(default_factory=list)
    keys_cyr: set[str] = field(default_factory=set)
    keys_lat: set[str] = field(default_factory=set)
    old_names: list[OldName] = field(default_factory=list)
    ref: int = 0  # the first segment's id, or -(position in the register + 1)

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
    old: OldName | None = None  # the old name the resident typed, when it matched
    elsewhere: str | None = None  # the other settlement the address names (never matched)

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


def national_transliteration(text: str) -> str:
    """Ukrainian national transliteration (Cabinet of Ministers resolution 55 of 2010):
    «Героїв Маріуполя» → «Heroiv Mariupolia», «Юності» → «Yunosti»."""
    out = []
    previous = ""
    for ch in text:
        low = ch.lower()
        if low in _APOSTROPHES:
            continue
        initial = not previous.isalpha()
        latin = (_NATIONAL_INITIAL if initial else {}).get(low) or _NATIONAL.get(low, ch)
        if low == "г" and previous.lower() == "з":
            latin = "gh"
        out.append(latin.capitalize() if ch.isupper() else latin)
        previous = ch
    return "".join(out)


def english_name(kind: str, name_uk: str) -> str:
    return f"{national_transliteration(name_uk)} {KIND_EN.get(kind, 'Street')}"


def skeleton(text: str) -> str:
    """Latin spelling with transliteration differences folded away."""
    out = transliterate(text)
    out = re.sub(r"[^a-z0-9 ]", "", out)
    for old, new in _SKELETON_STEPS:
        out = out.replace(old, new)
    return re.sub(r"\s+", " ", out).strip()


def stem(word: str) -> str:
    """A skeleton word without its case ending (at least three letters are kept)."""
    for ending in _STEM_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _forms(text: str) -> tuple[str, str]:
    """The whole and the stemmed skeleton of a name, words sorted."""
    words = sorted(skeleton(text).split())
    return " ".join(words), " ".join(sorted(stem(w) for w in words))


def _clean(text: str) -> str:
    text = text.lower().replace("ё", "е")
    for ch in _APOSTROPHES:
        text = text.replace(ch, "")
    text = re.sub(r"[.,;:()«»№#]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _prepare(text: str) -> str:
    text = text.lower().replace("ё", "е")
    for ch in _APOSTROPHES:
        text = text.replace(ch, "")
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return re.sub(r"[,;:()«»!?\"№#]", " ", text)


def _take_house(text: str) -> tuple[House | None, str]:
    """The house number (the last number that is not part of a name like «8 Березня»)."""
    chosen = None
    for found in _HOUSE.finditer(text):
        if _NAME_AFTER_NUMBER.match(text[found.end() :]):
            continue
        chosen = found
    if chosen is None:
        return None, text
    house = House(int(chosen.group(1)), (chosen.group(2) or "").lower())
    return house, f"{text[: chosen.start()]} {text[chosen.end() :]}"


def _words(text: str) -> tuple[list[str], set[str]]:
    words: list[str] = []
    kinds: set[str] = set()
    previous = ""
    for word in _SPLIT.split(text):
        word = word.strip("-")
        if not word or word.isdigit():
            continue
        if word in _KIND_WORDS:
            kinds |= _KIND_WORDS[word]
        elif previous in _FROM_WORDS and skeleton(word) in _SETTLEMENTS:
            pass  # where the resident comes from: «переселенці з Харкова»
        elif word not in _HOUSE_WORDS and word not in _FILLER:
            words.append(_ukrainian_word(word))
        previous = word
    return words, kinds


def _address_part(text: str) -> str:
    """The text without flat, entrance, floor and block numbers and a microdistrict's name."""
    return _DISTRICT.sub(" ", _FLAT.sub(" ", _prepare(text.strip())))


def parse(text: str) -> ParsedAddress:
    """Split «я живу на вул. Трудовій, 5а, кв. 7» into street words («трудовій»), house
    (5а) and the street-type words given ({"street"})."""
    house, rest = _take_house(_address_part(text))
    words, kinds = _words(rest)
    return ParsedAddress(" ".join(words), house, frozenset(kinds))


def parse_house(text: str) -> House | None:
    """A house number typed alone ("5", "5а", "буд. 12/1")."""
    parsed = parse(text)
    if parsed.street:
        return None
    return parsed.house


def _settlement_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for line in _SETTLEMENTS_TEXT.strip().splitlines():
        name = line.split()[0].replace("_", " ")
        for form in line.split():
            if "-" not in form and "_" not in form:
                forms[skeleton(_clean(form))] = name
    return forms


_SETTLEMENTS = _settlement_forms()
_OURS = [skeleton(word) for word in _OUR_CITY.split()]
_TOKEN = re.compile(r"[^\W_]+")
CITY_POSTCODES = "290"  # the city's postcodes are 29000–29027; the oblast's begin with 29–32
OURS_SCORE = 80.0  # a misspelt «Хмельницький» after «м.» is still the city
STREET_WORD_SCORE = 85.0


def other_place(text: str, streets: Sequence[Street]) -> str | None:
    """The settlement other than Khmelnytskyi that an address names, if any: a known town
    («Вишнева 9, Київ», «Кам'янець-Подільський, Соборна 3»), any name after «м.», «г.»,
    «село», «місто» («м. Тульчин»), another oblast («Вінницька обл.») or another place's
    postcode. A place the resident comes from («переселенці з Харкова») does not count."""
    index = _index(streets)
    _, rest = _take_house(_address_part(text))
    tokens: list[str] = _TOKEN.findall(rest)
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i > 0 else ""
        if token.isdigit():
            if len(token) == 5 and not token.startswith(CITY_POSTCODES):
                return token
        elif token in _REGION_WORDS:
            if before.isalpha() and before not in _FILLER and not _is_ours(before):
                return f"{before.capitalize()} обл."
        elif token in _PLACE_MARKERS:
            after = tokens[i + 1] if i + 1 < len(tokens) else ""
            if before not in _FROM_WORDS and _names_a_place(after, index):
                return after.capitalize()
        else:
            key = skeleton(token)
            name = _SETTLEMENTS.get(key)
            if name is None or key in index.name_words:
                continue  # a word of a street name: «Волочиська», «Кропивницького»
            marked = before in _PLACE_MARKERS and i >= 2  # «з м. Києва»
            if before not in _FROM_WORDS and not (marked and tokens[i - 2] in _FROM_WORDS):
                return name
    return None


def _is_ours(word: str) -> bool:
    return (
        process.extractOne(skeleton(word), _OURS, scorer=fuzz.ratio, score_cutoff=OURS_SCORE)
        is not None
    )


def _names_a_place(word: str, index: StreetIndex) -> bool:
    """Whether the word after «м.», «село» … is a settlement's name, not our city, a street
    («М. Кропивницького» is a first name's initial) or a word around the address."""
    if not word.isalpha() or len(word) < 3 or _is_ours(word):
        return False
    if word in _FILLER or word in _KIND_WORDS or word in _HOUSE_WORDS or word in _PLACE_MARKERS:
        return False
    if word in _REGION_WORDS or skeleton(word) in _SETTLEMENTS:
        return False  # a known town is reported by its own name
    stemmed = stem(skeleton(word))
    near = process.extractOne(
        stemmed, index.words, scorer=fuzz.ratio, score_cutoff=STREET_WORD_SCORE
    )
    return near is None


class StreetIndex(list[Street]):
    """The streets with their matching keys laid out flat for vectorised scoring."""

    def __init__(self, streets: Iterable[Street] = ()) -> None:
        super().__init__(streets)
        self.whole: list[str] = []
        self.stems: list[str] = []
        self.stem_lengths: list[int] = []
        self.owner: list[int] = []
        self.old: list[OldName | None] = []
        self.names: list[str] = []  # the cleaned current name of each street
        for position, street in enumerate(self):
            self.names.append(_clean(street.name_uk))
            for key in street.keys_lat:
                self._add(position, key, None)
            for old in street.old_names:
                for key in _name_keys(old.name_uk):
                    self._add(position, key, old)
        # Stemmed words of the keys, to find the few keys a word of a sentence may belong to.
        self.vocabulary: dict[str, list[int]] = {}
        for i, stems in enumerate(self.stems):
            for word in set(stems.split()):
                self.vocabulary.setdefault(word, []).append(i)
        self.words = list(self.vocabulary)
        self.name_words = {word for key in self.whole for word in key.split()}

    def keys_near(self, words: Iterable[str]) -> set[int]:
        """The keys that have a word close to one of `words`."""
        found: set[int] = set()
        for word in words:
            stemmed = stem(skeleton(word))
            for _, _, j in process.extract(
                stemmed, self.words, scorer=fuzz.ratio, limit=None, score_cutoff=_WORD_CUTOFF
            ):
                found.update(self.vocabulary[self.words[j]])
        return found

    def _add(self, position: int, key: str, old: OldName | None) -> None:
        whole, stems = _forms(key)
        if not whole:
            return
        self.whole.append(whole)
        self.stems.append(stems)
        self.stem_lengths.append(len(stems))
        self.owner.append(position)
        self.old.append(old)


def _name_keys(name: str) -> set[str]:
    cleaned = _clean(name)
    keys = {cleaned}
    words = [w for w in cleaned.split() if len(w) > 1]
    if len(words) > 1 and len(words[-1]) >= 4:
        keys.add(words[-1])  # "Петлюри" for "Симона Петлюри"
    return keys


def _street_keys(street: Street, names: Iterable[str]) -> None:
    for name in names:
        for key in _name_keys(name):
            street.keys_cyr.add(key)
            street.keys_lat.add(skeleton(key))
    english = _ENGLISH_TYPES.sub("", _clean(street.name_en))
    if english.strip():
        street.keys_lat.add(skeleton(english))


def _identity(kind: str, name: str) -> tuple[str, str]:
    return kind, _clean(name)


def build_streets(
    segments: Iterable[StreetSegment], register: Iterable[RegisterStreet] = ()
) -> StreetIndex:
    """Group segments into streets, add the register's streets (a street already in a zone
    gets its old names and aliases; the others are known streets without a schedule) and
    prepare the matching keys."""
    streets: dict[tuple[str, str], Street] = {}
    for seg in segments:
        identity = _identity(seg.kind, seg.name_uk)
        street = streets.get(identity)
        if street is None:
            street = Street(seg.kind, seg.name_uk, seg.name_en, ref=seg.id)
            streets[identity] = street
            _street_keys(street, [seg.name_uk, *seg.aliases])
        street.segments.append(seg)
    for position, entry in enumerate(register):
        identity = _identity(entry.kind, entry.name_uk)
        street = streets.get(identity)
        if street is None:
            name_en = entry.name_en or english_name(entry.kind, entry.name_uk)
            street = Street(entry.kind, entry.name_uk, name_en, ref=-(position + 1))
            streets[identity] = street
            _street_keys(street, [entry.name_uk, *entry.aliases])
        else:
            _street_keys(street, entry.aliases)
        street.old_names.extend(o for o in entry.old if o not in street.old_names)
    return StreetIndex(streets.values())


def _index(streets: Sequence[Street]) -> StreetIndex:
    return streets if isinstance(streets, StreetIndex) else StreetIndex(streets)


@dataclass
class _Scored:
    score: float
    street: Street
    old: OldName | None
    position: int


def _score_words(
    words: list[str], index: StreetIndex, keys: set[int] | None = None
) -> dict[int, tuple[float, OldName | None]]:
    """Best score per street position for one run of words (over all keys, or over `keys`);
    the old name when an old key scored strictly better than every current key."""
    whole, stems = _forms(" ".join(words))
    if not whole:
        return {}
    raw: dict[int, float] = {}
    stemmed: dict[int, float] = {}
    if keys is None:
        for _, score, i in process.extract(
            whole, index.whole, scorer=fuzz.ratio, limit=None, score_cutoff=_CUTOFF
        ):
            raw[i] = score
        for _, score, i in process.extract(
            stems, index.stems, scorer=fuzz.ratio, limit=None, score_cutoff=_CUTOFF
        ):
            stemmed[i] = score
    else:
        for i in keys:
            r = fuzz.ratio(whole, index.whole[i], score_cutoff=_CUTOFF)
            s = fuzz.ratio(stems, index.stems[i], score_cutoff=_CUTOFF)
            if r or s:  # keys below the cutoff on both forms are left out, as extract does
                raw[i] = r
                stemmed[i] = s
    current: dict[int, float] = {}
    old: dict[int, tuple[float, OldName]] = {}
    length = len(stems)
    for i in raw.keys() | stemmed.keys():
        r = raw.get(i, 0.0)
        score = max(r, (r + stemmed.get(i, 0.0)) / 2)
        longer = abs(index.stem_lengths[i] - length) - LENGTH_FREE
        if longer > 0:
            score -= LENGTH_PENALTY * longer
        position = index.owner[i]
        name = index.old[i]
        if name is None:
            current[position] = max(current.get(position, 0.0), score)
        elif score > old.get(position, (0.0, name))[0]:
            old[position] = (score, name)
    best: dict[int, tuple[float, OldName | None]] = {p: (s, None) for p, s in current.items()}
    for position, (score, name) in old.items():
        if score > best.get(position, (0.0, None))[0]:
            best[position] = (score, name)
    return best


def rank(parsed: ParsedAddress, streets: Sequence[Street]) -> list[tuple[float, Street]]:
    return [(s.score, s.street) for s in _rank(parsed, _index(streets))]


def _rank(parsed: ParsedAddress, index: StreetIndex) -> list[_Scored]:
    words = parsed.street.split()[:MAX_SENTENCE_WORDS]
    best = _score_words(words, index)
    if len(words) > 1 and max((s for s, _ in best.values()), default=0.0) < ACCEPT_SCORE:
        # A sentence: the street is a run of one to three of its words, scored against the
        # keys that share a word with the sentence.
        near = index.keys_near(words)
        for size in range(1, min(MAX_SPAN_WORDS, len(words) - 1) + 1 if near else 0):
            penalty = SPAN_PENALTY * (len(words) - size)
            for start in range(len(words) - size + 1):
                run = words[start : start + size]
                for position, (score, old) in _score_words(run, index, near).items():
                    if score - penalty > best.get(position, (0.0, None))[0]:
                        best[position] = (score - penalty, old)
    scored = []
    for position, (score, old) in best.items():
        street = index[position]
        if parsed.kinds and _STREET_KINDS.get(street.kind) in parsed.kinds:
            score += KIND_BONUS
        scored.append(_Scored(score, street, old, position))
    scored.sort(key=lambda s: (-s.score, s.street.name_uk, s.street.kind))
    return scored


def match(text: str, streets: Sequence[Street]) -> AddressMatch:
    """Find the street and, with the house number, the zone."""
    parsed = parse(text)
    index = _index(streets)
    place = other_place(text, index)
    if place is not None:
        return AddressMatch(Outcome.UNKNOWN, house=parsed.house, elsewhere=place)
    if not parsed.street:
        return AddressMatch(Outcome.UNKNOWN, house=parsed.house)
    ranked = [s for s in _rank(parsed, index) if s.score >= ACCEPT_SCORE]
    if not ranked:
        return AddressMatch(Outcome.UNKNOWN, house=parsed.house)
    close = [s for s in ranked if s.score >= ranked[0].score - TIE_MARGIN]
    if len(close) > 1 and len({index.names[s.position] for s in close}) == 1:
        # One name, several types («Гагаріна 5»: вул. and пров.): the type given decides;
        # a resident who names no type means the street.
        typed = [s for s in close if _STREET_KINDS.get(s.street.kind) in parsed.kinds]
        plain = [s for s in close if s.street.kind == "вул."]
        chosen = typed if parsed.kinds else plain
        if len(chosen) == 1:
            close = chosen
    if len(close) > 1:
        return AddressMatch(
            Outcome.AMBIGUOUS, candidates=[s.street for s in close[:6]], house=parsed.house
        )
    result = resolve_house(close[0].street, parsed.house)
    result.old = close[0].old
    return result


def resolve_house(street: Street, house: House | None) -> AddressMatch:
    """The zone of a house on a chosen street (or of the street, when it has one zone)."""
    if not street.segments:
        return AddressMatch(Outcome.NO_SCHEDULE, [street], house)
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
