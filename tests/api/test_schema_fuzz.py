"""schemathesis against /api/schema/: every operation fuzzed with bounded examples through
the WSGI app, as an administrator (who reaches every code path). No 5xx, ever; every 4xx
carries a `detail` message."""

import json
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings

from collections_app.wsgi import application
from tests.factories import CaseFactory, ContactPointFactory, HoldFactory, UserFactory

EXAMPLES_PER_OPERATION = 25
BUDGET_SECONDS = 120


def problem(response) -> str | None:
    if response.status_code >= 500:
        return f"server error {response.status_code}: {response.text[:300]}"
    if 400 <= response.status_code < 500:
        try:
            body = json.loads(response.text)
        except ValueError:
            return f"{response.status_code} without a JSON body: {response.text[:200]!r}"
        if not (isinstance(body, dict) and body.get("detail")):
            return f"{response.status_code} without a message: {body!r}"
    return None


@pytest.mark.slow
# serialized_rollback: the flush after this test must restore the roles the migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_operation_answers_a_server_error_or_a_4xx_without_a_message(eager_celery, settings):
    from rest_framework.authtoken.models import Token

    settings.ALLOWED_HOSTS = ["localhost", "testserver"]  # schemathesis's WSGI client says localhost
    admin = UserFactory(is_superuser=True, is_staff=True)
    headers = {"Authorization": f"Token {Token.objects.create(user=admin).key}"}
    case = CaseFactory(collector=admin)
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550101")
    hold = HoldFactory(case=case)
    # Half the examples aim at records that exist, so the fuzzing gets past the 404s.
    real = {"id": case.pk, "pk": case.pk, "hold_pk": hold.pk, "debtor_id": case.debtor_id}

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    failures, started, operations = [], time.monotonic(), 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        label = f"{operation.method.upper()} {operation.path}"
        counter = {"n": 0}

        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def exercise(case):
            counter["n"] += 1
            if case.path_parameters and counter["n"] % 2:
                case.path_parameters = {
                    name: (real["debtor_id"] if "debtors" in operation.path and name == "id" else real.get(name, value))
                    for name, value in case.path_parameters.items()
                }
            response = case.call(headers=headers)
            found = problem(response)
            if found:
                failures.append(f"{label} {case.path_parameters or ''} {case.query or ''}: {found}")

        exercise()
        assert time.monotonic() - started < BUDGET_SECONDS, f"fuzzing exceeded {BUDGET_SECONDS}s at {label}"
    assert operations >= 25
    assert not failures, "\n".join(failures[:20])
