"""Reads of the case domain: each returns a queryset the caller can refine."""

from django.db.models import Q, QuerySet

from .models import Case


def cases_visible_to(user) -> QuerySet[Case]:
    """Collectors see their own cases, supervisors their teams' (and their own), compliance
    officers and administrators every case."""
    cases = Case.objects.all()
    if user.is_superuser or user.has_perm("compliance.view_auditevent"):
        return cases
    if user.has_perm("collections_app.assign_case"):
        return cases.filter(Q(team__members=user) | Q(collector=user)).distinct()
    return cases.filter(collector=user)
