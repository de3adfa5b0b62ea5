"""Run every benchmark against a fresh PostgreSQL database and print `BENCH name value unit`.

Figures are ratios against a baseline measured in the same run where one exists: this
machine is shared and noisy, so absolute times mean little.
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "dunwell_bench"


def fresh_database() -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}"


def main() -> int:
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        # Each benchmark gets a fresh, migrated database: none measures another's leftovers.
        env = {**os.environ, "DATABASE_URL": fresh_database(), "DJANGO_SETTINGS_MODULE": "collections_app.test_settings"}
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        done = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env)
        failed |= done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
