import os
from pathlib import Path

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


# Browser tests: Debian's Chromium driven by Playwright, never a downloaded browser.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot as a test artefact: screenshot("collector-queue")."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session", autouse=True)
def _no_stray_sessions_at_teardown(django_db_setup, django_db_blocker):
    """Worker subprocesses killed on purpose and live-server threads may leave a session on
    the test database; end them so the database can be dropped at the end of the run."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
