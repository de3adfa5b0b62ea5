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

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
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
    slow: frozenset[str]         # characters whose fold is not exactly one character
    fold: dict[str, str]
    # ``one_to_one`` restricted to the BMP as a list indexed by code point (identity where
    # nothing folds): ``str.translate`` with a list avoids a dict miss per character.
    bmp: list[str]


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
    slow: set[str] = set()
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
            slow.add(ch)
        if cp < 0x10000 and not (len(folded) == 1 and _in(cp, _PUNCT_RANGES)):
            special.append(cp)
    for ch in INVISIBLE:
        fold[ch] = ""
        slow.add(ch)
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
    # A BMP-only class compiles to a constant-time lookup table in ``re``.
    return _Tables(one_to_one, re.compile(_char_class(special)), frozenset(slow), fold, bmp)


def _has_astral(text: str) -> bool:
    """Any character beyond the Basic Multilingual Plane (emoji, mathematical letters)?"""
    return len(text.encode("utf-16-le")) != 2 * len(text)


_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i", "|": "l"})
_LEET_RE = re.compile(r"[0134578@$!|]+(?=[a-z])")
_SPACED_HINT = re.compile(r"[ .\-_*/|][a-z][ .\-_*/|]+[a-z][ .\-_*/|]")
_SPACED_RE = re.compile(r"(?<![a-z0-9])[a-z](?:[ .\-_*/|]{1,3}[a-z](?![a-z0-9])){3,}")
_SPACED_SEP = re.compile(r"[ .\-_*/|]+")
_CJK_GAP = re.compile(r"[\s*.\-_|/~+]+(?=[\u3400-\u9fff])")


_LEET_CHARS = "0134578@$!|"          # first characters _LEET_RE can match
_SPACED_CHARS = " .-_*/|"            # _SPACED_HINT needs one of these
_GAP_CHARS = "*.-_|/~+"              # _CJK_GAP: these or whitespace (\\s)


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


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


class Normalised:
    """Folded text plus the map from its offsets back to the original string."""

    __slots__ = ("original", "text", "_origin", "_cuts", "_shifts")

    def __init__(self, original: str, text: str, origin: list[int] | None, cuts: list[int], shifts: list[int]):
        self.original = original
        self.text = text
        self._origin = origin      # per folded character: index in original (None: identity)
        self._cuts = cuts          # positions in ``text`` after which characters were deleted
        self._shifts = shifts      # cumulative count of deleted characters at each cut

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
        o_start = self._original_index(self._folded_index(start))
        o_end = self._original_index(self._folded_index(end - 1)) + 1
        return o_start, o_end


def normalise(text: str) -> Normalised:
    """Fold ``text`` for matching (see module docstring); offsets map back via ``to_original``."""
    origin: list[int] | None = None
    if text.isascii():
        folded = text.lower()
    else:
        tables = _tables()
        folded = None
        if not _has_astral(text):
            if tables.special.search(text) is None:
                folded = text
            elif tables.slow.isdisjoint(text):
                folded = text.translate(tables.bmp)
            if folded is not None:
                cased = folded.casefold()
                folded = cased if len(cased) == len(folded) else None
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

    # Leetspeak inside words: "w4rr4nt", "@rrest".  One character for one, offsets kept.
    # (Cheap pre-filters: ``in`` is a C substring search, far faster than a regex scan.)
    if _contains_any(folded, _LEET_CHARS) and _LEET_RE.search(folded):
        chars = None
        for m in _LEET_RE.finditer(folded):
            s, e = m.span()
            inside_word = s > 0 and folded[s - 1].isalpha() and folded[s - 1].isascii()
            leading_symbol = folded[s] in "@$" and (s == 0 or not folded[s - 1].isalnum())
            if inside_word or leading_symbol:
                if chars is None:
                    chars = list(folded)
                chars[s:e] = folded[s:e].translate(_LEET)
        if chars is not None:
            folded = "".join(chars)

    # Deletions: separators inside spaced-out words and between Chinese characters.
    deletions: list[tuple[int, int]] = []
    if _contains_any(folded, _SPACED_CHARS) and _SPACED_HINT.search(folded):
        for m in _SPACED_RE.finditer(folded):
            for sep in _SPACED_SEP.finditer(m.group()):
                deletions.append((m.start() + sep.start(), m.start() + sep.end()))
    if not folded.isascii() and (_contains_any(folded, _GAP_CHARS) or _has_space(folded)):
        for m in _CJK_GAP.finditer(folded):
            if m.start() > 0 and _is_cjk(folded[m.start() - 1]):
                deletions.append(m.span())
    cuts: list[int] = []
    shifts: list[int] = []
    if deletions:
        deletions.sort()
        pieces = []
        prev = 0
        removed = 0
        for lo, hi in deletions:
            pieces.append(folded[prev:lo])
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


@dataclass(frozen=True)
class Finding:
    category: str
    rule_id: str
    citation: str
    start: int      # offsets into the ORIGINAL text
    end: int
    text: str       # the original text matched

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
_TOKEN_RE = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> set[str]:
    if text.isascii():
        return set(text.translate(_TOKEN_TABLE).split())
    return set(_TOKEN_RE.findall(text))


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


class _Group:
    """Phrases searched together: one trie of the literals, then each pattern on its own
    (a pattern inside the trie's alternation would defeat ``re``'s first-character skip).

    ``searches`` holds (regex, phrase or None for the trie, required literals): a pattern
    whose required literals are absent from the text cannot match and is not run."""

    __slots__ = ("language", "literals", "searches")

    def __init__(self, language: str, phrases: Sequence[Phrase]):
        self.language = language
        self.literals = {PhraseMatcher._key(p.text, language): p for p in phrases if not p.regex}
        trie = _trie_regex([_literal_tokens(p, language) for p in phrases if not p.regex])
        searches: list[tuple[re.Pattern, Phrase | None, tuple]] = [(re.compile(trie), None, ())] if trie else []
        for p in phrases:
            if p.regex:
                rx = re.compile(p.text)
                searches.append((rx, p, _required_literals(rx)))
        self.searches = searches


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
        self._groups_by_word: dict[str, list[int]] = {}
        for keys, phrases in by_key.items():
            self._groups.append(_Group("en", phrases))
            for word in keys:
                self._groups_by_word.setdefault(word, []).append(len(self._groups) - 1)
        self._words = frozenset(self._groups_by_word)
        chinese = [p for p in phrases_by_language.get("zh", ()) if p.category in self.category_rules]
        self._chinese = _Group("zh", chinese) if chinese else None

    @staticmethod
    def _key(text: str, language: str) -> str:
        return _EN_SEP_RE.sub(" ", text).strip() if language == "en" else text

    def scan(self, norm: Normalised, facts: WordingFacts) -> list[Finding]:
        text = norm.text
        findings: list[Finding] = []
        present = self._words.intersection(_tokens(text))
        if present:
            seen: set[int] = set()
            for word in present:
                for index in self._groups_by_word[word]:
                    if index not in seen:
                        seen.add(index)
                        self._scan_group(self._groups[index], norm, facts, findings)
        if self._chinese is not None and not text.isascii():
            self._scan_group(self._chinese, norm, facts, findings)
        findings.sort(key=lambda f: (f.start, f.rule_id))
        return findings

    def _scan_group(self, group: _Group, norm: Normalised, facts: WordingFacts, findings: list[Finding]) -> None:
        text = norm.text
        for regex, pattern_phrase, required in group.searches:
            if required and not _may_match(required, text):
                continue
            self._search(regex, pattern_phrase, group, norm, facts, findings)

    def _search(self, regex, pattern_phrase, group, norm, facts, findings) -> None:
        text = norm.text
        english = group.language == "en"
        pos = 0
        while True:
            m = regex.search(text, pos)
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
            phrase = pattern_phrase or group.literals.get(self._key(m.group(), group.language))
            if phrase is None or facts.makes_lawful(phrase.lawful_if):
                continue
            if phrase.not_after and any(text.endswith(w, 0, start) for w in phrase.not_after):
                continue
            if phrase.negatable and _negated(text, start, english):
                continue
            rules = self.category_rules[phrase.category]
            if phrase.lawful_if == SUIT_AUTHORIZED and facts.time_barred and self.time_barred_rule:
                rules = (self.time_barred_rule,) + tuple(rules)
            o_start, o_end = norm.to_original(start, end)
            for rule in rules:
                findings.append(Finding(phrase.category, rule.rule_id, rule.citation, o_start, o_end,
                                        norm.original[o_start:o_end]))


_CLAUSE_END = re.compile(r"[.,;:!?。，；：！？]")
# Greedy: ends just after the LAST clause end in the window (same as the max over finditer).
_LAST_CLAUSE_END = re.compile(r".*[.,;:!?。，；：！？]", re.DOTALL)


def _negated(text: str, start: int, english: bool) -> bool:
    """A denial just before the phrase in the same clause ("we will not sue", "不会起诉")."""
    if english:
        window = text[max(0, start - 40):start]
        m = _LAST_CLAUSE_END.match(window)
        cut = m.end() if m else 0
        words = _NEG_WORD_RE.findall(window, cut)[-3:]
        return any(w in en_data.NEGATIONS for w in words)
    window = text[max(0, start - 6):start]
    m = _LAST_CLAUSE_END.match(window)
    cut = m.end() if m else 0
    return any(neg in window[cut:] for neg in zh_data.NEGATIONS)


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
