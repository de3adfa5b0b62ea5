"""Whatever a browser (or someone with curl) posts to the case page's forms, the answer is
the page with the field at fault or a refusal, never a server error."""

import random

import pytest
from django.test import Client

from collections_app.models import Hold

from ..factories import UserFactory
from .conftest import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("new_york_afternoon")]

VALUES = ["", "x", "-1", "0", "1", "2", "9" * 25, "2026-02-30", "9999-12-31", "0001-01-01", "9999-12-31T23:59",
          "0001-01-01T00:00", "<script>", "NaN", "1e400", "\x00", "真", "a" * 6000, "call", "sms", "email", "visit",
          "conversation", "no_answer", "refused", "dispute", "resolve", "neighbour", "spouse", "location", "collection", "on",
          "opt_out", "consent", "calls", "electronic", "12:00-13:00", "23:59-00:00", "99:99-00:00",
          "reminder", "final_notice", "us_validation"]


def form_fields(hold):
    return {
        "transition": ["transition", "t-resolve-reason", "t-resolve-transition"],
        "reveal": ["reveal-reason"],
        "contacts": ["contact-channel", "contact-destination", "contact-outcome", "contact-note", "contact-callback_at",
                     "contact-visit_collectors", "contact-visit_workplace", "contact-visit_requested",
                     "contact-visit_purpose_stated", "contact-reply"],
        "inbound-contacts": ["inbound-channel", "inbound-destination", "inbound-outcome", "inbound-note"],
        "third-party-contacts": ["third-relationship", "third-purpose", "third-destination", "third-outcome",
                                 "third-asked_to_recontact", "third-earlier_answer_incomplete",
                                 "third-note"],
        "preferences": ["pref-kind", "pref-channel", "pref-contact_point", "pref-scope", "pref-expires_at",
                        "pref-evidence"],
        "circumstances": ["circ-inconvenient_times", "circ-not_at_work", "circ-employer_prohibits_contact",
                          "circ-unreachable", "circ-incapacitated", "circ-vulnerable"],
        "letters": ["letter-kind"],
        "forbearance-review": ["forbearance-note"],
        "outsourcing-notice": ["outsourcing-evidence"],
        "compose": ["compose-channel", "compose-message", "send", "check"],
        "promises": ["promise-amount", "promise-due_date"],
        "plans": ["plan-total", "plan-count", "plan-first_due", "plan-every_days"],
        "holds": ["hold-kind", "hold-evidence", "hold-debtor_wide"],
        f"holds/{hold.pk}/close": [f"close-{hold.pk}-hold", f"close-{hold.pk}-reason"],
        "assign": ["assign-collector"],
        "place": ["place-agency", "place-reason"],
        "recall": ["recall-reason"],
    }


@pytest.mark.parametrize("role", ["collector", "supervisor"])
def test_random_posts_to_the_case_forms_never_cause_a_server_error(role):
    user = UserFactory(role=role)
    user.save()
    case = make_case(collector=user if role == "collector" else None)
    hold = Hold.objects.create(case=case, debtor=case.debtor, kind="dispute", evidence="letter", opened_by=user)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    rng = random.Random(role)
    forms = form_fields(hold)
    for _ in range(150):
        path = rng.choice(sorted(forms))
        data = {field: rng.choice(VALUES) for field in forms[path] if rng.random() < 0.85}
        response = client.post(f"/cases/{case.pk}/{path}", data)
        assert response.status_code < 500, (path, data)


def test_odd_queue_addresses_never_cause_a_server_error(client):
    user = UserFactory(role="collector")
    user.save()
    client.force_login(user)
    make_case(collector=user)
    for query in ("?stage=zzz", "?page=-1", "?page=" + "9" * 25, "?contactable=1&start=-5", "?contactable=1&start=abc",
                  "?contactable=1&start=" + "9" * 25, "?jurisdiction=%00", "?dpd=" + "x" * 5000):
        assert client.get("/queue/" + query).status_code < 500, query
