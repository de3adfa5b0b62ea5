"""Benchmark the compliance engine on one core (no Django, no database).

Prints:
    BENCH evaluate_per_s <value> decisions/s
    BENCH wording_checks_per_s <value> checks/s
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compliance.engine import (  # noqa: E402
    DEFAULT, CaseFacts, ContactRequest, Phone, PostalAddress, PriorAttempt, evaluate,
)
from compliance.wording import WordingFacts, normalise  # noqa: E402

NEW_YORK = ZoneInfo("America/New_York")
EN = ("Hello John, this is a reminder from Acme Services about your account balance of $1,234.56. "
      "Please call us at 555-0100 between 9am and 5pm, Monday to Friday. This is a communication from a debt "
      "collector. If you are having difficulty paying, we can discuss a plan that fits your budget; there is no fee. "
      "You may dispute this debt in writing. Reply STOP to opt out of text messages. Visit www.cfpb.gov/debt-collection "
      "to learn about your rights. Thank you.")[:500]
ZH = ("张先生您好，本信息来自债务催收机构。您的账户当前余额为一千二百三十四元，本期应还款三百元将于本月十五日到期。"
      "如您暂时有还款困难，可以联系我们申请延期或分期方案，我们不会收取额外费用。如对账单有异议，请通过官方渠道提出，"
      "我们将在收到后暂停催收并尽快核实。逾期可能影响您的个人征信记录，请及时与我们联系。回复TD退订。") * 3
ZH = ZH[:500]
ZH_T = ("張先生您好，本訊息來自債務催收機構。您的帳戶當前餘額為一千二百三十四元，本期應還款三百元將於本月十五日到期。"
        "如您暫時有還款困難，可以聯繫我們申請延期或分期方案。") * 6
ZH_T = ZH_T[:500]
BAD = ("John, we will garnish your wages next week and tell your boss. A w a r r a n t for your arrest is ready. " * 5)[:500]


def bench(fn, seconds=2.0):
    fn()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(200):
            fn()
        count += 200
    return count / (time.perf_counter() - start)


def main():
    monday = datetime(2026, 3, 9, 9, tzinfo=NEW_YORK)
    history = tuple(PriorAttempt("call", monday - timedelta(hours=9 * i), "no_answer" if i % 3 else "voicemail", "+12125550123")
                    for i in range(20))
    facts = CaseFacts(jurisdiction="US-MA", phones=(Phone("+12125550123", line="mobile"), Phone("+16175550100", at_residence=True)),
                      addresses=(PostalAddress("US", "MA", "02108"),), prior_attempts=history,
                      initial_communication_at=monday - timedelta(days=30), validation_notice_sent_at=monday - timedelta(days=30))
    requests = [ContactRequest("call", monday + timedelta(hours=h), facts, "+12125550123") for h in range(0, 48, 5)]
    requests.append(ContactRequest("sms", monday + timedelta(hours=3), facts, "+12125550123", EN))
    state = {"i": 0}

    def one_decision():
        state["i"] = (state["i"] + 1) % len(requests)
        evaluate(requests[state["i"]])

    matcher = DEFAULT.matcher(DEFAULT.layers("US-CA", monday))
    cn_matcher = DEFAULT.matcher(DEFAULT.layers("CN", monday))
    messages = [(matcher, EN), (cn_matcher, ZH), (matcher, EN), (cn_matcher, ZH), (cn_matcher, ZH_T), (matcher, BAD)]
    facts_w = WordingFacts()
    state2 = {"i": 0}

    def one_check():
        state2["i"] = (state2["i"] + 1) % len(messages)
        m, text = messages[state2["i"]]
        m.scan(normalise(text), facts_w)

    print(f"BENCH evaluate_per_s {bench(one_decision):.0f} decisions/s")
    print(f"BENCH wording_checks_per_s {bench(one_check):.0f} checks/s")


if __name__ == "__main__":
    main()
