"""The same append-only guarantee on SQLite (the embedded default) that pgtrigger gives
on PostgreSQL. SQLite has no TRUNCATE: a DELETE without WHERE fires the DELETE trigger."""

from django.db import migrations

TRIGGERS = [
    ("audit_no_update", "UPDATE"),
    ("audit_no_delete", "DELETE"),
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, operation in TRIGGERS:
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {operation} ON compliance_auditevent "
            f"BEGIN SELECT RAISE(ABORT, 'audit ledger is append-only: {operation} refused'); END;"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, _ in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
