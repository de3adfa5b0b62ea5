"""The dry-run page: what a day's reminder run would send, defer and suppress, and why."""

from datetime import date

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.timezone import localdate
from django.utils.translation import gettext

from collections_app.models import plausible_year

from .dry_run import forecast


@permission_required("compliance.view_auditevent", raise_exception=True)
def dry_run(request):
    error, day = "", localdate()
    if request.GET.get("date"):
        try:
            day = date.fromisoformat(request.GET["date"])
        except ValueError:
            error = gettext("date: use the form YYYY-MM-DD")
        else:
            if not plausible_year(day.year):
                error, day = gettext("date: a day between 1970 and 2099"), localdate()
    lines = [] if error else forecast(day=day)
    counts = {o: sum(1 for line in lines if line.outcome == o) for o in ("send", "defer", "suppress")}
    return render(request, "notices/pages/dry_run.html", {"day": day, "lines": lines, "counts": counts, "error": error})
