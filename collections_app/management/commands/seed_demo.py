"""`manage.py seed_demo [--if-empty]`: a bilingual demo portfolio and one login per role.

Demo only. Everything goes through the same doors as real data: the portfolio through
import_portfolio, holds and stage moves through the services, so the ledger records the
demo like anything else and `verify_audit` passes afterwards. One transaction: a failed
seed leaves nothing behind.
"""

import json
import secrets
import tempfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.timezone import now

from collections_app import services
from collections_app.importing import import_portfolio
from collections_app.models import Agency, Case, ContactPoint, Instalment, Payment, PaymentPlan, Placement, PromiseToPay, Team
from compliance import ledger

# username -> group (None: superuser)
DEMO_USERS = {"collector": "collector", "supervisor": "supervisor", "officer": "compliance_officer", "admin": None}

# loan_ref, debtor_ref, full_name, language, phone, address line, city, region, postal code,
# country, balance, currency, days past due (negative: not yet due).
PORTFOLIO = [
    # United States: one zone each, plus debtors whose mobile is in another zone than
    # their address (the gate must respect both zones' calling hours, 1006.6(b)(1)(i)).
    ("DEMO-L001", "DEMO-D001", "Maria Alvarez", "en", "+12125550123", "350 Fifth Avenue Apt 12", "New York", "NY", "10118", "US", "1240.50", "USD", 5),
    ("DEMO-L002", "DEMO-D002", "James Whitaker", "en", "+13125550142", "233 S Wacker Dr", "Chicago", "IL", "60606", "US", "3890.00", "USD", 45),
    ("DEMO-L003", "DEMO-D003", "Priya Raman", "en", "+12125550187", "1400 N Lake Shore Dr", "Chicago", "IL", "60610", "US", "2715.25", "USD", 75),
    ("DEMO-L004", "DEMO-D004", "Daniel Kim", "en", "+13035550117", "1701 Wynkoop St", "Denver", "CO", "80202", "US", "560.00", "USD", 20),
    ("DEMO-L005", "DEMO-D005", "Ashley Nguyen", "en", "+12135550168", "600 W 7th St", "Los Angeles", "CA", "90017", "US", "4420.80", "USD", 35),
    ("DEMO-L006", "DEMO-D006", "Robert Chen", "en", "+16465550190", "1010 Harbor Dr", "San Diego", "CA", "92101", "US", "1875.00", "USD", 90),
    ("DEMO-L007", "DEMO-D007", "Linda Okafor", "en", "+16175550131", "75 State St", "Boston", "MA", "02109", "US", "980.40", "USD", 65),
    ("DEMO-L008", "DEMO-D008", "Kevin O'Brien", "en", "+15085550133", "120 Front St", "Worcester", "MA", "01608", "US", "310.00", "USD", 12),
    ("DEMO-L009", "DEMO-D009", "Sarah Johnson", "en", "+12065550155", "400 Pine St", "Seattle", "WA", "98101", "US", "6200.00", "USD", 40),
    ("DEMO-L010", "DEMO-D010", "Michael Brown", "en", "+17735550110", "5200 S Ellis Ave", "Chicago", "IL", "60615", "US", "150.00", "USD", 0),
    ("DEMO-L011", "DEMO-D011", "Emily Davis", "en", "+17205550145", "1550 Larimer St", "Denver", "CO", "80202", "US", "725.60", "USD", -10),
    ("DEMO-L012", "DEMO-D012", "Carlos Mendoza", "en", "+19165550120", "1315 10th St", "Sacramento", "CA", "95814", "US", "12850.00", "USD", 120),
    ("DEMO-L013", "DEMO-D013", "Jennifer Walsh", "en", "+12125550176", "88 Greenwich St", "New York", "NY", "10006", "US", "9400.00", "USD", 150),
    ("DEMO-L014", "DEMO-D013", "Jennifer Walsh", "en", "+12125550176", "88 Greenwich St", "New York", "NY", "10006", "US", "2100.00", "USD", 80),
    ("DEMO-L015", "DEMO-D014", "Thomas Reed", "en", "+16175550199", "10 Beacon St", "Boston", "MA", "02108", "US", "1630.00", "USD", 62),
    ("DEMO-L016", "DEMO-D015", "Patricia Moore", "en", "+14155550176", "1 Market St", "San Francisco", "CA", "94105", "US", "845.00", "USD", 2),
    ("DEMO-L017", "DEMO-D016", "David Goldberg", "en", "+16465550111", "55 Water St", "New York", "NY", "10041", "US", "499.99", "USD", 31),
    ("DEMO-L018", "DEMO-D017", "Angela Russo", "en", "+16175550152", "1 Brattle Sq", "Cambridge", "MA", "02138", "US", "3300.00", "USD", 95),
    ("DEMO-L019", "DEMO-D018", "Brian Foster", "en", "+16025550134", "2 N Central Ave", "Phoenix", "AZ", "85004", "US", "1120.00", "USD", 28),
    ("DEMO-L020", "DEMO-D019", "Nicole Harris", "en", "+13105550199", "2000 Avenue of the Stars", "Los Angeles", "CA", "90067", "US", "2400.00", "USD", 58),
    # China: Simplified Chinese letters and wording checks.
    ("DEMO-L021", "DEMO-D020", "王伟", "zh-Hans", "+8613800138000", "朝阳区建国路88号", "北京", "北京市", "100022", "CN", "8600.00", "CNY", 8),
    ("DEMO-L022", "DEMO-D021", "李娜", "zh-Hans", "+8613912345678", "浦东新区世纪大道100号", "上海", "上海市", "200120", "CN", "15200.00", "CNY", 33),
    ("DEMO-L023", "DEMO-D022", "张敏", "zh-Hans", "+8615012345678", "天河区天河路208号", "广州", "广东省", "510620", "CN", "4380.00", "CNY", 70),
    ("DEMO-L024", "DEMO-D023", "刘洋", "zh-Hans", "+8618612345678", "南山区科技园路1号", "深圳", "广东省", "518057", "CN", "26900.00", "CNY", 15),
    ("DEMO-L025", "DEMO-D024", "陈静", "zh-Hans", "+8613700137000", "武侯区人民南路四段1号", "成都", "四川省", "610041", "CN", "3150.00", "CNY", 100),
    ("DEMO-L026", "DEMO-D025", "杨磊", "zh-Hans", "+8615900159000", "西湖区文三路90号", "杭州", "浙江省", "310012", "CN", "7700.00", "CNY", -5),
    ("DEMO-L027", "DEMO-D026", "赵丽", "zh-Hans", "+8613512345678", "鼓楼区中山路321号", "南京", "江苏省", "210008", "CN", "11250.00", "CNY", 48),
    # Great Britain.
    ("DEMO-L028", "DEMO-D027", "Oliver Bennett", "en", "+447911123456", "221 Baker Street", "London", "", "NW1 6XE", "GB", "1450.00", "GBP", 25),
    ("DEMO-L029", "DEMO-D028", "Amelia Clarke", "en", "+447400123456", "14 Deansgate", "Manchester", "", "M3 2BW", "GB", "2875.50", "GBP", 64),
    ("DEMO-L030", "DEMO-D029", "Harry Patel", "en", "+447555123456", "8 Princes Street", "Edinburgh", "", "EH2 2AN", "GB", "390.00", "GBP", 3),
    ("DEMO-L031", "DEMO-D030", "Sophie Evans", "en", "+442079460123", "45 Queen Street", "Cardiff", "", "CF10 2BU", "GB", "5100.00", "GBP", 38),
    ("DEMO-L032", "DEMO-D031", "George Hughes", "en", "+447123456789", "3 Bold Street", "Liverpool", "", "L1 4DS", "GB", "760.00", "GBP", 85),
]


def portfolio_rows(today: date):
    for (loan_ref, debtor_ref, name, language, phone, line1, city, region, postal_code, country,
         balance, currency, days_past_due) in PORTFOLIO:
        due = today - timedelta(days=days_past_due)
        yield {
            "loan_ref": loan_ref, "debtor_ref": debtor_ref, "full_name": name, "language": language,
            "phone": phone, "email": f"{debtor_ref.lower()}@example.com", "address_line1": line1, "city": city,
            "region": region, "postal_code": postal_code, "country": country,
            "principal": str((Decimal(balance) * Decimal("0.85")).quantize(Decimal("0.01"))), "balance": balance,
            "currency": currency, "due_date": due.isoformat(),
            # 1006.34(b)(3): the itemization date may be the payment due date; never in the future.
            "itemization_date": min(due, today).isoformat(),
        }


class Command(BaseCommand):
    help = "Create a demo portfolio (US, US-MA, US-CA, US-WA, CN, GB) and one demo login per role. Demo only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true",
            help="if the demo is already there, seed nothing and print the saved logins again",
        )

    def handle(self, *args, if_empty: bool, **options):
        logins_file = Path(settings.VAR_DIR) / "demo-logins.txt"
        demo_seeded = User.objects.filter(username__in=DEMO_USERS).exists()
        # A database holding real cases never receives a demo.
        if demo_seeded or Case.objects.exists():
            if not if_empty:
                raise CommandError(
                    "This database already holds data (demo users or cases); seed_demo only seeds an empty "
                    "database. Use --if-empty to print the saved demo logins instead."
                )
            if not demo_seeded:
                self.stdout.write("The database already holds cases; no demo seeded.")
            elif logins_file.is_file():
                self.stdout.write(logins_file.read_text(encoding="utf-8"))
            else:
                self.stdout.write(f"Demo already seeded; {logins_file} is missing (reset with `manage.py changepassword`).")
            return
        with transaction.atomic():
            logins = seed(today=now().date())
            text = format_logins(logins, logins_file)
            logins_file.parent.mkdir(parents=True, exist_ok=True)
            # Readable by the owner only, from before the passwords are written.
            logins_file.touch(mode=0o600)
            logins_file.chmod(0o600)
            logins_file.write_text(text, encoding="utf-8")
        self.stdout.write(f"Seeded {len(PORTFOLIO)} demo cases.")
        self.stdout.write(text)


def format_logins(logins: dict[str, str], path: Path) -> str:
    lines = [f"DEMO ONLY: random passwords for the demo accounts, saved in {path}. Never use them in production."]
    lines += [f"  {username:<11} {password}  ({DEMO_USERS[username] or 'superuser'})" for username, password in logins.items()]
    return "\n".join(lines) + "\n"


def seed(*, today: date) -> dict[str, str]:
    logins, users = {}, {}
    for username, group in DEMO_USERS.items():
        logins[username] = secrets.token_urlsafe(12)
        if group is None:
            users[username] = User.objects.create_superuser(username, password=logins[username])
        else:
            users[username] = User.objects.create_user(username, password=logins[username], is_staff=True)
            users[username].groups.add(Group.objects.get(name=group))
    collector, supervisor, officer = users["collector"], users["supervisor"], users["officer"]
    team = Team.objects.create(name="Demo team")
    team.members.add(collector, supervisor)
    agency = Agency.objects.create(name="Demo Recovery Partners", contact_email="placements@agency.example.com")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-portfolio.jsonl"
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in portfolio_rows(today)), encoding="utf-8")
        import_portfolio(path, actor=ledger.actor_label(job="seed_demo"))
    cases = {case.loan.loan_ref: case for case in Case.objects.select_related("loan")}

    # Some debtors wrote or texted to us recently: their email and mobile are safe for
    # electronic messages (1006.6(d)(3)-(5)); the others may only be called or written to.
    recently = now() - timedelta(days=3)
    ContactPoint.objects.filter(
        debtor__debtor_ref__in=["DEMO-D001", "DEMO-D002", "DEMO-D005", "DEMO-D009", "DEMO-D021", "DEMO-D027"],
        kind__in=["phone", "email"],
    ).update(consumer_used_at=recently)

    # The supervisor hands the team its cases; all but those not yet due go to the collector.
    not_yet_due = {"DEMO-L010", "DEMO-L011", "DEMO-L026"}
    Case.objects.update(team=team)
    Case.objects.exclude(loan__loan_ref__in=not_yet_due).update(collector=collector)
    ledger.append_many([
        ledger.Draft(kind="case.assigned", actor=ledger.actor_label(supervisor), case_id=case.pk, data={
            "team": team.pk, "collector": None if ref in not_yet_due else collector.pk,
        })
        for ref, case in sorted(cases.items())
    ])

    # Holds before the daily job, so it keeps these cases in active collection.
    services.hold_open(case=cases["DEMO-L015"], kind="dispute", by=collector,
                       evidence="Debtor disputed the balance by phone; itemisation requested.")
    services.hold_open(case=cases["DEMO-L018"], kind="cease", by=officer,
                       evidence="Written request to cease communication received by post.")
    services.hold_open(case=cases["DEMO-L013"], kind="bankruptcy", by=officer, debtor_wide=True,
                       evidence="Chapter 7 petition notice from the bankruptcy court (both loans).")
    services.advance_stages(today=today)

    for ref, days in (("DEMO-L002", 7), ("DEMO-L022", 10), ("DEMO-L031", 14)):
        loan = cases[ref].loan
        promise = PromiseToPay.objects.create(
            case=cases[ref], amount=(loan.balance / 4).quantize(Decimal("0.01")), currency=loan.currency,
            due_date=today + timedelta(days=days), created_by=collector,
        )
        ledger.append(kind="promise.created", actor=ledger.actor_label(collector), case=cases[ref], data={
            "promise": promise.pk, "amount": promise.amount, "currency": promise.currency, "due_date": promise.due_date,
        })

    case = cases["DEMO-L020"]
    plan = PaymentPlan.objects.create(case=case, currency=case.loan.currency, created_by=collector)
    share = (case.loan.balance / 4).quantize(Decimal("0.01"))
    instalments = Instalment.objects.bulk_create([
        Instalment(plan=plan, due_date=today + timedelta(days=30 * (n + 1)), amount=share) for n in range(4)
    ])
    ledger.append(kind="payment_plan.created", actor=ledger.actor_label(collector), case=case, data={
        "plan": plan.pk, "currency": plan.currency,
        "instalments": [{"due_date": i.due_date, "amount": i.amount} for i in instalments],
    })
    services.case_transition(case=case, transition="arrange", by=collector, reason="Four monthly instalments agreed")

    case = cases["DEMO-L017"]
    payment = Payment.objects.create(
        loan=case.loan, external_ref="DEMO-PAY-0001", amount=case.loan.balance, currency=case.loan.currency,
        received_on=today - timedelta(days=1),
    )
    case.loan.payments_since, case.loan.balance = payment.amount, Decimal("0.00")
    case.loan.save(update_fields=["payments_since", "balance"])
    ledger.append(kind="payment.posted", actor=ledger.actor_label(job="seed_demo"), case=case, data={
        "payment": payment.pk, "external_ref": payment.external_ref, "amount": payment.amount, "currency": payment.currency,
    })
    services.case_transition(case=case, transition="resolve", by=collector, reason="Paid in full")

    case = cases["DEMO-L012"]
    services.case_transition(case=case, transition="place_with_agency", by=supervisor,
                             reason="No response to the final notice")
    placement = Placement.objects.create(case=case, agency=agency, placed_by=supervisor)
    ledger.append(kind="placement.created", actor=ledger.actor_label(supervisor), case=case,
                  data={"placement": placement.pk, "agency": agency.name})

    services.case_transition(case=cases["DEMO-L032"], transition="write_off", by=supervisor,
                             reason="Debtor emigrated; no assets within reach")
    seed_contact_history(cases, collector=collector, supervisor=supervisor, today=today)
    # Today's notices, so the worker sends them within a minute of `make run` rather than
    # at tomorrow's 00:30 run.
    from notices.planner import plan_notices

    plan_notices(day=today)
    return logins


def seed_contact_history(cases, *, collector, supervisor, today: date) -> None:
    """Last week's calls through the gate, so the audit view has something to answer
    "who was blocked most, and for what?" with: some allowed, some refused as too late in
    the evening where the debtor is (1006.6(b)(1)), one refused for a dispute (1006.38).
    Plus a Chinese debtor called seven times on 2026-01-20, before the 2026 CBA guideline
    capped attempts at six a day: a replay shows today's rules would disagree."""
    from zoneinfo import ZoneInfo

    from compliance import gate

    def at(days_ago: int, hour: int, zone: str, minute: int = 0):
        day = today - timedelta(days=days_ago)
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))

    calls = [
        # loan, who, days ago, local hour, zone, outcome
        ("DEMO-L001", collector, 6, 14, "America/New_York", "no_answer"),
        ("DEMO-L001", collector, 5, 21, "America/New_York", "conversation"),      # too late
        ("DEMO-L002", collector, 5, 22, "America/Chicago", "conversation"),       # too late
        ("DEMO-L003", collector, 4, 20, "America/Chicago", "no_answer"),          # New York mobile: 21:00 there
        ("DEMO-L005", collector, 4, 10, "America/Los_Angeles", "voicemail"),
        ("DEMO-L009", supervisor, 3, 12, "America/Los_Angeles", "conversation"),
        ("DEMO-L007", supervisor, 2, 7, "America/New_York", "no_answer"),         # too early
        ("DEMO-L022", collector, 2, 15, "Asia/Shanghai", "conversation"),
        ("DEMO-L029", collector, 1, 10, "Europe/London", "no_answer"),
    ]
    # The Chinese lender told its debtors before placing their loans with us (CN.OUTSOURCE).
    Case.objects.filter(jurisdiction="CN").update(outsourcing_notified_at=datetime(2025, 12, 1, tzinfo=ZoneInfo("UTC")))
    for case in cases.values():
        case.refresh_from_db()
    for loan_ref, who, days_ago, hour, zone, outcome in calls:
        gate.record(case=cases[loan_ref], channel="call", outcome=outcome, by=who, at=at(days_ago, hour, zone),
                    note="demo history")
    # Now, after the dispute was opened: refused whatever the hour (1006.38).
    gate.record(case=cases["DEMO-L015"], channel="call", outcome="conversation", by=collector, note="demo history")
    for attempt in range(7):
        gate.record(case=cases["DEMO-L024"], channel="call", outcome="no_answer", by=collector,
                    at=datetime(2026, 1, 20, 10 + attempt, tzinfo=ZoneInfo("Asia/Shanghai")), note="demo history")
    seed_debtor_requests(cases, collector=collector, at=at)


def seed_debtor_requests(cases, *, collector, at) -> None:
    """What debtors told us, as a collector records it: a call from the debtor (seven quiet
    days follow, 1006.14(b)(2)(i)(B)), an SMS opt-out (1006.14(h)), lunchtime named
    inconvenient (1006.6(b)(1)), "not at work" (1006.6(b)(3)), and a neighbour asked once
    where a debtor lives (1006.10)."""
    from collections_app import services_api
    from compliance import engine, gate

    gate.record_inbound(case=cases["DEMO-L004"], channel="call", outcome="conversation", by=collector,
                        note="demo: asked about a payment plan", at=at(2, 11, "America/Denver"))
    patricia = cases["DEMO-L016"]
    services_api.contact_preference_record(debtor=patricia.debtor, case=patricia, kind="opt_out", channel="sms",
                                           evidence="demo: replied STOP", by=collector)
    michael = cases["DEMO-L010"]
    services.debtor_circumstances_update(debtor=michael.debtor, case=michael, by=collector,
                                         inconvenient_times=[["12:00", "13:30"]])
    brian = cases["DEMO-L019"]
    services.debtor_circumstances_update(debtor=brian.debtor, case=brian, by=collector, not_at_work=True)
    gate.record(case=cases["DEMO-L017"], channel="third_party", outcome="conversation", by=collector,
                destination="Mrs Lee, flat 2", purpose="location", third_party=engine.ThirdParty("neighbour"),
                at=at(3, 15, "America/New_York"), note="demo: the neighbour did not know")
