import pytest

from .factories import CaseFactory, UserFactory


@pytest.fixture
def collector(db):
    return UserFactory(role="collector")


@pytest.fixture
def supervisor(db):
    return UserFactory(role="supervisor")


@pytest.fixture
def case(db):
    return CaseFactory()


@pytest.fixture(scope="session", autouse=True)
def _flush_may_empty_the_ledger():
    """Transactional tests end with Django's `flush`, a TRUNCATE of every table, which the
    ledger's trigger rightly refuses. Only that harness command is let through; every test
    still sees the ledger append-only."""
    import pgtrigger
    from django.core.management.commands.flush import Command as Flush

    original = Flush.handle

    def handle(self, *args, **options):
        with pgtrigger.ignore("compliance.AuditEvent:audit_no_truncate"):
            return original(self, *args, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flush, "handle", handle)
        yield
