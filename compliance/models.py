"""The audit ledger: an append-only, hash-chained record of everything Dunwell did."""

import pgtrigger
from django.db import models


class AuditEvent(models.Model):
    """One entry of the ledger.

    `hash = SHA-256(prev_hash ‖ canonical envelope)`, where the envelope is the canonical
    JSON of seq, at, actor, case, kind and the payload, so editing any column breaks the
    chain. The database refuses UPDATE, DELETE and TRUNCATE (triggers installed by the
    migrations, on PostgreSQL and on SQLite).
    """

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150, help_text="user:<id>:<username>, job:<name> or import:<file>")
    case = models.ForeignKey(
        "collections_app.Case", on_delete=models.PROTECT, null=True, blank=True,
        related_name="audit_events", db_constraint=True,
        # The (case, seq) index serves every lookup by case: a second one on case alone
        # would cost an insertion on every event written (migration 0004).
        db_index=False,
    )
    kind = models.CharField(max_length=64)
    payload = models.TextField(help_text="Canonical JSON")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["case", "seq"]),
            models.Index(fields=["kind", "at"]),
            models.Index(fields=["at"]),
            # The explorer filters by collector and kind while it pages on seq.
            models.Index(fields=["actor", "seq"]),
            models.Index(fields=["kind", "seq"]),
        ]
        triggers = [
            pgtrigger.Protect(name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            pgtrigger.Trigger(
                name="audit_no_truncate",
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                func="RAISE EXCEPTION 'audit ledger is append-only: TRUNCATE refused';",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"
