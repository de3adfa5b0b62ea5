import pytest
from rest_framework.test import APIClient


@pytest.fixture
def eager_celery():
    """Tasks run in the test's process, as soon as they are queued."""
    from collections_app.celery import app

    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False


@pytest.fixture
def api():
    def client_for(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for
