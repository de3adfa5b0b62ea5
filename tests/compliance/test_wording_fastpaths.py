"""The wording check's fast paths give the same answers as the plain computations they replace."""

import dataclasses
import random
import re
from datetime import datetime, timezone

from compliance import wording
from compliance.engine import DEFAULT
from compliance.packs import build_matcher
from compliance.wording_data import en, zh

# The straightforward definitions, on the folded text itself.
PLAIN_LEET = re.compile(r"[0134578@$!|]+(?=[a-z])")
PLAIN_SPACED = re.compile(r"(?<![a-z0-9])[a-z](?:[ .\-_*/|]{1,3}[a-z](?![a-z0-9])){3,}")
PLAIN_TOKEN = re.compile(r"[a-z0-9]+")
CLAUSE_END = re.compile(r".*[.,;:!?。，；：！？]", re.DOTALL)


CONSEQUENCE_OR_DARE = re.compile(r".*[就则便逼迫阻拦挡]", re.DOTALL)
NEGATION_WORDS = [re.compile(r"(?<![a-z'])" + re.escape(negation) + r"(?![a-z'])") for negation in en.NEGATIONS]


def plain_negated(text, start, english):
    window = text[max(0, start - (40 if english else 10)):start]
    m = CLAUSE_END.match(window)
    cut = m.end() if m else 0
    if english:
        # A negation (one word or several: "at no point") followed by at most two words, not
        # counting articles and "to".
        clause = window[cut:]
        for negation in NEGATION_WORDS:
            for n in negation.finditer(clause):
                words = [w for w in re.findall(r"[a-z']+", clause[n.end():]) if w not in ("a", "an", "the", "to")]
                if len(words) <= 2:
                    return True
        return False
    m = CONSEQUENCE_OR_DARE.match(window, cut)
    return any(neg in window[m.end() if m else cut:] for neg in zh.NEGATIONS)


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


def test_negation_check_matches_the_last_three_words_of_the_clause_articles_aside():
    words = [*en.NEGATIONS, "cannot", "knot", "we", "will", "'not", "a", "an", "the", "thea", "to", "at", "no", "point"]
    rng = random.Random(9)
    for _ in range(3000):
        text = "".join(rng.choice(words) + rng.choice([" ", ", ", ". ", "'", " - "]) for _ in range(rng.randrange(8)))
        for start in range(len(text) + 1):
            assert wording._negated(text, start, True) == plain_negated(text, start, True), (text, start)
    for text in random_texts([*zh.NEGATIONS, "我", "会", "，", "。", " ", "就", "逼"], 1500, 11, 8):
        for start in range(len(text) + 1):
            assert wording._negated(text, start, False) == plain_negated(text, start, False), (text, start)


def test_tokens_are_the_alphanumeric_runs():
    for text in random_texts("ab1 ,.'-_é张ÀZ\t\x1c\x1f\x0b", 2000, 13):
        folded = text.lower()
        expected = folded.translate(wording._TOKEN_TABLE).split() if folded.isascii() else PLAIN_TOKEN.findall(folded)
        assert [token.decode() for token in wording._tokens(folded)] == expected


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


def test_cjk_gap_pattern_matches_the_plain_pattern():
    """Runs of whitespace and separators between two Chinese characters."""
    plain = re.compile(r"[\s*.\-_|/~+]+(?=[\u3400-\u9fff])")
    every_space = [chr(cp) for cp in range(0x110000) if chr(cp).isspace()]
    assert sorted(wording._WHITESPACE) == every_space
    for text in random_texts(["打", "断", "腿", "a", "。", *wording._GAP_CHARS, *every_space], 3000, 17, 20):
        expected = [m.span() for m in plain.finditer(text) if m.start() and "\u3400" <= text[m.start() - 1] <= "\u9fff"]
        assert [m.span() for m in wording._CJK_GAP.finditer(text)] == expected, text


def test_a_negation_found_by_the_exact_check_is_always_spelt_in_its_window():
    words = [*en.NEGATIONS, "cannot", "knot", "we", "will", "'not", "a", "on", "won"]
    rng = random.Random(19)
    for _ in range(2000):
        text = "".join(rng.choice(words) + rng.choice([" ", ", ", ". ", "'", " - ", ""]) for _ in range(rng.randrange(10)))
        norm = wording.Normalised(text, text, None, [], [])
        for start in range(len(text) + 1):
            if wording._negated(text, start, True):
                assert norm.spells_negation(start - 40, start), (text, start)


def unfiltered(matcher):
    """The same matcher with the cheap pre-filters switched off: every search runs."""
    for group in [*matcher._groups, matcher._chinese]:
        if group is not None:
            group.patterns_gate = None
            group.searches = [(rx, phrase, required if phrase is not None else ())
                              for rx, phrase, required in group.searches]
    return matcher


def test_pre_filters_never_skip_a_finding():
    rng = random.Random(23)
    moment = datetime(2026, 3, 9, 15, tzinfo=timezone.utc)
    for jurisdiction, phrases, joiners in (("US-CA", en.PHRASES, [" ", " not ", ", ", " you ", "x"]),
                                           ("CN", zh.PHRASES, ["", "不", "，", "我们", "你"])):
        layers = DEFAULT.layers(jurisdiction, moment)
        fast, plain = build_matcher(layers), unfiltered(build_matcher(layers))
        texts = [p.text for p in phrases if not p.regex]
        words = sorted({w for t in texts for w in (t.split() if jurisdiction != "CN" else [t[:2], t[2:]])})
        # The literals the patterns require, so that patterns match too.
        words += sorted({lit for p in phrases if p.regex
                         for alts in wording._required_literals(re.compile(p.text)) for lit in alts})
        messages = ["".join(rng.choice(words if rng.random() < 0.7 else texts) + rng.choice(joiners)
                            for _ in range(rng.randrange(1, 6))) for _ in range(1500)]
        # Each pattern's required literals in order, alone: "打断腿", "今天全额还清".
        messages += ["".join(alts[0] for alts in wording._required_literals(re.compile(p.text)))
                     for p in phrases if p.regex]
        for text in messages:
            for facts in (wording.WordingFacts(), wording.WordingFacts(judgment_exists=True, suit_authorized=True)):
                assert fast.scan(wording.normalise(text), facts) == plain.scan(wording.normalise(text), facts), text


def test_characters_that_do_not_fold_one_for_one_take_the_slow_path_among_traditional_chinese():
    norm = wording.normalise("張先生STRAßE\u200b後果ﬁ")
    assert norm.text == "张先生strasse后果fi"
    start = norm.text.index("后果")
    assert norm.to_original(start, start + 2) == (10, 12)


def test_only_text_without_any_disguise_character_skips_the_steps_after_folding():
    tables = wording._tables()
    every_space = [chr(cp) for cp in range(0x110000) if chr(cp).isspace()]
    for ch in [*wording._LEET_CHARS, *wording._SEP_CHARS, *wording._GAP_CHARS, *every_space]:
        assert not wording._UNDISGUISED.match(f"张先生{ch}您好"), repr(ch)
        assert not tables.plain.match(f"张先生{ch}您好"), repr(ch)
    assert wording._UNDISGUISED.match("张先生您好，回复td退订。")
    assert tables.plain.match("张先生您好，回复TD退订。") and not tables.plain.match("張先生")
    assert wording.normalise("打\u3000断 腿").text == "打断腿"


def test_case_folding_a_plain_character_never_makes_a_disguise_character():
    tables = wording._tables()
    for cp in range(0x10000):
        ch = chr(cp)
        if tables.plain.match(ch):
            assert not set(ch.casefold()) & set(wording._DISGUISE_CHARS), hex(cp)
