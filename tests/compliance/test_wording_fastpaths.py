"""The wording check's fast paths give the same answers as the plain computations they replace."""

import dataclasses
import random
import re

from compliance import wording
from compliance.wording_data import en, zh

# The straightforward definitions, on the folded text itself.
PLAIN_LEET = re.compile(r"[0134578@$!|]+(?=[a-z])")
PLAIN_SPACED = re.compile(r"(?<![a-z0-9])[a-z](?:[ .\-_*/|]{1,3}[a-z](?![a-z0-9])){3,}")
PLAIN_TOKEN = re.compile(r"[a-z0-9]+")
CLAUSE_END = re.compile(r".*[.,;:!?。，；：！？]", re.DOTALL)


def plain_negated(text, start, english):
    window = text[max(0, start - (40 if english else 6)):start]
    m = CLAUSE_END.match(window)
    cut = m.end() if m else 0
    if english:
        return any(w in en.NEGATIONS for w in re.findall(r"[a-z']+", window[cut:])[-3:])
    return any(neg in window[cut:] for neg in zh.NEGATIONS)


def random_texts(alphabet, count, seed, longest=30):
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(longest))) for _ in range(count)]


def test_gated_chinese_trie_matches_the_plain_trie_at_every_position():
    words = [p.text for p in zh.PHRASES if not p.regex]
    plain = re.compile(wording._trie_regex([[re.escape(c) for c in w] for w in words]))
    gated = re.compile(wording._gated_trie_regex(words))
    rng = random.Random(3)
    alphabet = sorted(set("".join(words))) + list("，。 的了")
    texts = random_texts(alphabet, 1500, 3) + [rng.choice(words)[:-1] + rng.choice(words) for _ in range(500)]
    for text in texts:
        for pos in range(len(text) + 1):
            a, b = plain.search(text, pos), gated.search(text, pos)
            assert (a and a.span()) == (b and b.span()), (text, pos)


def test_gated_trie_without_a_second_character_still_finds_one_character_words():
    assert re.compile(wording._gated_trie_regex(["骗", "骗子"])).search("他是骗").span() == (2, 3)


def test_spaced_runs_are_the_plain_pattern_matches():
    for text in random_texts("ab ab ab.-_|x1", 4000, 5, 40) + ["a w a r r a n t", "x a r r e s t", "s.u.e  y-o-u"]:
        shape = wording._shape(text, wording._SPACED_SHAPE)
        assert list(wording._spaced_runs(shape)) == [m.span() for m in PLAIN_SPACED.finditer(text)], text


def test_leet_shape_pattern_matches_the_plain_pattern():
    for text in random_texts("aw4rr3nt@$!|0 7é", 3000, 7):
        shape = wording._shape(text, wording._LEET_SHAPE)
        assert [m.span() for m in wording._LEET_RE.finditer(shape)] == [m.span() for m in PLAIN_LEET.finditer(text)]


def test_negation_check_matches_the_last_three_words_of_the_clause():
    words = [*en.NEGATIONS, "cannot", "knot", "we", "will", "'not", "a"]
    rng = random.Random(9)
    for _ in range(3000):
        text = "".join(rng.choice(words) + rng.choice([" ", ", ", ". ", "'", " - "]) for _ in range(rng.randrange(8)))
        for start in range(len(text) + 1):
            assert wording._negated(text, start, True) == plain_negated(text, start, True), (text, start)
    for text in random_texts([*zh.NEGATIONS, "我", "会", "，", "。", " "], 1500, 11, 8):
        for start in range(len(text) + 1):
            assert wording._negated(text, start, False) == plain_negated(text, start, False), (text, start)


def test_tokens_are_the_alphanumeric_runs():
    for text in random_texts("ab1 ,.'-_é张ÀZ\t", 2000, 13):
        folded = text.lower()
        expected = folded.translate(wording._TOKEN_TABLE).split() if folded.isascii() else PLAIN_TOKEN.findall(folded)
        assert wording._tokens(folded) == expected


def test_one_translation_folds_traditional_chinese_and_case_together():
    text = "張先生ÄRREST ＡＢＣ 後果自負"
    tables = wording._tables()
    assert wording.normalise(text).text == text.translate(tables.bmp).casefold() == "张先生arrest abc 后果自负"


def test_a_lone_surrogate_is_folded_not_an_error():
    assert wording.normalise("sue\ud800 you").text == "sue\ud800 you"


def test_findings_compare_hash_and_replace_as_dataclasses():
    finding = wording.Finding("violence", "US.HARASS", "12 CFR 1006.14", 3, 9, "hurt you")
    same = wording.Finding("violence", "US.HARASS", "12 CFR 1006.14", 3, 9, "hurt you")
    assert finding == same and hash(finding) == hash(same)
    assert dataclasses.replace(finding, start=4).start == 4
    assert finding.to_dict()["text"] == "hurt you"
