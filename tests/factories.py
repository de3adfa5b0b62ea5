from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User

from collections_app.models import Case, ContactPoint, Debtor, Hold, Loan, Team


def role_group(name: str) -> Group:
    """The role's group as the data migration made it. A transactional test's flush empties
    every table (permissions included), so later tests may have to make it again."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.management import create_contenttypes

    group, created = Group.objects.get_or_create(name=name)
    if created:
        for label in ("collections_app", "compliance"):
            create_contenttypes(apps.get_app_config(label), verbosity=0)
            create_permissions(apps.get_app_config(label), verbosity=0)
        codenames = import_module("collections_app.migrations.0002_roles").ROLES[name]
        group.permissions.set(Permission.objects.filter(
            content_type__app_label__in=["collections_app", "compliance"], codename__in=codenames,
        ))
    return group


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if not create:
            return
        # Save the password set above, so a session made for this user stays valid.
        self.save(update_fields=["password"])
        if extracted:
            self.groups.add(role_group(extracted))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class DebtorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Debtor

    debtor_ref = factory.Sequence(lambda n: f"D{n:06d}")
    full_name = factory.Sequence(lambda n: f"Debtor {n}")


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    debtor = factory.SubFactory(DebtorFactory)
    kind = "phone"
    value = factory.Sequence(lambda n: f"+1212555{n % 10000:04d}")


class LoanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Loan

    loan_ref = factory.Sequence(lambda n: f"L{n:06d}")
    debtor = factory.SubFactory(DebtorFactory)
    currency = "USD"
    principal = Decimal("1000.00")
    balance = Decimal("1200.00")
    due_date = factory.LazyFunction(lambda: date.today() - timedelta(days=10))
    itemization_date = factory.LazyFunction(lambda: date.today() - timedelta(days=5))
    itemization_amount = Decimal("1200.00")


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    loan = factory.SubFactory(LoanFactory)
    debtor = factory.LazyAttribute(lambda case: case.loan.debtor)
    jurisdiction = "US"
    collector_type = "third_party"


class HoldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hold

    case = factory.SubFactory(CaseFactory)
    debtor = factory.LazyAttribute(lambda hold: hold.case.debtor)
    kind = "dispute"
    evidence = "Letter received"
