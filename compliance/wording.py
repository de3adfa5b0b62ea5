"""Wording checks: find threats, false authority, insults and the like in a message.

Two steps:

1. ``normalise`` folds the text so that disguises do not help: NFKC, case-folding,
   Traditional → Simplified Chinese (OpenCC ``t2s``), look-alike letters and punctuation,
   leetspeak inside words ("w4rr4nt"), spaced-out letters ("a r r e s t") and separators
   between Chinese characters ("打 断 腿").  It keeps a map back to the original offsets so
   the composer can highlight exactly what the collector typed.
2. ``PhraseMatcher`` runs one precompiled regular expression per language (a prefix trie of
   the literal phrases plus the few real patterns) over the folded text and turns matches
   into findings, consulting the case facts where a statement is lawful when true.

No Django; all tables are built once and cached.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Any, Iterable, Mapping, Sequence

from compliance.wording_data import (
    DEBT_DISCLOSURE, IS_ATTORNEY, JUDGMENT_EXISTS, SUIT_AUTHORIZED, Phrase, en as en_data, zh as zh_data,
)

# --- normalisation tables -----------------------------------------------------------

# Look-alike letters (Cyrillic, Greek) and punctuation, applied after case-folding.
HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q",
    "ԝ": "w", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w", "ɑ": "a", "ɡ": "g", "ı": "i",
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "·": ".", "•": ".", "∙": ".", "…": ".", "・": ".",
}
# Characters that vanish: zero-width and formatting characters used to split words.
INVISIBLE = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\ufeff"

_FOLD_RANGES = (
    (0x00A0, 0x3400), (0xF900, 0x10000), (0x1D400, 0x1D800), (0x1F100, 0x1F200),
)
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
# Fullwidth and ideographic punctuation fold to ASCII under NFKC; the patterns accept both,
# so a Simplified Chinese message with ordinary punctuation can skip the translation pass.
_PUNCT_RANGES = ((0x3000, 0x3040), (0xFF01, 0xFF10), (0xFF1A, 0xFF21), (0xFF3B, 0xFF41), (0xFF5B, 0xFF66))


def _in(cp: int, ranges) -> bool:
    return any(lo <= cp < hi for lo, hi in ranges)


def _fold_char(ch: str, t2s: Mapping[str, str]) -> str:
    if ch in INVISIBLE:
        return ""
    if ch in HOMOGLYPHS:
        return HOMOGLYPHS[ch]
    out = unicodedata.normalize("NFKC", ch)
    decomposed = unicodedata.normalize("NFD", out)
    if decomposed and decomposed[0] < "\u0530":
        # Latin, Greek, Cyrillic: strip accents ("ärrest" is "arrest").
        out = "".join(c for c in decomposed if not unicodedata.combining(c))
    elif unicodedata.combining(ch):
        return ""
    out = out.casefold()
    return "".join(t2s.get(c, HOMOGLYPHS.get(c, c)) for c in out)


def _char_class(codepoints: Iterable[int]) -> str:
    cps = sorted(set(codepoints))
    parts: list[str] = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = cps[i], cps[j]
        parts.append(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}")
        i = j + 1
    return "[" + "".join(parts) + "]" if parts else "[^\\s\\S]"


@dataclass(frozen=True)
class _Tables:
    one_to_one: dict[int, str]   # every single-character fold
    special: re.Pattern          # a BMP character that needs folding (ordinary CJK punctuation excluded)
    # Matches a whole BMP text with no ``special`` character and nothing for the steps
    # after folding (``_UNDISGUISED``): one scan where those two would take two.
    plain: re.Pattern
    fold: dict[str, str]
    # ``one_to_one`` restricted to the BMP as a list indexed by code point (identity where
    # nothing folds): ``str.translate`` with a list avoids a dict miss per character.
    bmp: list[str]
    # ``bmp`` then case-folded, so one translation does both (a second pass over the text
    # costs as much as a tenth of the translation).  A character this cannot fold on its
    # own (its fold, or the case-fold of its fold, is not exactly one character: "ß", "ﬁ",
    # zero-width space) translates to two or more characters, so a translation that
    # changed the text's length must be redone the slow way; checking the length is
    # cheaper than searching the text for such characters first.
    cased: list[str]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    import opencc

    converter = opencc.OpenCC("t2s")
    cjk = [chr(cp) for lo, hi in _CJK_RANGES for cp in range(lo, hi)]
    # One call, newline-separated, so OpenCC converts character by character.
    converted = converter.convert("\n".join(cjk)).split("\n")
    t2s = {src: dst for src, dst in zip(cjk, converted) if len(dst) == 1 and dst != src}

    one_to_one: dict[int, str] = {}
    fold: dict[str, str] = {}
    special: list[int] = []
    slow: set[int] = set()
    codepoints = [cp for lo, hi in _FOLD_RANGES for cp in range(lo, hi)]
    codepoints += [ord(c) for c in t2s]
    for cp in codepoints:
        ch = chr(cp)
        if unicodedata.category(ch) in ("Cs", "Cn", "Co"):
            continue
        folded = _fold_char(ch, t2s)
        if folded == ch:
            continue
        fold[ch] = folded
        if len(folded) == 1:
            one_to_one[cp] = folded
        else:
            slow.add(cp)
        if cp < 0x10000 and not (len(folded) == 1 and _in(cp, _PUNCT_RANGES)):
            special.append(cp)
    for ch in INVISIBLE:
        fold[ch] = ""
        slow.add(ord(ch))
        special.append(ord(ch))
    # Combining marks anywhere (e.g. after an ASCII letter) are special too.
    special.extend(range(0x0300, 0x0370))
    special.extend(range(0x1AB0, 0x1B00))
    special.extend(range(0x1DC0, 0x1E00))
    special.extend(range(0x20D0, 0x2100))
    special.extend(range(0xFE20, 0xFE30))
    bmp = [chr(cp) for cp in range(0x10000)]
    for cp, folded in one_to_one.items():
        if cp < 0x10000:
            bmp[cp] = folded
    cased = []
    for ch in bmp:
        lower = ch.casefold()
        cased.append(ch if lower == ch else lower)  # share the unchanged strings
    for cp in slow:
        if cp < 0x10000:
            cased[cp] = _NEEDS_SLOW_FOLD
    # BMP-only classes compile to constant-time lookup tables in ``re``.
    plain = "[^" + _char_class([*special, *map(ord, _DISGUISE_CHARS)])[1:] + "*\\Z"
    return _Tables(one_to_one, re.compile(_char_class(special)), re.compile(plain), fold, bmp, cased)


# What ``_Tables.cased`` holds for a character that does not fold one for one: any two
# characters (only the changed length is looked at).
_NEEDS_SLOW_FOLD = "\0\0"


def _has_astral(text: str) -> bool:
    """Any character beyond the Basic Multilingual Plane (emoji, mathematical letters)?"""
    # "surrogatepass": a lone surrogate (JSON can carry one) is one BMP code unit, not an error.
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i", "|": "l"})
_LEET_CHARS = "0134578@$!|"
_SEP_CHARS = " .-_*/|"               # what may separate the letters of a spaced-out word


def _shape_table(classes: Mapping[str, str]) -> bytes:
    """A ``bytes.translate`` table: each listed character to its class byte, the rest to "x"."""
    table = bytearray(b"x" * 256)
    for chars, cls in classes.items():
        for c in chars:
            table[ord(c)] = ord(cls)
    return bytes(table)


# Leetspeak and spaced-out words are found on a "shape" of the folded text: one byte per
# character naming its class ("a r r e s t" → b"a a a a a a").  ``str.encode`` (one "?" per
# non-ASCII character) and ``bytes.translate`` cost a few instructions per character; a regex
# character class costs tens at every position it is tried.  Offsets are the same.
_LEET_SHAPE = _shape_table({_LEET_CHARS: "l", "abcdefghijklmnopqrstuvwxyz": "a"})
_SPACED_SHAPE = _shape_table({_SEP_CHARS: " ", "abcdefghijklmnopqrstuvwxyz": "a", "0123456789": "0"})
# (Patterns below start with a literal, not a repeat, so that ``re`` has a prefix to skip to.)
# On the leet shape: a run of [0134578@$!|] just before a letter.
_LEET_RE = re.compile(rb"ll*(?=a)")
# On the spaced shape: a letter standing alone, the next letter alone too.
_SPACED_HINT = re.compile(rb" a  *a ")
# On the spaced shape: four or more letters standing alone, one to three separators apart.
# (The lookbehind, nothing alphanumeric before the first letter, comes after that letter so
# that ``re`` skips ahead to letters instead of trying every position.)
_SPACED_RE = re.compile(rb"a(?<![a0]a)(?: {1,3}a(?![a0])){3,}")
_SPACED_SEP = re.compile(rb" +")
_LETTER = ord("a")
# Every character ``re``'s ``\s`` (``str.isspace``) accepts: spelt out, the class is a plain
# lookup table instead of a Unicode category test at every position.
_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
_GAP_CHARS = "*.-_|/~+"              # _CJK_GAP: these or whitespace
_GAP = "[" + re.escape(_WHITESPACE + _GAP_CHARS) + "]"
# Separators between two Chinese characters.  The lookbehind follows the first separator
# so that ``re`` still skips ahead to separators; inside a run that does not follow a
# Chinese character it fails at every position, as the run's first character is no
# Chinese character.
_CJK_GAP = re.compile(_GAP + "(?<=[\u3400-\u9fff]" + _GAP + ")" + _GAP + "*(?=[\u3400-\u9fff])")
# Text without any character the steps after folding look for (leetspeak, spaced-out
# words, separators between Chinese characters) is left as folded.  Chinese text often has
# none: one scan instead of a substring test for each of some thirty characters.
_DISGUISE_CHARS = _LEET_CHARS + _SEP_CHARS + _GAP_CHARS + _WHITESPACE
_UNDISGUISED = re.compile("[^" + re.escape(_DISGUISE_CHARS) + "]*\\Z")


def _shape(text: str, table: bytes) -> bytes:
    return text.encode("ascii", "replace").translate(table)


def _contains_any(text: str, chars: str) -> bool:
    for c in chars:
        if c in text:
            return True
    return False


def _has_space(text: str) -> bool:
    """Any character ``re``'s ``\\s`` matches in a str pattern (str.isspace, as str.split uses)."""
    if not text:
        return False
    parts = text.split(None, 1)
    return len(parts) != 1 or len(parts[0]) != len(text)


def _spaced_runs(shape: bytes) -> Iterable[tuple[int, int]]:
    """Spans of spaced-out words ("a r r e s t"): the matches of ``_SPACED_RE.finditer``.

    Every run contains a ``_SPACED_HINT`` match (the separator before its second letter,
    then that letter, separators, the third letter and a separator) that starts one to three
    characters after the run does.  So the first run at or after ``pos`` starts at most three
    characters before the first hint at or after ``pos``, or later; a hint may also begin
    at the separator just before a run.  The full pattern, which would have to be tried at
    every letter, is only tried at those few positions, and there only at a letter that
    starts a word (what its lookbehind demands: a call to ``re`` costs ten byte tests).
    Ordinary text holds few hints."""
    pos = 0
    while True:
        hint = _SPACED_HINT.search(shape, pos)
        if hint is None:
            return
        h = hint.start()
        for q in range(max(pos, h - 3), h + 2):
            if shape[q] != _LETTER or (q and shape[q - 1] in b"a0"):
                continue
            m = _SPACED_RE.match(shape, q)
            if m is not None:
                yield m.span()
                pos = m.end()
                break
        else:
            pos = h + 2


def _article_before_word(letters: str) -> bool:
    """Whether a spaced-out run of single letters ("awarrant") begins with the English word
    "a" or "I" standing before a word the phrase tables know, rather than with the first
    letter of such a word ("arrest", "idiot")."""
    if letters[0] not in "ai" or len(letters) < 5:
        return False
    known = _phrase_words()
    return known.match(letters, 1) is not None and known.match(letters) is None


@lru_cache(maxsize=None)
def _phrase_words() -> re.Pattern:
    """The English phrase tables' words of four letters or more, longest first."""
    words = {word for phrase in en_data.PHRASES if not phrase.regex
             for word in re.findall(r"[a-z]{4,}", phrase.text)}
    words.update(key for phrase in en_data.PHRASES for key in phrase.keys if len(key) >= 4)
    return re.compile("|".join(sorted(words, key=lambda w: (-len(w), w))))


class Normalised:
    """Folded text plus the map from its offsets back to the original string."""

    __slots__ = ("original", "text", "_origin", "_cuts", "_shifts", "_negations")

    def __init__(self, original: str, text: str, origin: list[int] | None, cuts: list[int], shifts: list[int]):
        self.original = original
        self.text = text
        self._origin = origin      # per folded character: index in original (None: identity)
        self._cuts = cuts          # positions in ``text`` after which characters were deleted
        self._shifts = shifts      # cumulative count of deleted characters at each cut
        self._negations: list[tuple[int, int]] | None = None  # see ``spells_negation``

    def spells_negation(self, lo: int, hi: int) -> bool:
        """Is an English negation word spelt, as a substring, inside ``text[lo:hi]``?

        A cheap necessary condition for ``_negated``: a threat usually has no negation
        before it, and the exact test (a slice, a reversal and a regex) costs several times
        more.  The negations' places are found once per text, when first needed."""
        spans = self._negations
        if spans is None:
            spans = self._negations = _negation_spans(self.text)
        if not spans:
            return False
        # (end, start) pairs by end: walk back from the last one ending by ``hi``.
        for k in range(bisect_right(spans, (hi, hi)) - 1, -1, -1):
            end, start = spans[k]
            if start >= lo:
                return True
            if end <= lo:
                return False
        return False

    def _folded_index(self, pos: int) -> int:
        if not self._cuts:
            return pos
        k = bisect_right(self._cuts, pos)
        return pos + (self._shifts[k - 1] if k else 0)

    def _original_index(self, folded_pos: int) -> int:
        if self._origin is None:
            return folded_pos
        return self._origin[folded_pos]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Span [start, end) of ``text`` → span of ``original``."""
        # _original_index(_folded_index(...)) of both ends, inlined: once per finding.
        last = end - 1
        cuts = self._cuts
        if cuts:
            shifts = self._shifts
            k = bisect_right(cuts, start)
            if k:
                start += shifts[k - 1]
            k = bisect_right(cuts, last)
            if k:
                last += shifts[k - 1]
        origin = self._origin
        if origin is None:
            return start, last + 1
        return origin[start], origin[last] + 1


_EN_NEGATION_WORDS = tuple(sorted(en_data.NEGATIONS))


def _negation_spans(text: str) -> list[tuple[int, int]]:
    """(end, start) of every occurrence of an English negation word in ``text``, sorted."""
    spans = []
    for word in _EN_NEGATION_WORDS:
        at = text.find(word)
        while at >= 0:
            spans.append((at + len(word), at))
            at = text.find(word, at + 1)
    spans.sort()
    return spans


def normalise(text: str) -> Normalised:
    """Fold ``text`` for matching (see module docstring); offsets map back via ``to_original``."""
    origin: list[int] | None = None
    if text.isascii():
        folded = text.lower()
    else:
        tables = _tables()
        folded = None
        if not _has_astral(text):
            if tables.plain.match(text):
                # Case-folding cannot make a character the steps below look for.
                cased = text.casefold()
                if len(cased) == len(text):
                    return Normalised(text, cased, None, [], [])
            elif tables.special.search(text) is None:
                cased = text.casefold()
                folded = cased if len(cased) == len(text) else None
            else:
                folded = text.translate(tables.cased)
                if len(folded) != len(text):
                    folded = None
        if folded is None:
            # Rare: characters that fold to several or to none ("ß", "ﬁ", zero-width space).
            pieces: list[str] = []
            origin = []
            fold = tables.fold
            for i, ch in enumerate(text):
                out = fold.get(ch)
                if out is None:
                    out = ch.casefold()
                pieces.append(out)
                origin.extend([i] * len(out))
            folded = "".join(pieces)
            origin.append(len(text))
        if _UNDISGUISED.match(folded):
            return Normalised(text, folded, origin, [], [])

    # Leetspeak inside words: "w4rr4nt", "@rrest".  One character for one, offsets kept.
    # (Cheap pre-filter: ``in`` is a C substring search.)
    if _contains_any(folded, _LEET_CHARS):
        chars = None
        for m in _LEET_RE.finditer(_shape(folded, _LEET_SHAPE)):
            s, e = m.span()
            inside_word = s > 0 and folded[s - 1].isalpha() and folded[s - 1].isascii()
            leading_symbol = folded[s] in "@$" and (s == 0 or not folded[s - 1].isalnum())
            if inside_word or leading_symbol:
                if chars is None:
                    chars = list(folded)
                chars[s:e] = folded[s:e].translate(_LEET)
        if chars is not None:
            folded = "".join(chars)

    # Deletions: separators inside spaced-out words and between Chinese characters, as
    # (start, end, alternate): ``alternate`` marks a spaced-out word whose separators are all
    # one character long ("a r r e s t"), whose letters are every other character.
    deletions: list[tuple[int, int, bool]] = []
    if _contains_any(folded, _SEP_CHARS):
        shape = _shape(folded, _SPACED_SHAPE)
        for start, end in _spaced_runs(shape):
            if shape.count(b"a", start, end) * 2 - 1 == end - start:
                if _article_before_word(folded[start:end:2]):
                    start += 2  # "a w a r r a n t" is "a warrant"
                deletions.append((start, end, True))
            else:
                for sep in _SPACED_SEP.finditer(shape, start, end):
                    deletions.append((sep.start(), sep.end(), False))
    if not folded.isascii() and (_contains_any(folded, _GAP_CHARS) or _has_space(folded)):
        deletions.extend((m.start(), m.end(), False) for m in _CJK_GAP.finditer(folded))
    cuts: list[int] = []
    shifts: list[int] = []
    if deletions:
        deletions.sort()
        pieces = []
        prev = 0
        removed = 0
        for lo, hi, alternate in deletions:
            pieces.append(folded[prev:lo])
            if alternate:
                # The same cuts as deleting each separator in turn, without a loop per letter.
                letters = (hi - lo + 1) // 2
                pieces.append(folded[lo:hi:2])
                cuts.extend(range(lo - removed + 1, lo - removed + letters))
                shifts.extend(range(removed + 1, removed + letters))
                removed += letters - 1
            else:
                cuts.append(lo - removed)
                removed += hi - lo
                shifts.append(removed)
            prev = hi
        pieces.append(folded[prev:])
        folded = "".join(pieces)
    return Normalised(text, folded, origin, cuts, shifts)


# --- matching -------------------------------------------------------------------------

_EN_SEP = r"[\W_]+"
_EN_SEP_RE = re.compile(_EN_SEP)
_NEG_WORD_RE = re.compile(r"[a-z']+")


def _phrase_regex(phrase: Phrase, language: str) -> str:
    if phrase.regex:
        return phrase.text
    if language == "en":
        return _EN_SEP.join(re.escape(word) for word in phrase.text.split())
    return re.escape(phrase.text)


def _trie_regex(words: Sequence[Sequence[str]]) -> str:
    """A regex matching any of the token sequences, factored by common prefix (longest first)."""
    trie: dict = {}
    for tokens in words:
        node = trie
        for tok in tokens:
            node = node.setdefault(tok, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = []
        for tok in sorted(k for k in node if k):
            alts.append(tok + emit(node[tok]))
        optional = "" in node
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if optional else body

    return emit(trie)


def _gated_trie_regex(words: Sequence[str]) -> str:
    """The regex ``_trie_regex`` builds for these words spelt character by character (it
    matches the same phrase at every position), arranged for many different first characters.

    The plain trie starts with one branch per first character, and ``re`` runs through all of
    them at every position where any phrase could start: with ~90 Chinese first characters
    that was most of the time spent on a message.  Here the first character is checked against
    a class and the second against another, which rules out most positions at once; the trie
    then continues from the second character, and where a phrase ends a lookbehind checks that
    it began with one of the first characters that lead there.  Branches and optional endings
    keep the plain trie's order, so the same phrase is preferred.

    A node with many branches (the second character has a few hundred) is split into buckets,
    each behind a lookahead for its branches' first characters: ``re`` tries branches one by
    one, and a class test rules out a whole bucket at once.  The branches of a node start with
    distinct characters, so at most one of them can match and bucketing changes no match.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word[1:]:
            node = node.setdefault(ch, {})
        node.setdefault("", set()).add(word[0])

    def char_class(chars) -> str:
        return _char_class(ord(c) for c in chars)

    def emit(node: dict, rest: str) -> str:
        chars = sorted(k for k in node if k)
        alts = [re.escape(ch) + emit(node[ch], rest + re.escape(ch)) for ch in chars]
        if len(alts) > _BUCKETED:
            # A lookahead costs about ten skipped branches: ~sqrt(n / 10) buckets balance the two.
            size = -(-len(alts) // max(2, round(math.sqrt(len(alts) / 10))))
            alts = [f"(?={char_class(chars[i:i + size])})(?:" + "|".join(alts[i:i + size]) + ")"
                    for i in range(0, len(alts), size)]
        if "" in node:  # after the longer phrases, as the plain trie's greedy ``(?:...)?``
            alts.append(f"(?<={char_class(node[''])}{rest})")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    # A one-character word has no second character to check.
    gate = f"(?={char_class(w[1] for w in words)})" if all(len(w) > 1 for w in words) else ""
    return char_class(w[0] for w in words) + gate + emit(trie, "")


# Branches of one trie node beyond which ``_gated_trie_regex`` buckets them (below this, two
# lookaheads cost as much as the branches they would let ``re`` skip).
_BUCKETED = 40


def _literal_tokens(phrase: Phrase, language: str) -> list[str]:
    if language == "en":
        words = phrase.text.split()
        tokens: list[str] = []
        for i, word in enumerate(words):
            if i:
                tokens.append(_EN_SEP)
            tokens.extend(re.escape(c) for c in word)
        return tokens
    return [re.escape(c) for c in phrase.text]


@dataclass(frozen=True)
class WordingFacts:
    """Case facts that decide whether a statement is true and intended."""

    suit_authorized: bool = False
    judgment_exists: bool = False
    time_barred: bool = False
    is_attorney: bool = False

    @classmethod
    def of(cls, facts: Any) -> "WordingFacts":
        if facts is None:
            return cls()
        if isinstance(facts, WordingFacts):
            return facts
        if isinstance(facts, Mapping):
            return cls(**{k: bool(facts.get(k, False)) for k in ("suit_authorized", "judgment_exists", "time_barred", "is_attorney")})
        return cls(**{k: bool(getattr(facts, k, False)) for k in ("suit_authorized", "judgment_exists", "time_barred", "is_attorney")})

    def makes_lawful(self, condition: str | None) -> bool:
        if condition is None:
            return False
        if condition == SUIT_AUTHORIZED:
            # 1006.26(b): never sue or threaten suit on a time-barred debt.
            return self.suit_authorized and not self.time_barred
        if condition == JUDGMENT_EXISTS:
            return self.judgment_exists
        if condition == IS_ATTORNEY:
            return self.is_attorney
        raise ValueError(f"unknown condition {condition!r}")


@dataclass(frozen=True, init=False)
class Finding:
    category: str
    rule_id: str
    citation: str
    start: int      # offsets into the ORIGINAL text
    end: int
    text: str       # the original text matched

    def __init__(self, category: str, rule_id: str, citation: str, start: int, end: int, text: str):
        # Straight into the instance dict: the generated frozen ``__init__`` pays an
        # ``object.__setattr__`` call per field, twice the cost, and a scan builds one per match.
        fields = self.__dict__
        fields["category"] = category
        fields["rule_id"] = rule_id
        fields["citation"] = citation
        fields["start"] = start
        fields["end"] = end
        fields["text"] = text

    def to_dict(self) -> dict:
        return {"category": self.category, "rule_id": self.rule_id, "citation": self.citation,
                "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class RuleRef:
    rule_id: str
    citation: str


# Common words never used to index a phrase (they occur in nearly every message).
_STOPWORDS = frozenset("""
a an the and or of to in on at for from by with your you we our us i i'm it is are be will
would can could may might this that these those have has had do does did not no all any
some they them their he she his her me my ll s re ve d t m am was were been if then than
so as up out about into over after before just only also more most very get got call pay
""".split())
_TOKEN_TABLE = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})


# The same tables for ``bytes.translate``: ``str.translate`` looks each distinct character
# up in the dict again on every call, raising and clearing a KeyError for most of them.
# ASCII text: punctuation becomes a space, and so do the separators "\x1c"-"\x1f", which
# ``str.split`` splits on and ``bytes.split`` does not.  Other text, encoded with "?" for
# each non-ASCII character: everything but [a-z0-9] becomes a space (the runs of [a-z0-9]).
_TOKEN_ASCII = (bytes(0x20 if 0x1C <= c <= 0x1F else ord(chr(c).translate(_TOKEN_TABLE)) for c in range(128))
                + bytes(range(128, 256)))
_TOKEN_BYTES = bytes(c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789" else 0x20 for c in range(256))


def _tokens(text: str) -> list[bytes]:
    """The words of ``text`` that can select a phrase group (duplicates kept), in ASCII
    bytes: the words are only looked up, and decoding them to ``str`` costs a copy each."""
    if text.isascii():
        return text.encode("ascii").translate(_TOKEN_ASCII).split()
    return text.encode("ascii", "replace").translate(_TOKEN_BYTES).split()


def _index_key(phrase: Phrase) -> tuple[str, ...]:
    if phrase.keys:
        return phrase.keys
    words = phrase.text.translate(_TOKEN_TABLE).split()
    useful = [w for w in words if w not in _STOPWORDS] or words
    return (max(useful, key=len),)


def _required_literals(pattern: re.Pattern) -> tuple[tuple[str, ...], ...]:
    """Substrings any match of ``pattern`` must contain: each item is a tuple of alternatives,
    one of which must occur (``"x" in text`` is a fast C search, used as a pre-filter).

    Only top-level literal runs and top-level groups that are a plain alternation of
    literals are used; anything else (classes, repeats, lookarounds) just ends a run.
    Returns () when nothing certain can be said (e.g. case-insensitive patterns).
    """
    if pattern.flags & re.IGNORECASE:
        return ()
    try:
        from re import _constants as c, _parser as parser
        tree = parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # pragma: no cover - private module layout changed
        return ()

    def literal_run(items) -> str | None:
        out = []
        for op, av in items:
            if op is not c.LITERAL:
                return None
            out.append(chr(av))
        return "".join(out)

    required: list[tuple[str, ...]] = []
    run: list[str] = []

    def flush():
        if run:
            required.append(("".join(run),))
            run.clear()

    def walk(items):
        for op, av in items:
            if op is c.LITERAL:
                run.append(chr(av))
            elif op is c.SUBPATTERN and not av[1] and not av[2]:
                body = list(av[3])
                if len(body) == 1 and body[0][0] is c.BRANCH:
                    flush()
                    alts = [literal_run(list(alt)) for alt in body[0][1][1]]
                    if alts and all(alts):
                        required.append(tuple(alts))
                else:
                    walk(body)
            elif op is c.BRANCH:
                flush()
                alts = [literal_run(list(alt)) for alt in av[1]]
                if alts and all(alts):
                    required.append(tuple(alts))
            else:
                flush()

    walk(list(tree))
    flush()
    return tuple(required)


def _may_match(required: tuple[tuple[str, ...], ...], text: str) -> bool:
    for alts in required:
        for alt in alts:
            if alt in text:
                break
        else:
            return False
    return True


def _trie_required(phrases: Sequence[Phrase], keys: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Required literals (as for ``_required_literals``) of an English group's trie: one of
    its phrases' words other than the group's key must occur, the word of each phrase that
    is likeliest to be absent (e.g. "frozen" or "freeze" for the "account" group).  A
    phrase made of key words alone can always match: then nothing is required."""
    words = []
    for phrase in phrases:
        others = [w for w in phrase.text.split() if w not in keys]
        if not others:
            return ()
        useful = [w for w in others if w not in _STOPWORDS] or others
        words.append(max(useful, key=len))
    return (tuple(dict.fromkeys(words)),)


class _Group:
    """Phrases searched together: one trie of the literals, then each pattern on its own
    (a pattern inside the trie's alternation would defeat ``re``'s first-character skip).

    ``searches`` holds (regex, phrase or None for the trie, required literals): a pattern
    whose required literals are absent from the text cannot match and is not run.

    ``keys`` are the words that selected an English group (present in the text whenever
    it is searched).

    ``patterns_gate``, for a group of several patterns that all have required literals,
    finds any pattern's first required literal: when it finds none, no pattern is run.
    One search for all of them is cheaper than a substring test each (a Chinese substring
    test is slow: about as slow as the search)."""

    __slots__ = ("language", "literals", "searches", "patterns_gate")

    def __init__(self, language: str, phrases: Sequence[Phrase], keys: tuple[str, ...] = ()):
        self.language = language
        self.literals = {PhraseMatcher._key(p.text, language): p for p in phrases if not p.regex}
        literals = [p for p in phrases if not p.regex]
        searches: list[tuple[re.Pattern, Phrase | None, tuple]] = []
        if literals and language == "en":
            trie = _trie_regex([_literal_tokens(p, language) for p in literals])
            searches.append((re.compile(trie), None, _trie_required(literals, keys)))
        elif literals:
            searches.append((re.compile(_gated_trie_regex([p.text for p in literals])), None, ()))
        for p in phrases:
            if p.regex:
                rx = re.compile(p.text)
                # Fewest alternatives and longest literals first: the likeliest to be absent.
                required = sorted(_required_literals(rx), key=lambda alts: (len(alts), -min(map(len, alts))))
                searches.append((rx, p, tuple(required)))
        self.searches = searches
        # (A pattern with no required literal, e.g. a top-level alternation of patterns, leaves the group ungated.)
        firsts = [required[0] for _, phrase, required in searches if phrase is not None and required]
        gated = len(firsts) >= _PATTERNS_GATED and len(firsts) == sum(p.regex for p in phrases)
        self.patterns_gate = re.compile("|".join(re.escape(lit) for alts in firsts for lit in alts)) if gated else None


# Fewer patterns than this are each cheaper to test on their own than to gate.
_PATTERNS_GATED = 3


class PhraseMatcher:
    """All phrases of one pack (and its overlay), compiled once.

    ``category_rules`` maps a category to the rules it breaks in this pack, e.g.
    ``{"violence": (RuleRef("US.HARASS", "12 CFR 1006.14"),)}``; ``time_barred_rule`` is the
    rule a threat of suit breaks when the debt is time-barred (US.TIME_BARRED).

    English phrases are indexed by their least common word: a message is tokenised once
    and only the phrase groups whose word occurs are run.  Chinese phrases form one regex,
    a prefix trie whose branches start with distinct characters.
    """

    def __init__(
        self,
        phrases_by_language: Mapping[str, Sequence[Phrase]],
        category_rules: Mapping[str, Sequence[RuleRef]],
        time_barred_rule: RuleRef | None = None,
    ):
        self.category_rules = {k: tuple(v) for k, v in category_rules.items()}
        self.time_barred_rule = time_barred_rule
        english = [p for p in phrases_by_language.get("en", ()) if p.category in self.category_rules]
        by_key: dict[tuple[str, ...], list[Phrase]] = {}
        for phrase in english:
            by_key.setdefault(_index_key(phrase), []).append(phrase)
        self._groups: list[_Group] = []
        self._groups_by_word: dict[bytes, list[int]] = {}  # keyed as ``_tokens`` spells words
        for keys, phrases in by_key.items():
            self._groups.append(_Group("en", phrases, keys))
            for word in keys:
                self._groups_by_word.setdefault(word.encode(), []).append(len(self._groups) - 1)
        self._words = frozenset(self._groups_by_word)
        chinese = [p for p in phrases_by_language.get("zh", ()) if p.category in self.category_rules]
        self._chinese = _Group("zh", chinese) if chinese else None

    @staticmethod
    def _key(text: str, language: str) -> str:
        return _EN_SEP_RE.sub(" ", text).strip() if language == "en" else text

    def scan(self, norm: Normalised, facts: WordingFacts) -> list[Finding]:
        text = norm.text
        findings: list[Finding] = []
        # Beside the findings: each one's span in ``text`` and whether a denial can reach it,
        # and the spans of phrases found denied, for the lists that share one denial.
        spans: list[tuple[int, int, bool]] = []
        denied: list[tuple[int, int]] = []
        present = self._words.intersection(_tokens(text))
        if present:
            groups_by_word = self._groups_by_word
            # In build order, so findings that tie in the sort below come out the same way
            # in every process (set order follows the string hash seed).
            for index in sorted({i for word in present for i in groups_by_word[word]}):
                self._scan_group(self._groups[index], norm, facts, findings, spans, denied)
        if self._chinese is not None and not text.isascii():
            self._scan_group(self._chinese, norm, facts, findings, spans, denied)
        if denied and findings:
            findings = _without_denied_list_items(text, findings, spans, denied)
        if len(findings) > 1:
            # Two phrases of one category may match the same words: one finding for them.
            findings = list(dict.fromkeys(findings))
            findings.sort(key=_FINDING_ORDER)
        return findings

    def _scan_group(self, group: _Group, norm: Normalised, facts: WordingFacts, findings: list[Finding],
                    spans: list, denied: list) -> None:
        text = norm.text
        gate = group.patterns_gate
        patterns_possible = gate is None or gate.search(text) is not None
        for regex, pattern_phrase, required in group.searches:
            if pattern_phrase is not None and not patterns_possible:
                continue
            if required and not _may_match(required, text):
                continue
            self._search(regex, pattern_phrase, group, norm, facts, findings, spans, denied)

    def _search(self, regex, pattern_phrase, group, norm, facts, findings, spans, denied) -> None:
        # Names bound once: this loop runs once per match, and a threat repeated in a long
        # message matches many times.
        text = norm.text
        english = group.language == "en"
        literals = group.literals
        search = regex.search
        to_original = norm.to_original
        original = norm.original
        category_rules = self.category_rules
        append = findings.append
        pos = 0
        while True:
            m = search(text, pos)
            if m is None:
                return
            start, end = m.span()
            if end == start:
                pos = start + 1
                continue
            if english and ((start > 0 and text[start - 1].isalnum() and text[start].isalnum())
                            or (end < len(text) and text[end].isalnum() and text[end - 1].isalnum())):
                pos = start + 1  # inside a longer word: "shell" is not "hell"
                continue
            pos = end
            phrase = pattern_phrase
            if phrase is None:
                # Most matches are spelt exactly as the phrase's key; the rest are normalised.
                matched = text[start:end]
                phrase = literals.get(matched) or literals.get(self._key(matched, group.language))
                if phrase is None:
                    continue
            lawful_if = phrase.lawful_if
            if lawful_if is not None and facts.makes_lawful(lawful_if):
                continue
            if phrase.not_after and any(text.endswith(w, 0, start) for w in phrase.not_after):
                continue
            if phrase.negatable and (not english or norm.spells_negation(start - _EN_WINDOW, start)) \
                    and _denied(text, start, end, english):
                denied.append((start, end))
                continue
            category = phrase.category
            rules = category_rules[category]
            if lawful_if == SUIT_AUTHORIZED and facts.time_barred and self.time_barred_rule:
                rules = (self.time_barred_rule,) + tuple(rules)
            o_start, o_end = to_original(start, end)
            quoted = original[o_start:o_end]
            for rule in rules:
                append(Finding(category, rule.rule_id, rule.citation, o_start, o_end, quoted))
                spans.append((start, end, phrase.negatable))


# By place in the message, then rule (a C key function: no Python call per finding).
_FINDING_ORDER = attrgetter("start", "rule_id")


_CLAUSE_CHARS = ".,;:!?。，；：！？"
_CLAUSE_END = re.compile(f"[{_CLAUSE_CHARS}]")


def _reversed_alternation(words: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(w[::-1]) for w in sorted(words, key=len, reverse=True)) + ")"


# Both are matched at the start of the REVERSED window before the phrase, so ``re`` makes one
# attempt anchored at the phrase instead of trying every position of the window.
# English: a negation (one word, or a few read as one: "at no point") followed by at most
# two words (runs of [a-z']) of the 40 characters before the phrase, with no clause end after
# it; articles and the infinitive's "to" do not count as words ("never threaten you with a
# lawsuit", "we never ask you to take out a loan", "nobody is going to arrest you").
_EN_WINDOW = 40
_EN_ARTICLES = ("a", "an", "the", "to")
_EN_GAP = rf"[^a-z'{_CLAUSE_CHARS}]+"
_EN_SKIP_ARTICLES = "(?:" + _reversed_alternation(_EN_ARTICLES) + _EN_GAP + ")*"
_EN_NEGATED = re.compile(
    rf"[^a-z'{_CLAUSE_CHARS}]*{_EN_SKIP_ARTICLES}(?:[a-z']+{_EN_GAP}{_EN_SKIP_ARTICLES}){{0,2}}"
    + "(?P<negation>" + _reversed_alternation(en_data.NEGATIONS) + r")(?![a-z'])"
)
# Chinese: a negation within the ten characters before the phrase, after the last clause
# end and after the last word that starts a consequence ("不还钱就起诉": the negation is the
# condition's), a dare ("不要逼我们起诉") or a boast ("没有人能阻止我们起诉").
_ZH_WINDOW = 10
_ZH_BREAKS = "就则便逼迫阻拦挡"  # "没有人能阻止我们起诉你" asserts the threat
_ZH_NEGATED = re.compile(
    f"[^{_CLAUSE_CHARS}{_ZH_BREAKS}]*(?P<negation>" + _reversed_alternation(zh_data.NEGATIONS) + ")")
# A negation whose last characters begin the phrase: "不会" before "会起诉".
_ZH_OVERLAPPING = tuple((w, k) for w in zh_data.NEGATIONS for k in range(1, len(w)))


def _negation_before(text: str, start: int, english: bool) -> re.Match | None:
    """A negation word just before ``start`` in the same clause, matched on the reversed window
    (``m.end()`` characters before ``start`` is where it begins)."""
    # A word cut by the window's edge ("[can]not") counts as it reads inside the window.
    if english:
        return _EN_NEGATED.match(text[max(0, start - _EN_WINDOW):start][::-1])
    return _ZH_NEGATED.match(text[max(0, start - _ZH_WINDOW):start][::-1])


def _negated(text: str, start: int, english: bool) -> bool:
    """A negation word just before the phrase in the same clause ("we will not sue", "不会起诉")."""
    return _negation_before(text, start, english) is not None


# English: the negation belongs to a condition ("if you do not pay, ..."), or a new subject
# speaks between it and the phrase ("do not ignore this or we will sue"): neither denies.
_EN_CONDITION = re.compile(r"(?<![a-z'])(?:if|unless|until|when|whenever|should|once)(?:[^a-z']+[a-z']+){0,2}[^a-z']*$")
_EN_NEW_SUBJECT = re.compile(
    r"(?<![a-z'])(?:we|i|you|they|he|she|it|(?:our|my|the) [a-z]+)"
    r"(?:'ll|'re|'m|'ve|'d|\s+(?:will|shall|would|are|am|is|have|has|can|may|might|could|must|going))(?![a-z'])"
)
# "Or not" offers an alternative, it denies nothing: "whether you like it or not, legal action ...".
_EN_OR_NOT = re.compile(r"(?<![a-z'])or\W*$")


def _en_words(words: Iterable[str]) -> str:
    """Whole words (or symbols such as "=") as one alternation, longest first."""
    return "(?:" + "|".join(
        (r"(?<![a-z'])" if w[0].isalpha() else "") + re.escape(w) + (r"(?![a-z'])" if w[-1].isalpha() else "")
        for w in sorted(words, key=len, reverse=True)) + ")"


# Between a negation and the phrase: words that make the negation assert the phrase
# (en_data.ASSERTING: "no payment = arrest", "don't make us call your employer", "we won't
# hesitate to sue").
_EN_ASSERTING = re.compile(r"(?<!by any )(?<!by all )(?<!by no )" + _en_words(en_data.ASSERTING))
# Just before a negation: a negation that doubts it ("don't think we won't sue you").
_EN_DOUBTED = re.compile(
    r"(?<![a-z'])(?:not|never|cannot|[a-z]*n't|dont|cant|wont)\s+" + _en_words(en_data.DOUBTING)
    + rf"(?:{_EN_GAP}[a-z']+){{0,2}}[^a-z'{_CLAUSE_CHARS}]*$"
)
# Just before a negation: the debtor, whose wish it denies ("you don't want to be arrested").
_EN_DEBTOR = re.compile(r"(?<![a-z'])you(?:\s+(?:do|would|really|certainly|surely))*\s*$")
_EN_WISH = re.compile(_en_words(en_data.WISHING))
# A comma just after a negation does not end its clause: what follows is a parenthetical
# ("we will not, under any circumstances, contact your employer"; "我们不会，也无权，联系您的单位")
# or the rest of the clause ("we will never, ever threaten you").  The negation must follow a
# word of its clause: a lone "no," or "没有，" answers a question.  Then, as for a negation
# without the comma, at most two words (English) or a few characters (Chinese) before the phrase.
_EN_COMMA_NEGATIONS = sorted(en_data.NEGATIONS - en_data.REPORTING - {"no", "nor", "neither", "no way"},
                              key=len, reverse=True)
_EN_NEGATION_COMMA = re.compile(
    rf"[a-z']{_EN_GAP}(?P<negation>" + "|".join(map(re.escape, _EN_COMMA_NEGATIONS)) + r")(?![a-z'])"
    rf"[^a-z'{_CLAUSE_CHARS}]*,(?:[^{_CLAUSE_CHARS}]{{1,30}},)?"
    rf"(?:[^a-z'{_CLAUSE_CHARS}]*[a-z']+){{0,2}}[^a-z'{_CLAUSE_CHARS}]*\Z"
)
_ZH_NEGATION_COMMA = re.compile(
    rf"[^{_CLAUSE_CHARS}{_ZH_BREAKS}](?P<negation>" + "|".join(map(re.escape, zh_data.NEGATIONS)) + ")"
    rf"[,，](?:[^{_CLAUSE_CHARS}{_ZH_BREAKS}]{{1,8}}[,，])?[^{_CLAUSE_CHARS}{_ZH_BREAKS}]{{0,4}}\Z"
)
_COMMA_WINDOW = 40


def _negation_across_comma(text: str, start: int, english: bool) -> re.Match | None:
    lo = max(0, start - _COMMA_WINDOW)
    if text.find(",", lo, start) < 0 and (english or text.find("，", lo, start) < 0):
        return None
    return (_EN_NEGATION_COMMA if english else _ZH_NEGATION_COMMA).search(text, lo, start)


_EN_SCAM = re.compile(r"scam|fraud|criminal|impost[eo]r|phish|fake|bogus")
_SENTENCE_END = re.compile(r"[.!?。！？]")


def _a_not_a(text: str, at: int) -> bool:
    """Is the negation at ``at`` the middle of an A-not-A question ("要不要", "是不是", "会不会")?"""
    return 0 < at < len(text) - 1 and text[at] in zh_data.A_NOT_A and text[at - 1] == text[at + 1]


_ZH_NEGATION_ALT = "(?:" + "|".join(map(re.escape, sorted(zh_data.NEGATIONS, key=len, reverse=True))) + ")"
_ZH_DOUBTING = "(?:" + "|".join(zh_data.DOUBTING) + ")"
# A negation that a doubting verb follows ("别以为"), and one that such a pair precedes.
_ZH_DOUBTS = re.compile(f"[^{_CLAUSE_CHARS}]{{0,2}}{_ZH_DOUBTING}")
_ZH_DOUBTED = re.compile(f"(?:{_ZH_NEGATION_ALT}|别)[^{_CLAUSE_CHARS}]{{0,2}}{_ZH_DOUBTING}[^{_CLAUSE_CHARS}]{{0,6}}$")
_ZH_REPORTED_AFTER = re.compile(f"[^{_CLAUSE_CHARS}]{{0,2}}(?:" + "|".join(zh_data.REPORTED_AFTER) + ")")
_ZH_REPORTING = re.compile("(?:" + "|".join(zh_data.REPORTING) + f")[^{_CLAUSE_CHARS}]{{0,6}}$")
_ZH_SCAM = re.compile("|".join(zh_data.SCAM_WORDS))


def _zh_denies(text: str, at: int, word: str) -> bool:
    """Does the negation ``word`` at ``at`` deny what follows it, rather than ask (A-not-A),
    doubt ("别以为") or be doubted ("别以为不会")?"""
    return (not _a_not_a(text, at) and _ZH_DOUBTS.match(text, at + len(word)) is None
            and _ZH_DOUBTED.search(text, max(0, at - 14), at) is None)


def _zh_denied(text: str, start: int, end: int) -> bool:
    for word, k in _ZH_OVERLAPPING:
        if text.startswith(word, start - k) and _zh_denies(text, start - k, word):
            return True
    # The farthest negation in the window first; past one that does not deny, look on after it.
    lo = max(0, start - _ZH_WINDOW)
    while lo < start:
        m = _ZH_NEGATED.match(text[lo:start][::-1])
        if m is None:
            break
        word = m.group("negation")[::-1]
        at = start - m.end()
        if _zh_denies(text, at, word):
            return True
        lo = at + 1
    if _negation_across_comma(text, start, False) is not None:
        return True
    # Someone else's threat, named: "如有人以坐牢相威胁", "冒充公安的电话说您会被拘留，请勿相信".
    if _ZH_REPORTED_AFTER.match(text, end) is not None:
        return True
    if _ZH_REPORTING.search(text, max(0, start - 10), start) is not None:
        sentence = max((s.end() for s in _SENTENCE_END.finditer(text, 0, start)), default=0)
        after = _SENTENCE_END.search(text, end)
        return _ZH_SCAM.search(text, sentence, after.start() if after else len(text)) is not None
    return False


def _denied(text: str, start: int, end: int, english: bool, depth: int = 0) -> bool:
    """Does a denial in the same clause reach the phrase ``text[start:end]``?"""
    if not english:
        return _zh_denied(text, start, end)
    m = _negation_before(text, start, True)
    if m is not None:
        negation = m.group("negation")[::-1]
        negation_start = start - m.end()
    else:
        m = _negation_across_comma(text, start, True)
        if m is None:
            return False
        negation = m.group("negation")
        negation_start = m.start("negation")
    negation_end = negation_start + len(negation)
    if negation in en_data.REPORTING:
        # A scam warning names the threat anywhere in its sentence ("if anyone threatens you with
        # arrest, it is a scam"), though not inside the phrase ("we say you committed fraud").
        sentence = max((s.end() for s in _SENTENCE_END.finditer(text, 0, negation_start)), default=0)
        after = _SENTENCE_END.search(text, end)
        return (_EN_SCAM.search(text, sentence, negation_start) is not None
                or _EN_SCAM.search(text, end, after.start() if after else len(text)) is not None
                or (depth < 3 and _denied(text, negation_start, negation_end, True, depth + 1)))
    if negation == "not" and _EN_OR_NOT.search(text, max(0, negation_start - 6), negation_start):
        return False
    if _EN_NEW_SUBJECT.search(text, negation_end, end):
        return False  # "stop pretending and we will sue you": the threat has its own subject
    if negation in en_data.IMPOSTORS:
        return True  # "if someone claims to be a police officer ...": even inside a condition
    if _EN_CONDITION.search(text, max(0, negation_start - 25), negation_start):
        return False
    if _EN_ASSERTING.search(text, negation_end, start):
        return False
    before = max(0, negation_start - 30)
    if _EN_DOUBTED.search(text, before, negation_start):
        return False
    if _EN_WISH.search(text, negation_end, start) and _EN_DEBTOR.search(text, before, negation_start):
        return False
    return True


# What may stand between two items of one list: "arrested or jailed", "a lawsuit, arrest,
# or jail", "sue you or garnish", "拘留或坐牢", "上门、报警".
_EN_LIST_GAP = re.compile(
    r"(?:\s*(?:,|\bor\b|\band\b|\bnor\b)\s*|\s+(?:you|your|a|an|the|any|even|ever|be|being|get|getting)(?=[\s,]))+\s*"
)
_EN_CONJUNCTION = re.compile(r",|\bor\b|\band\b|\bnor\b")
_ZH_LIST_GAP = re.compile(r"\s*(?:或者|或是|以及|还是|或|和|及|与|、|，)\s*被?")


def _without_denied_list_items(text: str, findings: list, spans: list, denied: list) -> list:
    """Drop the findings that continue a list whose first item a denial reaches ("you will not
    be arrested or jailed"), unless a new subject speaks ("do not ignore this or we will sue"),
    and those inside a denied phrase ("arrest" in "there is no warrant for your arrest")."""
    reached = sorted(denied)
    kept = []
    for index in sorted(range(len(findings)), key=lambda i: spans[i][0]):
        start, end, negatable = spans[index]
        if negatable and any(d_start <= start and end <= d_end for d_start, d_end in denied):
            continue
        if negatable and any(_continues_list(text, item_end, start, end) for _, item_end in reached):
            reached.append((start, end))
            continue
        kept.append(findings[index])
    return kept


def _continues_list(text: str, item_end: int, start: int, end: int) -> bool:
    if item_end > start or start - item_end > 40:
        return False
    if text.isascii():
        gap = _EN_LIST_GAP.fullmatch(text, item_end, start)
        return (gap is not None and _EN_CONJUNCTION.search(gap.group()) is not None
                and _EN_NEW_SUBJECT.search(text, item_end, end) is None)
    return (_ZH_LIST_GAP.fullmatch(text, item_end, start) is not None
            or _EN_LIST_GAP.fullmatch(text, item_end, start) is not None)


PHRASES = {"en": tuple(en_data.PHRASES), "zh": tuple(zh_data.PHRASES)}


def phrases_for(pack_codes: Iterable[str]) -> dict[str, tuple[Phrase, ...]]:
    codes = set(pack_codes)
    return {lang: tuple(p for p in items if p.packs is None or codes & set(p.packs)) for lang, items in PHRASES.items()}


# --- required content -----------------------------------------------------------------

# 1006.18(e)(1): the first communication says the collector is attempting to collect a debt
# and that information obtained will be used for that purpose; (e)(2): later ones say they
# are from a debt collector.  Same language as the rest of the message (1006.18(e)).
_REQUIRED = {
    ("initial_disclosure", "en"): (
        re.compile(r"attempt\w*[\W_]+to[\W_]+collect[\W_]+a[\W_]+debt"),
        re.compile(r"information[\W_]+(?:\w+[\W_]+){0,2}will[\W_]+be[\W_]+used[\W_]+for[\W_]+that[\W_]+purpose"),
    ),
    ("initial_disclosure", "zh-Hans"): (
        re.compile(r"(?:试图|正在|旨在)(?:收取|催收|追讨|收回)(?:一笔)?债务"),
        re.compile(r"(?:获得|获取|取得)的(?:任何)?信息(?:都)?将(?:被)?用于(?:该|此|这一)目的"),
    ),
    ("later_disclosure", "en"): (re.compile(r"from[\W_]+a[\W_]+debt[\W_]+collector"),),
    ("later_disclosure", "zh-Hans"): (re.compile(r"来自(?:一名|一家|一个)?(?:债务)?催收(?:人|方|员|机构|公司)|债务催收(?:人|方|机构)(?:发出|发送)"),),
    # 1006.6(e): a clear and simple way to opt out of electronic messages.
    ("opt_out", "en"): (re.compile(r"reply[\W_]+stop|text[\W_]+stop|unsubscribe|opt[\W_]*out"),),
    ("opt_out", "zh-Hans"): (re.compile(r"回复[\W_]*(?:td|t|stop|退订)|退订"),),
}


def has_required(text: str | Normalised, requirement: str, language: str) -> bool:
    """Does the message carry every part of a required statement (disclosure, opt-out)?"""
    norm = text if isinstance(text, Normalised) else normalise(text)
    patterns = _REQUIRED.get((requirement, language)) or _REQUIRED[(requirement, "en")]
    return all(p.search(norm.text) for p in patterns)


# Words that reveal a debt, checked only where revealing it is forbidden.
_DEBT_WORDS = {"en": re.compile(en_data.DEBT_WORDS), "zh": re.compile(zh_data.DEBT_WORDS)}


def debt_disclosures(text: str | Normalised, rule: RuleRef) -> list[Finding]:
    norm = text if isinstance(text, Normalised) else normalise(text)
    out = []
    for rx in _DEBT_WORDS.values():
        for m in rx.finditer(norm.text):
            s, e = norm.to_original(*m.span())
            out.append(Finding(DEBT_DISCLOSURE, rule.rule_id, rule.citation, s, e, norm.original[s:e]))
    return sorted(out, key=lambda f: f.start)
