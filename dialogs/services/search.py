"""Finding a city service from what a resident types: pure, in memory, no database.

Everything — the catalogue and the query — is brought to one form before it is compared:
NFKC, lower case, the three apostrophes (' ʼ ’ and their look-alikes) dropped, Cyrillic
written in Latin letters by the official Ukrainian national transliteration (Cabinet of
Ministers resolution No. 55 of 27 January 2010), punctuation turned into spaces. So
"Сімʼї", "сім'ї", "СІМ’Ї" and "simi" meet as "simi", and "propyska" finds "прописка".

A query word matches a catalogue word exactly, as a prefix ("пасп" → паспорт), by a shared
stem ("довідку" → довідка) or, when it is long enough, by edit distance (rapidfuzz) so typos
still find their service. Words are weighted by where they occur (name and keywords count
most) and by how rare they are (IDF), so "довідка" alone does not drown "склад сім'ї".
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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
    # Letters of Russian keyboards residents sometimes type: spelled the nearest way.
    "ы": "y", "э": "e", "ё": "io", "ъ": "",
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


def normalize(text: str) -> str:
    """The one form every text is compared in: Latin lower-case words separated by spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", transliterate(folded)).split())


# Words that say nothing about which service is meant (in their normalised form).
_STOPWORDS_TEXT = """
    як де що чи мені мене мій моя моє мої нам ми я ти ви в у на до з із зі за по про для від
    і й та або а але не це ось хочу треба потрібно потрібна потрібен потрібні можна отримати
    оформити зробити зробить дізнатися де де саме куди коли скільки який яка яке які свій свою
    своє їх його її як де нужно получить сделать как где мне
    how do i a an the to for of my get need where can in on at what is me want make
"""
STOPWORDS = frozenset(normalize(word) for word in _STOPWORDS_TEXT.split())

# Ways of asking that the catalogue's own keywords may not cover: a normalised word → words
# to look for as well (weaker than the word itself). English needs none: every service has
# an English name, and English synonyms of Ukrainian words only blur the ranking.
SYNONYMS: dict[str, tuple[str, ...]] = {
    normalize(word): tuple(normalize(x) for x in extra.split())
    for word, extra in {
        "прописка": "реєстрація місця проживання",
        "прописатися": "реєстрація місця проживання",
        "прописать": "реєстрація місця проживання",
        "виписка": "зняття з реєстрації",
        "виписатися": "зняття з реєстрації",
        "айді": "id картка",
        "ід": "id картка",
        "закордонний": "закордонний паспорт",
        "закордонник": "закордонний паспорт",
        "загран": "закордонний паспорт",
        "фоп": "фізична особа підприємець",
        "ипн": "рнокпп",
        "інн": "рнокпп",
        "код": "рнокпп",
    }.items()
}

# --- the index -----------------------------------------------------------------------------

# How much a word counts by the field it was found in.
NAME, KEYWORD, CATEGORY, DESCRIPTION = 3.0, 3.0, 1.0, 0.6
STRONG_FIELDS = (NAME, KEYWORD)
SYNONYM_WEIGHT = 0.7
# A result must match at least one query word this well in its name or keywords.
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


@dataclass(frozen=True, slots=True)
class Hit:
    service_id: int
    score: float


@dataclass
class _Posting:
    weights: dict[int, float] = field(default_factory=dict)

    def add(self, doc: int, weight: float) -> None:
        if weight > self.weights.get(doc, 0.0):
            self.weights[doc] = weight


def _words(texts: Iterable[str]) -> set[str]:
    words: set[str] = set()
    for text in texts:
        words.update(w for w in normalize(text).split() if w not in STOPWORDS)
    return words


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class ServiceIndex:
    """An inverted index over normalised words with typo-tolerant lookup."""

    def __init__(self, docs: Iterable[SearchDoc]) -> None:
        self._postings: dict[str, _Posting] = {}
        self._count = 0
        for doc in docs:
            self._count += 1
            for texts, weight in (
                (doc.names, NAME),
                (doc.keywords, KEYWORD),
                (doc.category, CATEGORY),
                (doc.description, DESCRIPTION),
            ):
                for word in _words(texts):
                    self._postings.setdefault(word, _Posting()).add(doc.service_id, weight)
        self._vocabulary = sorted(self._postings)
        self._idf = {
            word: math.log(1 + self._count / len(posting.weights))
            for word, posting in self._postings.items()
        }

    def __len__(self) -> int:
        return self._count

    @property
    def vocabulary_size(self) -> int:
        return len(self._vocabulary)

    def _similar(self, word: str) -> dict[str, float]:
        """Catalogue words close to `word`, with a similarity in 0..1."""
        found: dict[str, float] = {}

        def keep(candidate: str, similarity: float) -> None:
            if similarity > found.get(candidate, 0.0):
                found[candidate] = similarity

        if word in self._postings:
            keep(word, 1.0)
        if len(word) >= 3:
            # Catalogue words that begin with the query word ("pasp" → pasport), and, for a
            # longer query, words sharing its stem ("dovidku" ~ "dovidka").
            stem = word[: max(3, min(len(word), 5))]
            start = bisect_left(self._vocabulary, stem)
            for candidate in self._vocabulary[start:]:
                if not candidate.startswith(stem):
                    break
                if candidate.startswith(word):
                    keep(candidate, 0.9 if len(word) >= 4 else 0.8)
                    continue
                shared = _common_prefix(word, candidate)
                if shared >= 5 and shared >= 0.6 * max(len(word), len(candidate)):
                    keep(candidate, 0.85)
            # An inflected query word that begins with a catalogue word ("pasportom").
            for end in range(len(word) - 1, 3, -1):
                if word[:end] in self._postings and end >= 0.6 * len(word):
                    keep(word[:end], 0.88)
        if len(word) >= 5:
            cutoff = 80.0 if len(word) <= 6 else 74.0
            for candidate, score, _ in process.extract(
                word,
                self._vocabulary,
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                limit=FUZZY_LIMIT,
            ):
                keep(candidate, score / 100.0 * 0.95)
        return found

    def query_words(self, query: str) -> list[tuple[str, float]]:
        """The query's meaningful words with their weight, synonyms added."""
        words = [w for w in dict.fromkeys(normalize(query).split()) if w not in STOPWORDS]
        expanded: dict[str, float] = {word: 1.0 for word in words}
        for word in words:
            for extra in SYNONYMS.get(word, ()):
                if extra not in STOPWORDS and extra not in expanded:
                    expanded[extra] = SYNONYM_WEIGHT
        return list(expanded.items())

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        """The best-matching services, best first; empty when nothing matches confidently."""
        words = self.query_words(query)
        if not words:
            return []
        scores: dict[int, float] = {}
        confident: set[int] = set()
        matched: dict[int, float] = {}
        total = sum(weight for _, weight in words)
        for word, query_weight in words:
            best: dict[int, float] = {}
            strong: dict[int, float] = {}
            similar = self._similar(word)
            closest = max(similar, key=lambda c: (similar[c], -len(c)), default="")
            for candidate, found in similar.items():
                idf = self._idf[candidate]
                similarity = found
                if candidate != closest:
                    # The word meant is most likely the closest one: a rarer look-alike
                    # must not outweigh it ("registraton" ~ "registration", not
                    # "deregistration").
                    idf = min(idf, self._idf[closest])
                    similarity *= 0.9
                for doc, field_weight in self._postings[candidate].weights.items():
                    value = similarity * similarity * field_weight * idf
                    if value > best.get(doc, 0.0):
                        best[doc] = value
                    # Confidence is about how well the word matched, not its ranking.
                    if field_weight in STRONG_FIELDS and found > strong.get(doc, 0.0):
                        strong[doc] = found
            for doc, value in best.items():
                scores[doc] = scores.get(doc, 0.0) + value * query_weight
                matched[doc] = matched.get(doc, 0.0) + query_weight
            for doc, similarity in strong.items():
                if similarity >= CONFIDENT and query_weight == 1.0:
                    confident.add(doc)
        ranked = sorted(
            (
                Hit(doc, score * (0.5 + 0.5 * matched[doc] / total))
                for doc, score in scores.items()
                if doc in confident
            ),
            key=lambda hit: (-hit.score, hit.service_id),
        )
        return ranked[:limit]
