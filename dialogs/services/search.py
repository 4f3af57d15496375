"""Finding a city service from what a resident types: pure, in memory, no database.

Everything — the catalogue and the query — is brought to one form before it is compared:
NFKC, lower case, the three apostrophes (' ʼ ’ and their look-alikes) dropped, Cyrillic
written in Latin letters by the official Ukrainian national transliteration (Cabinet of
Ministers resolution No. 55 of 27 January 2010), punctuation turned into spaces. So
"Сімʼї", "сім'ї", "СІМ’Ї" and "simi" meet as "simi", and "propyska" finds "прописка".
Russian letters are folded the nearest Ukrainian way (ы → и, э → е, ё → е, ъ dropped).

A query is read word by word; conversational words ("підкажіть", "как получить") are dropped.
Each remaining word may stand for more words: a Russian word is translated by a small
lexicon of the catalogue's domain (справка → довідка, пособие → допомога, ЧП → ФОП), and
slang gets its official words (прописка → реєстрація місця проживання). A query word matches
a catalogue word exactly, as a prefix ("пасп" → паспорт), by a shared stem ("довідку" →
довідка) or, when long enough, by edit distance (rapidfuzz) so typos still find their service.

Ranking (docs/services.md, "Search"): a word counts by the field it is found in (name >
keywords > category > description) times its rarity in the catalogue (BM25 IDF), and a
service matching more of the query's words ranks higher. Equal scores are broken by more
query words found in the service's name, then the shorter name, then the code.

A service is shown only when the resident's words are really about it: at least one
*specific* query word (not a generic one such as "довідка", "заява", "оплата", "дитина") must
match its name or keywords well; a query made of generic words only must match them all;
and a word naming a need that other institutions handle (лікарняний, собака, поліція...)
that the service does not mention rules the service out. Otherwise the search finds
nothing, and the bot can say so and point elsewhere (content/elsewhere.yaml).
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

# --- normalisation ----------------------------------------------------------------------

# U+0027 apostrophe, U+02BC modifier letter apostrophe (the Ukrainian standard), U+2019 right
# single quote, and the look-alikes people type instead of them.
APOSTROPHES = "'\u02bc\u2019\u2018`\u00b4\u02b9\u2032"
_APOSTROPHE_TABLE = str.maketrans("", "", APOSTROPHES)

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia",
    # Letters of Russian keyboards residents type: spelled as the nearest Ukrainian letter
    # (ы as и, э as е, ё as е — as most people type it anyway; ъ is dropped).
    "ы": "y", "э": "e", "ё": "e", "ъ": "",
}  # fmt: skip
# At the start of a word the 2010 rules write these letters differently.
_TRANSLIT_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}

_NON_WORD = re.compile(r"[^0-9a-z]+")
_CYRILLIC_WORD = re.compile(r"[а-яґєіїёыэъ]+")


def _transliterate_word(word: str) -> str:
    out: list[str] = []
    for index, letter in enumerate(word):
        if index == 0 and letter in _TRANSLIT_INITIAL:
            out.append(_TRANSLIT_INITIAL[letter])
        elif letter == "г" and index > 0 and word[index - 1] == "з":
            out.append("gh")  # "зг" is "zgh", so it is not read as "ж" (zh)
        else:
            out.append(_TRANSLIT.get(letter, letter))
    return "".join(out)


def transliterate(text: str) -> str:
    """Ukrainian Cyrillic → Latin by the 2010 national rules (lower case; others kept)."""
    lowered = text.lower().translate(_APOSTROPHE_TABLE)
    return _CYRILLIC_WORD.sub(lambda m: _transliterate_word(m.group(0)), lowered)


# Latin letter groups that stand for one Cyrillic letter, folded back to one symbol each so an
# edit distance counts letters the resident typed (the longest group first).
_LETTER_GROUPS = (
    ("shch", "щ"), ("zgh", "зг"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"),
    ("sh", "ш"), ("iu", "ю"), ("ia", "я"), ("ie", "є"),
)  # fmt: skip


def letters(word: str) -> str:
    """A normalised word with each transliterated letter as one symbol ("shliubu" → "шlюbu")."""
    for group, letter in _LETTER_GROUPS:
        word = word.replace(group, letter)
    return word


def normalize(text: str) -> str:
    """The one form every text is compared in: Latin lower-case words separated by spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", transliterate(folded)).split())


def _table(text: str) -> dict[str, tuple[str, ...]]:
    """Lines "key key2: word word2" → {normalised key: normalised words}."""
    table: dict[str, tuple[str, ...]] = {}
    for line in text.strip().splitlines():
        keys, _, words = line.partition(":")
        value = tuple(normalize(words).split())
        for key in keys.split():
            table[normalize(key)] = value
    return table


# Words that say nothing about which service is meant (in their normalised form): the
# grammar and the politeness of a whole sentence, in Ukrainian, Russian and English, and the
# city's own name.
_STOPWORDS_TEXT = """
    як де що чи мені мене мій моя моє мої мого моєї моєму нам нас наш наша наше ми я ти ви він
    вона вони в у на до з із зі за по про для від і й та або а але не ні це цей ця ці той ось
    хочу хочемо хотів хотіла хотілося б би треба потрібно потрібна потрібен потрібні необхідно
    можна можу може отримати оформити зробити зробить подати дізнатися дізнатись саме куди
    коли скільки який яка яке які якої якого якщо щоб чому навіщо свій свою своє свого їх його
    її є був була було буде будь ласка підкажіть підскажіть скажіть допоможіть порадьте
    цікавить питання запитання звернутися звертатися піти йти іти прийти вже ще теж також
    тут там зараз сьогодні завтра так ок ну добрий доброго день вечір ранок привіт вітаю дякую
    будь-ласка стати стану поставити встати чим робити де-небудь вам вас ваш ваша нього неї
    мною собі себе хто хтось щось кто-то что-то кто
    хмельницький хмельницькому хмельницькій хмельницького хмельницька місто місті міста
    міська міської міській рада ради раді цнап цнапі цнапу
    как где что чтобы куда когда сколько какой какая какое какие какую каких каком мне меня
    мой моя моё мое мои моего моей нам нас наш наша вы он она они это этот эта эти тот
    для во об обо из от со ко и или но ни же ли бы нужно надо нужна нужен нужны необходимо
    можно могу хочу хотел хотела хотелось получить сделать оформить подать узнать
    подскажите скажите пожалуйста помогите посоветуйте интересует вопрос обратиться
    стать встать поставить обращаться идти пойти прийти есть был была было будет уже еще
    тоже также тут там сейчас о с к у себя себе свой своего свою свое своё своей сам сама
    сами ты если чтоб который которая которое какие-то где-то этому этот этой этом этого
    этих
    сегодня завтра да нет добрый доброе утро вечер привет здравствуйте спасибо
    хмельницкий хмельницком хмельницкого городе город горсовет
    how do i a an the to for of my get need where can in on at what is me want make
    please hello hi thanks thank you could would should there is are it this that with
"""
STOPWORDS = frozenset(normalize(word) for word in _STOPWORDS_TEXT.split())

# Russian (and surzhyk) words of the catalogue's domain → the Ukrainian words the catalogue
# uses. "stem*" matches the stem with any ending of up to five letters (справка, справку,
# справки, справкой); a key without "*" matches that exact word. Keys are compared in the
# normalised form, so Russian typed in Latin letters ("spravka") is understood too.
_RUSSIAN_TEXT = """
справк*: довідка
свидетельств*: свідоцтво
удостоверени*: посвідчення
рожден* рождени* новорожден*: народження
брак брака браке браку браком браки: шлюб
женитьб* женить* пожениться замуж замужество: шлюб одруження
расписаться расписались: розписатися
развод* расторжени*: розлучення
смерти смерть умер умерла умершего скончал*: смерть помер
похорон*: поховання
прописат* прописк*: прописка
выписат*: виписатися
регистрац* регистрир*: реєстрація
зарегистр* зарегистрир* зареєстр*: зареєструвати реєстрація
перерегистрац*: перереєстрація
жительств* проживани*: проживання
место места месту месте: місце
пособи*: допомога
пенсионер*: пенсіонер
внутренн*: внутрішньо
перемещенн* перемещен*: переміщена
предприяти*: підприємство
закончил* истек*: закінчився
помощь помощи материальн*: допомога
выплат*: виплати
декрет*: декретні
многодетн*: багатодітна
семья семьи семье семью семьей семей семейн*: сімʼї
состав*: склад
лиценз*: ліцензія
разрешени*: дозвіл
чп флп фл-п спд спд-фл частник: фоп
предпринимател*: підприємець
ип: фоп
открыт*: відкрити
закрыт*: закрити
ликвидац*: ліквідація
прекращени*: припинення
земл*: земля
земельн*: земельна
участок участка участке участку участком: ділянка
приватиз*: приватизація
кадастров*: кадастровий
квартир*: квартира
дом дома доме дому домом домик: будинок
жиль* жилищн*: житло
недвижимост*: нерухомість
собственност*: власність
право права правом: право
очеред*: черга
учет учета учете: облік
загран загранник загранпаспорт* заграничн*: закордонний
паспорт*: паспорт
айди айдишк* айдишечк*: айді
карт* карточк*: картка
потерял* потеря* утер* утрат*: загубив втрата
украли кража похитили: вкрали
замен*: заміна
обмен*: обмін
поменя* меня* поміня* міня* обміня*: обмін заміна
снят* снимат*: зняти зняття
народил* народив* родил*: народження
фамили*: прізвище
идентификацион* идентификационн*: ідентифікаційний
инн ипн: рнокпп
налогов*: податковий
несудимост*: несудимість
судимост*: судимість
водительск*: водійські
водител*: водія
автомобил*: автомобіль
машин*: машина
техпаспорт*: техпаспорт
присвоени*: присвоєння
адрес*: адреса
номер*: номер
киоск*: кіоск
ларек ларька ларьк*: ларьок
торговл*: торгівля
временн*: тимчасова
сооружени*: споруда
субсиди*: субсидія
коммунал* коммуналк*: комунальні комуналку
льгот*: пільги
инвалидност* инвалид*: інвалідність
компенсац*: компенсація
проезд*: проїзд
переселен* беженц*: переселенець
впл: впо
ребенок ребенка ребенку ребенком ребенке ребёнок детей дети детям детьми: дитина
детск*: дитячі
выдач*: видача
оформлени*: оформлення
получени*: отримання
документ*: документ
заявлени* заявк*: заява
оплат*: оплата
юридическ*: юридична
юрлиц*: юридична особа
свадьб* свадеб*: весілля шлюб
переоформ*: оформити
лицо лица лицу: особа
ооо: тов
фирм* компани*: компанія
гражданин* граждан*: громадянин
дубликат*: дублікат
повторн*: повторне
копи*: копія
восстановит* восстанавлива*: відновити
получить: отримати
больничн*: лікарняний
собак* пес псина кошк* кот животн*: собака тварина
полици*: поліція
пенси*: пенсія
тариф*: тариф
свет света электричеств*: світло
водоканал*: водоканал
банк*: банк
консульств* посольств*: консульство
границ* заграниц*: кордон закордонний
выезд* выехат*: виїзд
задеклар* деклар*: декларування
загс рагс драцс: драцс шлюб народження смерть
нотариус*: нотаріус
врач*: лікар
больниц*: лікарня
"""
_RUSSIAN = _table(_RUSSIAN_TEXT.replace("*", ""))
_RUSSIAN_STEMS = frozenset(
    normalize(key)
    for line in _RUSSIAN_TEXT.strip().splitlines()
    for key in line.partition(":")[0].split()
    if key.endswith("*")
)
RUSSIAN_TAIL = 5  # the longest ending a Russian stem takes ("ениям" → "eniiam" is six: rare)

# Ways of asking that the catalogue's own keywords may not cover: a normalised word → words
# to look for as well (weaker than the word itself). English needs none: every service has
# an English name, and English synonyms of Ukrainian words only blur the ranking.
SYNONYMS: dict[str, tuple[str, ...]] = _table(
    """
    прописка прописатися прописать: реєстрація місця проживання
    виписка виписатися: зняття з реєстрації
    айді ід: id картка
    закордонний закордонник загран: закордонний паспорт
    фоп: фізична особа підприємець
    ипн інн код: рнокпп
    відновити відновлення: повторне дублікат
    """
)

# Words that alone do not say which service is meant: a query sharing only these with a
# service is not about it ("довідка з лікарні" is not "довідка про несудимість"). Stems in
# the normalised form; a word is generic when it starts with one of them.
_GENERIC_TEXT = """
    довідк витяг свідоцтв посвідчен заяв оплат сплат платит платіж черг реєстрац реєструв
    зареєстр дозвіл дозвол ліценз оформлен отриман видач зміна змін обмін обмін заміна замін
    втрат загуб втратив втратил вкрал номер документ послуг допомог пільг компенсац права
    право прав дитин дитя діти дітей дітям дитяч особ громадян україн картк виплат копі
    новий нова нове нового новая новое новую новой новым строк термін вартіст ціна адрес
    заявк запис питанн справ квартир будин місц комунал
    certificate statement application payment queue register registration permit licence
    license change replace issue number document service help benefit child children person
    card copy new address
"""
GENERIC = tuple(sorted({normalize(stem) for stem in _GENERIC_TEXT.split()}))

# Needs the city's administrative services centre does not handle; a service that does not
# mention such a word is not what the resident looks for ("паспорт для собаки"). The bot
# points these to other institutions (content/elsewhere.yaml).
_OUTSIDE_TEXT = """
    лікарнян собак собац тварин кішк котик поліці міліці пенсії тариф водоканал обленерго
    світло світла електроенерг відключен банк консульств посольств нотаріус розлучен
    лікар лікарн вакцин щеплен евакуатор эвакуатор штрафмайданчик
    sick dog police tariff bank embassy consulate notary divorce doctor hospital
"""
OUTSIDE = tuple(sorted({normalize(stem) for stem in _OUTSIDE_TEXT.split()}))


def _generic(word: str) -> bool:
    return word.startswith(GENERIC)


def _outside(word: str) -> bool:
    return word.startswith(OUTSIDE)


def russian(word: str) -> tuple[str, ...]:
    """The Ukrainian words a normalised Russian (or surzhyk) word stands for, if known."""
    exact = _RUSSIAN.get(word)
    if exact is not None:
        return exact
    for end in range(len(word) - 1, 1, -1):
        if len(word) - end > RUSSIAN_TAIL:
            break
        stem = word[:end]
        if stem in _RUSSIAN_STEMS:
            return _RUSSIAN[stem]
    if "ie" in word:  # surzhyk spelling Russian "е" as "є" ("рождєнія")
        return russian(word.replace("ie", "e"))
    return ()


# --- the index -----------------------------------------------------------------------------

# How much a word counts by the field it was found in: the name most, then the keywords
# (synonyms the staff add), the category, the description.
NAME, KEYWORD, CATEGORY, DESCRIPTION = 3.0, 2.4, 1.0, 0.6
STRONG_FIELDS = (NAME, KEYWORD)
# A word found in several fields of a service counts more, but with diminishing returns
# (BM25F-style saturation): name + keywords > name > keywords > description.
SATURATION = 2.0
# A keyword written by the staff that the query contains in full adds this share of its
# words' rarity ("паспорт" is a keyword of the ID card, not of the kiosk permit).
PHRASE_BONUS = 0.15
SYNONYM_WEIGHT = 0.7
# A result must match at least one specific query word this well in its name or keywords.
CONFIDENT = 0.8
FUZZY_LIMIT = 8


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """What the index knows of one service (both languages together)."""

    service_id: int
    names: Sequence[str] = ()
    keywords: Sequence[str] = ()
    category: Sequence[str] = ()
    description: Sequence[str] = ()
    code: str = ""  # breaks ties last (alphabetically)


@dataclass(frozen=True, slots=True)
class Hit:
    service_id: int
    score: float


@dataclass(frozen=True, slots=True)
class Term:
    """One word of the query, with the words it stands for (a translation, official words)."""

    word: str
    alternatives: tuple[tuple[str, float], ...]
    generic: bool
    outside: bool


@dataclass(frozen=True, slots=True)
class _Match:
    """How one query term meets the catalogue: the stems it may stand for, each with its
    weight × similarity² × rarity; the services that have it, well matched (similarity at
    least CONFIDENT, full-weight words only), in the name or keywords; those having it in
    the name; and, for a word of another institution's need, those mentioning it at all."""

    weighted: list[tuple[str, float]]
    sure: set[int]
    named: set[int]
    touched: set[int]


def _words(texts: Iterable[str]) -> set[str]:
    words: set[str] = set()
    for text in texts:
        words.update(w for w in normalize(text).split() if w not in STOPWORDS)
    return words


# Ukrainian (and Russian) word endings, in the normalised form, longest first: "паспорта" and
# "паспорт", "реєстрації" and "реєстрація" meet at one stem.
_ENDINGS_TEXT = """
    iieiu iamy amy ovi ovu ykh ymy oho omu iei oiu eiu iia iiu iii ii yi oi om iu ia ie ei
    ov iv akh iakh am iam a u y i e o
"""
_ENDINGS = tuple(sorted(_ENDINGS_TEXT.split(), key=len, reverse=True))
MIN_STEM = 5


def stem_of(word: str) -> str:
    """A light stem of a normalised word: the longest known ending cut off, if at least
    five letters remain (digits and short words are kept as they are)."""
    if len(word) <= MIN_STEM or not word.isalpha():
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def query_terms(query: str) -> list[Term]:
    """The query's meaningful words, each with its translations and official synonyms."""
    terms: list[Term] = []
    seen: set[str] = set()
    for word in normalize(query).split():
        if word in STOPWORDS or word in seen:
            continue
        seen.add(word)
        alternatives: dict[str, float] = {word: 1.0}
        translated = russian(word)
        for extra in translated:
            if extra not in STOPWORDS:
                alternatives.setdefault(extra, 1.0)
        for source in (word, *translated):
            for extra in SYNONYMS.get(source, ()):
                if extra not in STOPWORDS:
                    alternatives.setdefault(extra, SYNONYM_WEIGHT)
        if all(w in STOPWORDS for w in translated) and translated:
            continue  # a Russian filler word ("получить")
        full = [w for w, weight in alternatives.items() if weight == 1.0]
        terms.append(
            Term(
                word=word,
                alternatives=tuple(alternatives.items()),
                generic=_generic(word) or any(_generic(w) for w in translated),
                outside=any(_outside(w) for w in full),
            )
        )
    return terms


class ServiceIndex:
    """An inverted index over word stems with typo-tolerant lookup."""

    def __init__(self, docs: Iterable[SearchDoc]) -> None:
        # stem → {service: the summed weight of the fields it is in}
        self._postings: dict[str, dict[int, float]] = {}
        self._strong: dict[str, set[int]] = {}  # stem → services with it in name or keywords
        self._names: dict[str, set[int]] = {}  # stem → services with it in the name
        self._phrases: dict[int, list[frozenset[str]]] = {}  # the keywords, as stems
        self._tiebreak: dict[int, tuple[int, str]] = {}
        self._stem_of: dict[str, str] = {}  # every catalogue word → its stem
        self._count = 0
        for doc in docs:
            self._count += 1
            first_name = doc.names[0] if doc.names else ""
            self._tiebreak[doc.service_id] = (len(first_name), doc.code)
            for texts, weight in (
                (doc.names, NAME),
                (doc.keywords, KEYWORD),
                (doc.category, CATEGORY),
                (doc.description, DESCRIPTION),
            ):
                for stem in {self._add_word(word) for word in _words(texts)}:
                    posting = self._postings.setdefault(stem, {})
                    posting[doc.service_id] = posting.get(doc.service_id, 0.0) + weight
                    if weight in STRONG_FIELDS:
                        self._strong.setdefault(stem, set()).add(doc.service_id)
                    if weight == NAME:
                        self._names.setdefault(stem, set()).add(doc.service_id)
            phrases = {
                frozenset(self._stem_of[word] for word in _words([keyword]))
                for keyword in doc.keywords
            }
            self._phrases[doc.service_id] = [phrase for phrase in phrases if phrase]
        self._vocabulary = sorted(self._stem_of)
        self._letters = [letters(word) for word in self._vocabulary]
        count = self._count
        self._idf = {
            stem: math.log(1 + (count - len(posting) + 0.5) / (len(posting) + 0.5))
            for stem, posting in self._postings.items()
        }

    def _add_word(self, word: str) -> str:
        stem = self._stem_of.get(word)
        if stem is None:
            stem = self._stem_of[word] = stem_of(word)
        return stem

    def __len__(self) -> int:
        return self._count

    @property
    def vocabulary_size(self) -> int:
        return len(self._vocabulary)

    def _similar(self, word: str) -> dict[str, float]:
        """Catalogue stems close to the query word `word`, with a similarity in 0..1."""
        found: dict[str, float] = {}

        def keep(candidate: str, similarity: float) -> None:
            stem = self._stem_of[candidate]
            if similarity > found.get(stem, 0.0):
                found[stem] = similarity

        exact = word in self._stem_of
        if exact:
            keep(word, 1.0)
        own_stem = stem_of(word)
        if own_stem in self._postings:  # another form of the same word ("паспорта")
            found[own_stem] = max(found.get(own_stem, 0.0), 1.0)
            exact = True
        if len(word) >= 3:
            # Catalogue words that begin with the query word ("pasp" → pasport), and, for a
            # longer query, words sharing its stem ("dovidku" ~ "dovidka"). A three-letter
            # beginning is too little to be sure of.
            stem = word[: max(3, min(len(word), 5))]
            start = bisect_left(self._vocabulary, stem)
            for candidate in self._vocabulary[start:]:
                if not candidate.startswith(stem):
                    break
                if candidate.startswith(word):
                    keep(candidate, 0.9 if len(word) >= 4 else 0.7)
                    continue
                # Stems, not words: Ukrainian alternates і/о in the last syllable
                # ("власність" ~ "власності"), and endings differ by part of speech.
                other = self._stem_of[candidate]
                shared = _common_prefix(own_stem, other)
                if shared >= 5 and shared >= 0.6 * max(len(own_stem), len(other)):
                    keep(candidate, 0.85)
            # An inflected query word that begins with a catalogue word ("pasportom").
            for end in range(len(word) - 1, 3, -1):
                if word[:end] in self._stem_of and end >= 0.6 * len(word):
                    keep(word[:end], 0.88)
        if len(word) >= 5 and not exact:
            cutoff = 80.0 if len(word) <= 6 else 74.0
            for query, choices in ((word, self._vocabulary), (letters(word), self._letters)):
                # Letter by letter as well: «шлбу» lacks one letter of «шлюбу», not two.
                for _, score, i in process.extract(
                    query, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=FUZZY_LIMIT
                ):
                    keep(self._vocabulary[i], score / 100.0 * 0.95)
        return found

    def _match(self, term: Term, hit_stems: set[str]) -> _Match:
        """How one query term meets the catalogue; adds the stems it matched well."""
        weighted: list[tuple[str, float]] = []
        sure: set[int] = set()
        named: set[int] = set()
        touched: set[int] = set()
        for word, weight in term.alternatives:
            similar = self._similar(word)
            if not similar:
                continue
            closest = max(similar, key=lambda c: (similar[c], -len(c)))
            for candidate, found in similar.items():
                idf = self._idf[candidate]
                similarity = found
                if candidate != closest:
                    # The word meant is most likely the closest one: a rarer look-alike
                    # must not outweigh it ("registraton" ~ "registration", not
                    # "deregistration").
                    idf = min(idf, self._idf[closest])
                    similarity *= 0.9
                weighted.append((candidate, weight * similarity * similarity * idf))
                if found < CONFIDENT:
                    continue
                hit_stems.add(candidate)
                if weight < 1.0:
                    continue
                # Confidence is about how well the word matched, not its ranking.
                sure.update(self._strong.get(candidate, ()))
                named.update(self._names.get(candidate, ()))
                if term.outside:
                    touched.update(self._postings[candidate])
        return _Match(weighted, sure, named, touched)

    def _value(self, match: _Match, doc: int) -> float:
        """What one query term adds to a service's score (0 when it is not there)."""
        best = 0.0
        for stem, factor in match.weighted:
            fields = self._postings[stem].get(doc)
            if fields is not None:
                value = factor * fields * (SATURATION + 1) / (SATURATION + fields)
                best = max(best, value)
        return best

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        """The best-matching services, best first; empty when nothing matches confidently."""
        terms = query_terms(query)
        if not terms:
            return []
        hit_stems: set[str] = set()
        matches = [self._match(term, hit_stems) for term in terms]
        total = len(terms)
        # A word the catalogue has nothing like («построил», «закончились») cannot decide
        # which service is meant, so it does not rule out the generic words either; it still
        # counts against them ("квартира подобово" is not about a flat's ownership). A word
        # of another institution's need always counts.
        known = [
            (term, match)
            for term, match in zip(terms, matches, strict=True)
            if match.weighted or term.outside
        ]
        if any(not term.generic for term, _ in known):
            shown: set[int] = set()
            for term, match in known:
                if not term.generic:
                    shown |= match.sure
        else:
            # Only generic words ("права", "реєстрація квартири"): a service is meant when it
            # matches most of them and one of its keywords is said in full.
            generic_hits: dict[int, int] = {}
            for _, match in known:
                for doc in match.sure:
                    generic_hits[doc] = generic_hits.get(doc, 0) + 1
            shown = {
                doc
                for doc, count in generic_hits.items()
                if 2 * count > total
                and any(phrase <= hit_stems for phrase in self._phrases.get(doc, ()))
            }
        for term, match in zip(terms, matches, strict=True):
            if term.outside:
                # A need other institutions handle, which this service does not mention.
                shown &= match.touched
        ranked: list[tuple[tuple[float, int, int, str, int], Hit]] = []
        for doc in shown:
            values = [self._value(match, doc) for match in matches]
            found = sum(1 for value in values if value > 0)
            score = sum(values) * (0.5 + 0.5 * found / total)
            # A keyword the staff wrote that the query says in full ("закордонний паспорт").
            covered = [
                sum(self._idf[stem] for stem in phrase)
                for phrase in self._phrases.get(doc, ())
                if phrase <= hit_stems
            ]
            if covered:
                score += PHRASE_BONUS * max(covered)
            in_name = sum(1 for match in matches if doc in match.named)
            length, code = self._tiebreak.get(doc, (0, ""))
            ranked.append(((-round(score, 9), -in_name, length, code, doc), Hit(doc, score)))
        return [hit for _, hit in heapq.nsmallest(limit, ranked, key=lambda pair: pair[0])]
