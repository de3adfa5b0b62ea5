"""Drop the single-column indexes of contact attempts' case, debtor and actor: the
(case, at), (debtor, at) and (actor, at) indexes serve the same lookups, and every index
costs an insertion on each contact the gate records.

The indexes are dropped by name rather than by AlterField because SQLite alters a table by
rebuilding it, which would silently drop the queue-facts triggers defined on it.
"""

from django.db import migrations, models
import django.db.models.deletion
from django.conf import settings

COLUMNS = ("case_id", "debtor_id", "actor_id")


def single_column_indexes(schema_editor, model, column):
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [name for name, c in constraints.items()
            if c["index"] and not c["primary_key"] and not c["unique"] and c["columns"] == [column]]


def drop(apps, schema_editor):
    model = apps.get_model("collections_app", "ContactAttempt")
    for column in COLUMNS:
        for name in single_column_indexes(schema_editor, model, column):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def restore(apps, schema_editor):
    model = apps.get_model("collections_app", "ContactAttempt")
    for column in COLUMNS:
        if not single_column_indexes(schema_editor, model, column):
            field = model._meta.get_field(column.removesuffix("_id"))
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("collections_app", "0007_queue_facts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, restore)],
            state_operations=[
                migrations.AlterField("contactattempt", "actor", models.ForeignKey(
                    blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                    related_name="+", to=settings.AUTH_USER_MODEL)),
                migrations.AlterField("contactattempt", "case", models.ForeignKey(
                    db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="contact_attempts",
                    to="collections_app.case")),
                migrations.AlterField("contactattempt", "debtor", models.ForeignKey(
                    db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="contact_attempts",
                    to="collections_app.debtor")),
            ],
        ),
    ]
