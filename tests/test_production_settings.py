"""Production settings are safe by default: nothing to switch on, only secrets to give."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS",
                                                         # set by conftest for Playwright; never in production
                                                         "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    base.update(DJANGO_SETTINGS_MODULE="collections_app.settings", **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True,
                          timeout=120)


def test_deploy_check_is_clean_with_only_the_secrets_given():
    done = manage("check", "--deploy", "--fail-level", "WARNING",
                  SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="dunwell.example.com")
    assert done.returncode == 0, done.stdout + done.stderr


def test_missing_secret_key_outside_debug_refuses_to_start():
    done = manage("check")
    assert done.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in done.stderr
