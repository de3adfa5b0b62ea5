"""Web pages of the case domain. Each view parses, calls one selector or service, renders."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def home(request):
    """Send each role where its work is: officers to the audit view, collectors and
    supervisors to their work queue, anyone else to the admin."""
    user = request.user
    if user.has_perm("compliance.view_auditevent") and not user.has_perm("collections_app.assign_case"):
        return redirect("compliance:audit")
    if user.has_perm("collections_app.view_case"):
        return redirect("collections:queue")
    return redirect("admin:index")
