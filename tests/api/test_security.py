"""Login throttling (django-axes), the content security policy, the session and the docs."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_login_is_locked_after_five_failures_even_with_the_right_password(login_url, settings):
    user = UserFactory(is_staff=True)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login_url, {"username": user.username, "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    assert client.post(login_url, {"username": user.username, "password": "wrong"}).status_code == 429
    locked = client.post(login_url, {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count():
    user = UserFactory()
    client = Client()
    for _ in range(3):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302


def test_pages_carry_a_strict_content_security_policy():
    policy = Client().get("/accounts/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_api_docs_load_their_assets_from_our_origin_with_a_nonce_for_the_one_style():
    response = Client().get("/api/docs/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "cdn." not in body and "/static/drf_spectacular_sidecar/" in body
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<style nonce="{nonce}">' in body and "<script>" not in body


def test_schema_lists_the_audit_api():
    paths = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert {"/api/v1/audit/events", "/api/v1/audit/verify", "/api/v1/payments", "/api/v1/imports"} <= set(paths)


def test_session_ends_with_the_browser(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_AGE <= 8 * 3600
