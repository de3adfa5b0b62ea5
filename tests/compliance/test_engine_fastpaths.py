"""Internal fast paths of the engine and the wording checks give the same answers as the
straightforward computations they replace."""

import random
import re
from datetime import date, datetime, time, timedelta, timezone

from compliance import wording, zones as tz
from compliance.engine import CaseFacts, ContactRequest, PriorAttempt
from compliance.packs import CaseView, Context, Policy, cap_lifts_on, counted_cap
from compliance.wording_data import en, zh

UTC = timezone.utc


def test_required_literals_only_name_substrings_every_match_contains():
    rng = random.Random(7)
    for phrase in [*en.PHRASES, *zh.PHRASES]:
        if not phrase.regex:
            continue
        rx = re.compile(phrase.text)
        required = wording._required_literals(rx)
        for sample in ("打断他的腿", "冻结你的工资", "通知你的通讯录", "去找人借钱来还", "今天之内全额还清",
                       "we will garnish your wages", "sell your car", "borrow it from your family",
                       "pay the full balance today", "post it on facebook", "我们是人民银行"):
            text = sample + "".join(rng.choice("abc 你好，。") for _ in range(5))
            if rx.search(text):
                assert wording._may_match(required, text), (phrase.text, text)


def test_counted_cap_prefilter_matches_the_plain_calendar_day_count():
    rng = random.Random(11)
    zones = ("America/New_York", "America/Chicago", "Pacific/Apia", "Australia/Lord_Howe")
    policy = Policy()
    for _ in range(300):
        moment = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(60 * 24 * 40))
        attempts = tuple(PriorAttempt("call", moment - timedelta(minutes=rng.randrange(60 * 24 * 45)), "no_answer")
                         for _ in range(rng.randrange(0, 12)))
        request = ContactRequest("call", moment, CaseFacts(jurisdiction="US", prior_attempts=attempts))
        ctx = Context(request, policy, [], None)
        cap, days = rng.choice(((7, 7), (2, 7), (2, 30), (1, 7), (1, 30)))
        chosen = tuple(rng.sample(zones, rng.randrange(1, 3)))
        expected = []
        for z in chosen:
            # Local dates straight from astimezone, as day numbers.
            def day_of(m, z=z):
                return tz.date_day(m.astimezone(tz.zone(z)).date())

            day = cap_lifts_on([day_of(a.moment) for a in attempts], day_of(moment), cap, days)
            if day is not None:
                expected.append(tz.start_of_local_day(tz.day_date(day), z))
        assert counted_cap(ctx, ctx.attempts(channels=("call",)), cap, days, chosen) == (max(expected) if expected else None)


def test_history_remembered_across_moments_gives_the_attempts_up_to_each_moment_judged():
    rng = random.Random(13)
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for _ in range(100):
        attempts = tuple(
            PriorAttempt(rng.choice(("call", "sms", "letter")), start + timedelta(minutes=rng.randrange(60 * 24 * 30)),
                         rng.choice(("no_answer", "conversation", "sent")), allowed=rng.random() < 0.9,
                         same_debt=rng.random() < 0.8)
            for _ in range(rng.randrange(0, 15)))
        request = ContactRequest("call", start + timedelta(days=10), CaseFacts(jurisdiction="US", prior_attempts=attempts))
        case = CaseView(request)  # shared, as evaluate shares it while it looks for the next allowed moment
        for days in (0, 5, 10, 20, 40):
            moment = start + timedelta(days=days, minutes=rng.randrange(1440))
            ctx = Context(request, Policy(), [], None, case, moment=moment)
            since = moment - timedelta(days=rng.randrange(1, 9))
            for channels, same_debt in ((None, True), (("call",), True), (("call", "sms"), False)):
                expected = sorted((a for a in attempts if a.allowed and a.moment <= moment
                                   and (channels is None or a.channel in channels) and (a.same_debt or not same_debt)),
                                  key=lambda a: a.moment)
                assert ctx.attempts(channels=channels, same_debt=same_debt) == expected
                recent = ctx.attempts(channels=channels, same_debt=same_debt, since=since)
                assert recent == [a for a in expected if a.moment >= since]
                talked = ctx.select("talked", lambda found: [a for a in found if a.outcome == "conversation"],
                                    channels=channels, same_debt=same_debt)
                assert talked == [a for a in expected if a.outcome == "conversation"]


def test_normalise_translate_table_matches_the_dictionary_fold():
    tables = wording._tables()
    text = "張先生您好，本訊息來自債務催收機構。ÄRREST ＡＢＣ ｱｲ"
    assert text.translate(tables.bmp) == text.translate(tables.one_to_one)


def test_has_space_agrees_with_the_regex_whitespace_class():
    for text in ("abc", " abc", "abc ", "a\u3000b", "打\u00a0断", "", "\u2028", "x\u200by"):
        assert wording._has_space(text) == bool(re.search(r"\s", text))
