"""Web pages of the case domain. Each view parses, calls one selector or service, renders."""

import time
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime, now
from django.utils.translation import get_language, gettext as _, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from compliance import engine, gate

from . import display_zone, forms, selectors, services, services_api
from .queue_rows import queue_rows
from .models import Case, Hold, Stage


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


QUEUE_PAGE_SIZE = 50
REVEAL_SECONDS = 10 * 60

WORDING_CATEGORIES = {
    "violence": gettext_lazy("Violence or criminal means"),
    "obscene": gettext_lazy("Obscene or insulting"),
    "false_authority": gettext_lazy("False authority"),
    "false_arrest": gettext_lazy("False accusation or threat of arrest"),
    "action_not_intended": gettext_lazy("Action not lawful or not intended"),
    "exposure": gettext_lazy("Exposure to others"),
    "misstated_amount": gettext_lazy("Misstated amount or status"),
    "pressure_to_borrow": gettext_lazy("Pressure to borrow or pay extra"),
    "contact_bait": gettext_lazy("Misleading contact bait"),
    "debt_disclosure": gettext_lazy("Reveals the debt"),
}
TRANSITION_LABELS = {
    "start_reminders": gettext_lazy("Start reminders"),
    "activate": gettext_lazy("Activate collection"),
    "issue_final_notice": gettext_lazy("Issue final notice"),
    "arrange": gettext_lazy("Payment arrangement"),
    "place_with_agency": gettext_lazy("Place with agency"),
    "refer_to_legal": gettext_lazy("Refer to legal"),
    "resolve": gettext_lazy("Resolve"),
    "write_off": gettext_lazy("Write off"),
    "close": gettext_lazy("Close"),
}
# Transitions with their own form (they need more than a reason).
TRANSITIONS_WITH_OWN_FORM = {"arrange", "place_with_agency"}


def _may_act(user) -> bool:
    """Compliance officers read cases; they do not work them."""
    return user.is_superuser or not user.has_perm("compliance.view_auditevent") or user.has_perm(
        "collections_app.assign_case")


def _chinese() -> bool:
    return (get_language() or "en").lower().startswith("zh")


def _case_or_404(request, pk) -> Case:
    try:
        return selectors.case_for_page(user=request.user, pk=pk)
    except Case.DoesNotExist:
        raise Http404("No such case")


def _acting_case(request, pk) -> Case:
    if not _may_act(request.user):
        raise PermissionDenied("compliance officers read cases; they do not work them")
    return _case_or_404(request, pk)


# --- the work queue -------------------------------------------------------------------------------

@login_required
@permission_required("collections_app.view_case", raise_exception=True)
@require_GET
def queue(request):
    filters = forms.QueueFilterForm(request.GET or None)
    params = filters.cleaned_data if filters.is_valid() else {}
    moment = now()
    queue = selectors.queue_page(
        user=request.user, moment=moment, today=localtime(moment).date(), stage=params.get("stage") or None,
        jurisdiction=params.get("jurisdiction") or None, dpd_bucket=params.get("dpd") or None,
        contactable=bool(params.get("contactable")), page_number=request.GET.get("page"),
        start=params.get("start") or 0, size=QUEUE_PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("start", None)
    return render(request, "collections/queue.html", {
        "filters": filters, "page": queue.page, "contactable": queue.contactable, "rows": queue.rows,
        "rows_html": queue_rows(queue.rows), "query": query.urlencode(), "moment": moment,
        "propensity": {
            "base": selectors.PROPENSITY_BASE, "paid": selectors.PROPENSITY_PAID_RECENTLY,
            "spoke": selectors.PROPENSITY_SPOKE_RECENTLY, "promise": selectors.PROPENSITY_OPEN_PROMISE,
            "broken": selectors.PROPENSITY_BROKEN_PROMISE, "unanswered": selectors.PROPENSITY_UNANSWERED,
        },
    })


# --- the case page -------------------------------------------------------------------------------

def _mask(value: str, kind: str) -> str:
    if kind == "email" and "@" in value:
        local, domain = value.split("@", 1)
        return f"{local[:1]}•••@{domain}"
    if kind == "address":
        return "•••"
    return value[:3] + "•" * max(len(value) - 5, 3) + value[-2:]


@dataclass
class PointView:
    pk: int
    kind: str
    kind_label: str
    shown: str
    place: str
    is_primary: bool
    is_workplace: bool


def _revealed(request, case) -> bool:
    until = request.session.get(f"revealed:{case.pk}")
    return bool(until and until > time.time())


def _segments(text: str, findings) -> list[dict]:
    """The text cut into plain and flagged pieces (overlapping findings merged into the first)."""
    out, pos = [], 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if f.start < pos:
            continue
        if f.start > pos:
            out.append({"text": text[pos:f.start]})
        out.append({"text": text[f.start:f.end], "finding": f,
                    "category": WORDING_CATEGORIES.get(f.category, f.category)})
        pos = f.end
    if pos < len(text):
        out.append({"text": text[pos:]})
    return out


def _reasons(decision) -> list[dict]:
    if decision is None:
        return []
    zh = _chinese()
    return [{"rule": r.rule_id, "citation": r.citation, "message": r.message_zh if zh else r.message_en,
             "policy": r.policy} for r in decision.reasons]


def _case_context(request, case, **overrides) -> dict:
    user = request.user
    moment = now()
    may_act = _may_act(user)
    revealed = _revealed(request, case)
    points = [
        PointView(p.pk, p.kind, p.get_kind_display(), p.value if revealed else _mask(p.value, p.kind),
                  ", ".join(x for x in (p.city, p.region, p.country) if x), p.is_primary, p.is_workplace)
        for p in selectors.case_contact_points(case=case)
    ]
    statuses, local_times = selectors.case_contact_now(case=case, at=moment)
    channel_views = [{"status": s, "reasons": _reasons(s.decision)} for s in statuses.values()]
    holds = list(selectors.case_holds(case=case))
    transitions = services.allowed_transitions(case=case, user=user) if may_act else []
    placement = selectors.open_placement(case=case)
    is_supervisor = user.has_perm("collections_app.assign_case")
    context = {
        "case": case, "loan": case.loan, "debtor": case.debtor, "points": points, "revealed": revealed,
        "channel_views": channel_views, "holds": holds, "open_holds": [h for h in holds if h.is_open],
        "promises": list(selectors.case_promises(case=case)), "plans": list(selectors.case_plans(case=case)),
        "timeline": selectors.case_timeline(case=case), "may_act": may_act, "is_supervisor": is_supervisor,
        "placement": placement, "moment": moment, "local_times": local_times,
        "transition_buttons": [
            {"name": t, "label": TRANSITION_LABELS.get(t, t),
             "form": forms.TransitionForm(initial={"transition": t}, prefix=f"t-{t}")}
            for t in transitions if t not in TRANSITIONS_WITH_OWN_FORM
        ],
        "can_arrange": "arrange" in transitions, "can_place": "place_with_agency" in transitions,
        "can_recall": placement is not None and case.stage == Stage.AGENCY and is_supervisor,
        "reveal_form": forms.RevealForm(prefix="reveal"),
        "contact_form": forms.ContactLogForm(prefix="contact", destinations=_destination_choices(points)),
        "third_party_form": forms.ThirdPartyContactForm(prefix="third"),
        "inbound_form": forms.InboundContactForm(prefix="inbound", destinations=_point_choices(points)),
        "letter_form": forms.LetterForm(prefix="letter", kinds=services.letter_kinds(case=case)),
        # The steps some rules wait for: a forbearance review before escalating (GB), the
        # debtor told of the agency's placement (CN).
        "forbearance_form": forms.ForbearanceReviewForm(prefix="forbearance") if case.jurisdiction == "GB" else None,
        "outsourcing_form": forms.OutsourcingNoticeForm(prefix="outsourcing")
        if case.jurisdiction == "CN" and case.collector_type == "third_party" else None,
        "preferences": [
            {"preference": p, "point": next((v for v in points if v.pk == p.contact_point_id), None)}
            for p in selectors.debtor_preferences(debtor=case.debtor)
        ],
        "preference_form": forms.ContactPreferenceForm(prefix="pref", points=_point_choices(points)),
        "circumstances_form": forms.DebtorCircumstancesForm(prefix="circ", initial=_circumstances(case.debtor)),
        "inconvenient_text": services.inconvenient_times_text(case.debtor.inconvenient_times),
        "composer_form": forms.ComposerForm(prefix="compose", initial={"channel": "sms"}),
        "promise_form": forms.PromiseForm(prefix="promise"),
        "plan_form": forms.PaymentPlanForm(prefix="plan", initial={"total": case.loan.balance}),
        "hold_form": forms.HoldOpenForm(prefix="hold"),
        "hold_close_forms": {h.pk: forms.HoldCloseForm(prefix=f"close-{h.pk}", initial={"hold": h.pk}) for h in holds if h.is_open},
        "assign_form": forms.AssignForm(prefix="assign", collectors=selectors.assignable_collectors(user=user, case=case),
                                        initial={"collector": case.collector_id}) if is_supervisor else None,
        "place_form": forms.AgencyPlaceForm(prefix="place", agencies=selectors.agencies()) if is_supervisor else None,
        "recall_form": forms.ReasonForm(prefix="recall") if is_supervisor else None,
        "composer": None, "contact_result": None,
    }
    context["open_hold_forms"] = [(h, context["hold_close_forms"][h.pk]) for h in context["open_holds"]]
    context.update(overrides)
    return context


def _point_choices(points) -> list[tuple[int, str]]:
    return [(p.pk, f"{p.kind_label}: {p.shown}") for p in points]


def _circumstances(debtor) -> dict:
    return {
        "inconvenient_times": services.inconvenient_times_text(debtor.inconvenient_times),
        "not_at_work": debtor.not_at_work_since is not None,
        **{name: getattr(debtor, name) for name in ("employer_prohibits_contact", "unreachable", "incapacitated",
                                                    "vulnerable")},
    }


def _destination_choices(points) -> list[tuple[str, str]]:
    return [(str(p.pk), f"{p.kind_label}: {p.shown}") for p in points if p.kind in ("phone", "address")]


def _render_case(request, case, status=200, **overrides):
    return render(request, "collections/case.html", _case_context(request, case, **overrides), status=status)


@login_required
@permission_required("collections_app.view_case", raise_exception=True)
@require_GET
def case_detail(request, pk):
    return _render_case(request, _case_or_404(request, pk))


def _refused(request, error) -> None:
    if isinstance(error, ValidationError):
        text = "; ".join(str(m) for m in error.messages)
    else:
        text = str(error)
    messages.error(request, _("Refused: %(reason)s") % {"reason": text})


@login_required
@require_POST
def case_transition(request, pk):
    case = _acting_case(request, pk)
    name = request.POST.get("transition", "")
    form = forms.TransitionForm(request.POST, prefix=f"t-{name}")
    if not form.is_valid() or form.cleaned_data["transition"] != name:
        return _render_case(request, case, status=400, transition_buttons=[
            {"name": name, "label": TRANSITION_LABELS.get(name, name), "form": form}])
    try:
        services.case_transition(case=case, transition=name, by=request.user, reason=form.cleaned_data["reason"])
    except (services.TransitionRefused, PermissionDenied, ValidationError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Stage changed: %(transition)s.") % {"transition": TRANSITION_LABELS.get(name, name)})
    return redirect("collections:case", pk=case.pk)


@login_required
@require_POST
def case_reveal(request, pk):
    case = _case_or_404(request, pk)
    form = forms.RevealForm(request.POST, prefix="reveal")
    if not form.is_valid():
        return _render_case(request, case, status=400, reveal_form=form)
    services.personal_data_reveal(case=case, by=request.user, reason=form.cleaned_data["reason"])
    request.session[f"revealed:{case.pk}"] = time.time() + REVEAL_SECONDS
    messages.info(request, _("Personal data revealed for ten minutes; the reveal is in the audit ledger."))
    return redirect("collections:case", pk=case.pk)


@login_required
@require_POST
def contact_log(request, pk):
    """Log a call or a visit: the gate decides on submit and records the attempt either way."""
    case = _acting_case(request, pk)
    points = {str(p.pk): p.value for p in selectors.case_contact_points(case=case)}
    form = forms.ContactLogForm(request.POST, prefix="contact", destinations=[(k, k) for k in points])
    if not form.is_valid():
        return _render_case(request, case, status=400, contact_form=form)
    data = form.cleaned_data
    visit = engine.Visit(
        collectors=data["visit_collectors"] or 1, workplace=data["visit_workplace"],
        requested_by_consumer=data["visit_requested"], purpose_stated=data["visit_purpose_stated"],
    ) if data["channel"] == "visit" else None
    recorded = gate.record(
        case=case, channel=data["channel"], outcome=data["outcome"], by=request.user,
        destination=points.get(data["destination"]) if data["destination"] else None, note=data["note"], visit=visit,
        purpose="reply" if data["reply"] else "collection",
    )
    if data["callback_at"]:
        case = services.callback_schedule(case=case, at=data["callback_at"], by=request.user)
    elif recorded.decision.allowed and case.callback_at and case.callback_at <= now():
        case = services.callback_schedule(case=case, at=None, by=request.user)  # the callback was made
    result = {"allowed": recorded.decision.allowed, "reasons": _reasons(recorded.decision),
              "next_allowed_at": recorded.decision.next_allowed_at, "attempt": recorded.attempt.pk}
    return _render_case(request, case, status=200 if recorded.decision.allowed else 409, contact_result=result)


@login_required
@require_POST
def inbound_log(request, pk):
    """The debtor called, texted, emailed or wrote to us: recorded for the rules to read."""
    case = _acting_case(request, pk)
    points = {str(p.pk): p.value for p in selectors.case_contact_points(case=case)}
    form = forms.InboundContactForm(request.POST, prefix="inbound", destinations=[(k, k) for k in points])
    if not form.is_valid():
        return _render_case(request, case, status=400, inbound_form=form)
    data = form.cleaned_data
    gate.record_inbound(case=case, channel=data["channel"], outcome=data["outcome"], by=request.user,
                        destination=points.get(data["destination"]) if data["destination"] else None,
                        note=data["note"])
    messages.success(request, _("The debtor's contact is recorded."))
    return redirect("collections:case", pk=case.pk)


@login_required
@require_POST
def third_party_contact(request, pk):
    """Log a contact with someone other than the debtor: the gate decides on who they are and
    why they are contacted (US.THIRD_PARTY, US.LOCATION, CN.THIRD_PARTY) and records it either way."""
    case = _acting_case(request, pk)
    form = forms.ThirdPartyContactForm(request.POST, prefix="third")
    if not form.is_valid():
        return _render_case(request, case, status=400, third_party_form=form)
    data = form.cleaned_data
    recorded = gate.record(
        case=case, channel="third_party", outcome=data["outcome"], by=request.user, destination=data["destination"],
        note=data["note"], purpose=data["purpose"],
        third_party=engine.ThirdParty(data["relationship"], asked_to_recontact=data["asked_to_recontact"],
                                      earlier_answer_incomplete=data["earlier_answer_incomplete"]),
    )
    result = {"allowed": recorded.decision.allowed, "reasons": _reasons(recorded.decision),
              "next_allowed_at": recorded.decision.next_allowed_at, "attempt": recorded.attempt.pk}
    return _render_case(request, case, status=200 if recorded.decision.allowed else 409, contact_result=result)


def _composer_check(case, channel: str, text: str) -> dict:
    """What the composer shows: the words flagged, the message as it will be sent, the gate's
    decision on it now, and whether sending is possible."""
    language = case.debtor.language if case.debtor.language in engine.LANGUAGES else "en"
    findings = engine.check_wording(text, language=language, jurisdiction=case.jurisdiction, facts={
        "suit_authorized": case.suit_authorized, "judgment_exists": case.judgment_exists,
        "time_barred": case.time_barred,
    }) if text.strip() else ()
    final = services.message_with_required_content(
        text=text, channel=channel, language=language,
        # As the gate's US.DISCLOSURE rule: no initial communication before this moment.
        first_communication=case.initial_communication_at is None or case.initial_communication_at >= now(),
    ) if text.strip() else ""
    decision = gate.check(case=case, channel=channel, message=final) if final else None
    added = final[len(text.strip()):].strip() if final else ""
    return {
        "text": text, "channel": channel, "segments": _segments(text, findings),
        "findings": [{"finding": f, "category": WORDING_CATEGORIES.get(f.category, f.category)} for f in findings],
        "final": final, "added": added, "decision": decision, "reasons": _reasons(decision),
        "can_send": bool(final) and not findings and decision is not None and decision.allowed,
    }


@login_required
@require_POST
def compose(request, pk):
    """The composer: `action=check` (also each keystroke, through htmx) or `action=send`."""
    case = _acting_case(request, pk)
    form = forms.ComposerForm(request.POST, prefix="compose")
    if not form.is_valid():
        if request.htmx:
            return render(request, "collections/_composer_check.html", {"composer": None, "case": case})
        return _render_case(request, case, status=400, composer_form=form)
    check = _composer_check(case, form.cleaned_data["channel"], form.cleaned_data["message"])
    if request.POST.get("action") != "send":
        template = "collections/_composer_check.html" if request.htmx else "collections/case.html"
        if request.htmx:
            return render(request, template, {"composer": check, "case": case})
        return _render_case(request, case, composer_form=form, composer=check)
    if not check["can_send"] and check["findings"]:
        # The words are refused before anything reaches the gate; the collector rewrites.
        return _render_case(request, case, status=409, composer_form=form, composer=check)
    recorded, notice = services.composed_message_send(case=case, channel=check["channel"], text=check["final"],
                                                      by=request.user)
    if not recorded.decision.allowed:
        check.update(decision=recorded.decision, reasons=_reasons(recorded.decision), can_send=False)
        return _render_case(request, case, status=409, composer_form=form, composer=check)
    messages.success(request, _("Message accepted by the gate and queued in the outbox (notice %(id)s).") % {"id": notice.pk})
    return redirect("collections:case", pk=case.pk)


def _simple_post(request, pk, form_class, prefix, context_name, act, success, **form_kwargs):
    """Validate one form and call one service; re-render with errors, or redirect."""
    case = _acting_case(request, pk)
    form = form_class(request.POST, prefix=prefix, **form_kwargs)
    if not form.is_valid():
        return _render_case(request, case, status=400, **{context_name: form})
    try:
        act(case, form.cleaned_data)
    except (services.TransitionRefused, PermissionDenied, ValidationError) as error:
        _refused(request, error)
    else:
        messages.success(request, success)
    return redirect("collections:case", pk=case.pk)


@login_required
@require_POST
def promise_create(request, pk):
    return _simple_post(
        request, pk, forms.PromiseForm, "promise", "promise_form",
        lambda case, d: services.promise_create(case=case, amount=d["amount"], due_date=d["due_date"], by=request.user),
        _("Promise to pay recorded."),
    )


@login_required
@require_POST
def plan_create(request, pk):
    return _simple_post(
        request, pk, forms.PaymentPlanForm, "plan", "plan_form",
        lambda case, d: services.payment_plan_create(
            case=case, by=request.user,
            instalments=services.even_instalments(total=d["total"], count=d["count"], first_due=d["first_due"],
                                                  every_days=d["every_days"]),
        ),
        _("Payment plan set up; the case is in arrangement."),
    )


@login_required
@require_POST
def hold_open(request, pk):
    return _simple_post(
        request, pk, forms.HoldOpenForm, "hold", "hold_form",
        lambda case, d: services.hold_open(case=case, kind=d["kind"], by=request.user, evidence=d["evidence"],
                                           debtor_wide=d["debtor_wide"]),
        _("Hold opened."),
    )


@login_required
@require_POST
def preference_record(request, pk):
    """An opt-out or a consent the debtor gave: the gate reads it before every contact."""
    case = _acting_case(request, pk)
    points = {p.pk: p for p in case.debtor.contact_points.all()}
    form = forms.ContactPreferenceForm(request.POST, prefix="pref",
                                       points=[(pk_, str(pk_)) for pk_ in points])
    if form.is_valid():
        d = form.cleaned_data
        try:
            services_api.contact_preference_record(
                debtor=case.debtor, case=case, kind=d["kind"], channel=d["channel"], scope=d["scope"],
                contact_point=points[int(d["contact_point"])] if d["contact_point"] else None,
                expires_at=d["expires_at"], evidence=d["evidence"], by=request.user,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
    if not form.is_valid():
        return _render_case(request, case, status=400, preference_form=form)
    messages.success(request, _("Recorded: the gate reads it before every contact."))
    return redirect("collections:case", pk=case.pk)


@login_required
@require_POST
def letter_request(request, pk):
    case = _acting_case(request, pk)
    return _simple_post(
        request, pk, forms.LetterForm, "letter", "letter_form",
        lambda case, d: services.letter_request(case=case, kind=d["kind"], by=request.user),
        _("The letter is in the outbox: it goes with the next print batch."), kinds=services.letter_kinds(case=case),
    )


@login_required
@require_POST
def forbearance_review(request, pk):
    return _simple_post(
        request, pk, forms.ForbearanceReviewForm, "forbearance", "forbearance_form",
        lambda case, d: services.forbearance_review_record(case=case, by=request.user, note=d["note"]),
        _("Forbearance review recorded: escalation may follow."),
    )


@login_required
@require_POST
def outsourcing_notice(request, pk):
    return _simple_post(
        request, pk, forms.OutsourcingNoticeForm, "outsourcing", "outsourcing_form",
        lambda case, d: services.outsourcing_notice_record(case=case, by=request.user, evidence=d["evidence"]),
        _("Recorded: the debtor was told of the placement."),
    )


@login_required
@require_POST
def circumstances_update(request, pk):
    return _simple_post(
        request, pk, forms.DebtorCircumstancesForm, "circ", "circumstances_form",
        lambda case, d: services.debtor_circumstances_update(debtor=case.debtor, case=case, by=request.user, **d),
        _("Saved for every debt of the debtor."),
    )


@login_required
@require_POST
def hold_close(request, pk, hold_pk):
    def act(case, d):
        hold = Hold.objects.filter(debtor_id=case.debtor_id, pk=hold_pk).first()
        if hold is None:
            raise Http404("No such hold")
        services.hold_close(hold=hold, by=request.user, reason=d["reason"])

    return _simple_post(request, pk, forms.HoldCloseForm, f"close-{hold_pk}", "unused_hold_close_form", act,
                        _("Hold closed."))


@login_required
@permission_required("collections_app.assign_case", raise_exception=True)
@require_POST
def case_assign(request, pk):
    case = _acting_case(request, pk)
    return _simple_post(
        request, pk, forms.AssignForm, "assign", "assign_form",
        lambda case, d: services.case_assign(case=case, collector=d["collector"], by=request.user),
        _("Case assigned."), collectors=selectors.assignable_collectors(user=request.user, case=case),
    )


@login_required
@permission_required("collections_app.place_with_agency", raise_exception=True)
@require_POST
def agency_place(request, pk):
    return _simple_post(
        request, pk, forms.AgencyPlaceForm, "place", "place_form",
        lambda case, d: services.agency_place(case=case, agency=d["agency"], by=request.user, reason=d["reason"]),
        _("Case placed with the agency; its contact history went with it."), agencies=selectors.agencies(),
    )


@login_required
@permission_required("collections_app.place_with_agency", raise_exception=True)
@require_POST
def agency_recall(request, pk):
    return _simple_post(
        request, pk, forms.ReasonForm, "recall", "recall_form",
        lambda case, d: services.agency_recall(case=case, by=request.user, reason=d["reason"]),
        _("Placement recalled; the case is back in active collection."),
    )


@login_required
@require_POST
def time_zone_choose(request):
    """The header's time-zone switch: times on every page are then written in that zone."""
    try:
        display_zone.choose(user=request.user, session=request.session, zone=request.POST.get("time_zone", ""))
    except ValidationError as exc:
        messages.error(request, _("Refused: %(reason)s") % {"reason": "; ".join(exc.messages)})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "home"
    return redirect(back)
