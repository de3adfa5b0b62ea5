"""The three roles as Django groups, with the permissions each needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ALL = [
    "view_debtor", "view_contactpoint", "view_contactpreference", "view_loan", "view_case",
    "view_hold", "view_promisetopay", "view_paymentplan", "view_instalment", "view_payment",
    "view_agency", "view_placement", "view_contactattempt", "view_team",
]
ROLES = {
    "collector": ["view_debtor", "view_contactpoint", "view_loan", "view_case", "view_hold",
                  "view_promisetopay", "view_paymentplan", "view_instalment", "view_payment",
                  "view_contactattempt"],
    "supervisor": VIEW_ALL + ["place_with_agency", "refer_to_legal", "write_off_case", "assign_case"],
    "compliance_officer": VIEW_ALL + ["view_auditevent"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_label in ("collections_app", "compliance"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(
            content_type__app_label__in=["collections_app", "compliance"], codename__in=codenames,
        )
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions missing for role {role}: {sorted(missing)}")
        group.permissions.set(perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("collections_app", "0001_initial"),
        ("compliance", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
