"""Drop the audit ledger's index on the case alone: the (case, seq) index serves the same
lookups (a case's events, the foreign key's checks), and every index costs an insertion
on each event the ledger writes.

Dropped by name rather than by AlterField because SQLite alters a table by rebuilding it,
which would silently drop the append-only triggers of 0002 (as in collections_app 0008).
"""

from django.db import migrations, models
import django.db.models.deletion


def single_column_indexes(schema_editor, model):
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [name for name, c in constraints.items()
            if c["index"] and not c["primary_key"] and not c["unique"] and c["columns"] == ["case_id"]]


def drop(apps, schema_editor):
    model = apps.get_model("compliance", "AuditEvent")
    for name in single_column_indexes(schema_editor, model):
        schema_editor.execute(schema_editor._delete_index_sql(model, name))


def restore(apps, schema_editor):
    model = apps.get_model("compliance", "AuditEvent")
    if not single_column_indexes(schema_editor, model):
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[model._meta.get_field("case")]))


class Migration(migrations.Migration):
    dependencies = [("compliance", "0003_explorer_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent", name="case",
                    field=models.ForeignKey(
                        blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                        related_name="audit_events", to="collections_app.case"),
                ),
            ],
            database_operations=[migrations.RunPython(drop, restore)],
        ),
    ]
