"""The default notice schedules; compliance officers adjust them in the admin."""

from django.db import migrations

DEFAULTS = [
    # kind, channel, trigger, offset_days, stage, jurisdiction
    # 1006.34(a): the validation notice goes with or within 5 days of the initial communication.
    ("us_validation", "letter", "case_opened", 0, "", "US"),
    ("reminder", "letter", "days_past_due", 7, "", ""),
    ("reminder", "email", "days_past_due", 14, "", "US"),
    ("reminder", "sms", "days_past_due", 21, "", ""),
    ("promise_reminder", "sms", "promise_due", -2, "", ""),
    ("broken_promise", "letter", "promise_broken", 0, "", ""),
    ("plan_instalment_reminder", "sms", "instalment_due", -3, "", ""),
    ("final_notice", "letter", "stage_entered", 0, "final_notice", ""),
    # 1006.6(c)(2): after a cease request, only the permitted confirmation.
    ("cease_confirmation", "letter", "cease_received", 0, "", "US"),
    ("cn_collection_letter", "letter", "days_past_due", 15, "", "CN"),
    ("gb_arrears_notice", "letter", "days_past_due", 14, "", "GB"),
]


def create(apps, schema_editor):
    Schedule = apps.get_model("notices", "NoticeSchedule")
    for kind, channel, trigger, offset, stage, jurisdiction in DEFAULTS:
        Schedule.objects.get_or_create(
            kind=kind, channel=channel, trigger=trigger, offset_days=offset, stage=stage, jurisdiction=jurisdiction,
        )


def remove(apps, schema_editor):
    apps.get_model("notices", "NoticeSchedule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
