"""Forms of the collector's dashboard. Accessible by construction: every field has a label,
help text and errors are linked to it with aria-describedby, and an invalid field says so
(aria-invalid)."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.timezone import get_current_timezone_name, localdate, now
from django.utils.translation import gettext_lazy as _

from compliance import gate

from .models import (
    Agency, Channel, ContactOutcome, ContactPreference, HoldKind, ThirdPartyPurpose, ThirdPartyRelationship,
)

# Outcomes a collector records for a call or a visit (the gate writes `not_attempted` itself).
CALL_OUTCOMES = [
    (value, label) for value, label in ContactOutcome.choices
    if value not in ("not_attempted", "sent", "delivered", "undeliverable", "refused")
]
# A third party may also refuse to help (remembered: CN.THIRD_PARTY stops contact with them).
THIRD_PARTY_OUTCOMES = CALL_OUTCOMES + [(value, label) for value, label in ContactOutcome.choices if value == "refused"]


class AccessibleForm(forms.Form):
    """Links help text and errors to their field for screen readers."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{self.prefix + '-' if self.prefix else ''}{name}_help"

    def _post_clean(self):
        super()._post_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                bound_id = self[name].auto_id
                described = [f"{bound_id}_error"] + ([widget.attrs["aria-describedby"]] if "aria-describedby" in widget.attrs else [])
                widget.attrs["aria-describedby"] = " ".join(described)
                widget.attrs["aria-invalid"] = "true"


class ReasonForm(AccessibleForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, help_text=_("Recorded in the audit ledger."))


class TransitionForm(ReasonForm):
    transition = forms.CharField(widget=forms.HiddenInput)


class RevealForm(ReasonForm):
    pass


class ContactLogForm(AccessibleForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=[("call", _("Call")), ("visit", _("Visit"))])
    destination = forms.ChoiceField(label=_("Number or address"), required=False,
                                    help_text=_("Blank: the primary one."))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CALL_OUTCOMES)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    # A visit's circumstances, which the packs decide on (CN.VISIT, GB.VISIT, US-MA.VISITS).
    visit_collectors = forms.IntegerField(label=_("Collectors on the visit"), min_value=1, max_value=10, initial=1,
                                          required=False, help_text=_("For a visit."))
    visit_workplace = forms.BooleanField(label=_("The visit is at the debtor's workplace"), required=False)
    visit_requested = forms.BooleanField(label=_("The debtor asked for this visit"), required=False)
    visit_purpose_stated = forms.BooleanField(label=_("The visit's purpose was stated in advance"), required=False)
    reply = forms.BooleanField(
        label=_("This replies to the debtor's own contact"), required=False,
        help_text=_("One reply is allowed on the medium the debtor used, even at a time they named inconvenient, "
                    "after an opt-out or with an attorney known."))
    callback_at = forms.DateTimeField(
        label=_("Callback requested for"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, destinations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = [("", _("Primary"))] + [(value, label) for value, label in destinations]
        # Read in the zone the pages are written in (collections_app.display_zone).
        self.fields["callback_at"].help_text = _("Optional. In %(zone)s. The case leads the queue that day.") % {
            "zone": get_current_timezone_name()}

    def clean_callback_at(self):
        at = self.cleaned_data["callback_at"]
        if at is not None and not now() <= at <= now() + timedelta(days=366):
            raise forms.ValidationError(_("A callback is for a moment within the coming year."))
        return at


# compliance.gate.INBOUND_OUTCOMES, as a collector reads them ("delivered": a message the debtor left or sent).
INBOUND_OUTCOMES = [
    (value, _("Left or sent us a message") if value == "delivered" else ContactOutcome(value).label)
    for value in gate.INBOUND_OUTCOMES
]


class InboundContactForm(AccessibleForm):
    """The debtor contacted us: recorded, not decided."""

    channel = forms.ChoiceField(label=_("How"), choices=[("call", _("Call")), ("sms", _("SMS")), ("email", _("Email")),
                                                         ("letter", _("Letter"))])
    destination = forms.ChoiceField(label=_("From"), required=False, help_text=_("Blank: the primary one."))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=INBOUND_OUTCOMES)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)

    def __init__(self, *args, destinations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = [("", _("Primary"))] + [(value, label) for value, label in destinations]


class ThirdPartyContactForm(AccessibleForm):
    relationship = forms.ChoiceField(label=_("Who they are to the debtor"), choices=ThirdPartyRelationship.choices)
    purpose = forms.ChoiceField(label=_("Why you contact them"), choices=ThirdPartyPurpose.choices)
    destination = forms.CharField(
        label=_("Their number or name"), max_length=320,
        help_text=_("A number in any format, or a name spelt the same way each time: location contacts are "
                    "allowed once per person."))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=THIRD_PARTY_OUTCOMES)
    asked_to_recontact = forms.BooleanField(label=_("They asked us to call back"), required=False)
    earlier_answer_incomplete = forms.BooleanField(label=_("Their earlier answer was wrong or incomplete"),
                                                   required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)

    def clean_destination(self):
        destination = self.cleaned_data["destination"].strip()
        if not destination:
            raise forms.ValidationError(_("Say who was contacted: their number or name."))
        return destination


class ContactPreferenceForm(AccessibleForm):
    """An opt-out or a consent, as the debtor gave it (collections_app.services_api.contact_preference_record)."""

    kind = forms.ChoiceField(label=_("The debtor"), choices=[("opt_out", _("asked us not to use")),
                                                             ("consent", _("agreed to"))])
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("Every channel"))]
                                + [c for c in Channel.choices if c[0] != "third_party"])
    contact_point = forms.ChoiceField(label=_("Number or address"), required=False,
                                      help_text=_("Blank: the whole channel, whatever the number or address."))
    scope = forms.ChoiceField(label=_("What the consent covers"), required=False,
                              choices=[("", _("Not a consent"))] + list(ContactPreference.Scope.choices))
    expires_at = forms.DateTimeField(
        label=_("Until"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    evidence = forms.CharField(label=_("How the debtor said it"), max_length=2000,
                               help_text=_("Call note, letter, reply STOP. Kept with the record."))

    def __init__(self, *args, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_point"].choices = [("", _("Any"))] + [(str(pk), label) for pk, label in points]
        self.fields["expires_at"].help_text = _("Optional. In %(zone)s.") % {"zone": get_current_timezone_name()}

    def clean_expires_at(self):
        until = self.cleaned_data["expires_at"]
        if until is not None and not now() < until <= now() + timedelta(days=3653):
            raise forms.ValidationError(_("A moment in the coming ten years."))
        return until


class DebtorCircumstancesForm(AccessibleForm):
    """When and where the debtor may be reached, as they told us (every debt of theirs)."""

    inconvenient_times = forms.CharField(
        label=_("Times the debtor named inconvenient"), required=False, max_length=200,
        help_text=_("In the debtor's own time, e.g. 21:00-09:00, 12:00-13:30. Blank: none."))
    not_at_work = forms.BooleanField(label=_("Asked not to be contacted at work"), required=False)
    employer_prohibits_contact = forms.BooleanField(label=_("The employer forbids contact at work"), required=False)
    unreachable = forms.BooleanField(label=_("Cannot be reached"), required=False)
    incapacitated = forms.BooleanField(label=_("Incapacitated"), required=False)
    vulnerable = forms.BooleanField(label=_("Vulnerable"), required=False)

    def clean_inconvenient_times(self):
        from .services import inconvenient_times_parse

        try:
            return inconvenient_times_parse(self.cleaned_data["inconvenient_times"])
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["inconvenient_times"]) from None


LETTER_LABELS = {
    "reminder": _("Payment reminder"), "final_notice": _("Final notice"),
    "cn_collection_letter": _("Collection letter (催收函)"), "gb_arrears_notice": _("Notice of arrears"),
}


class LetterForm(AccessibleForm):
    kind = forms.ChoiceField(label=_("Letter"))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, LETTER_LABELS.get(k.code, k.title)) for k in kinds]


class ForbearanceReviewForm(AccessibleForm):
    note = forms.CharField(label=_("What was considered"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Payment plan, breathing space, hardship, reduced payments (CONC 7.3.4R)."))


class OutsourcingNoticeForm(AccessibleForm):
    evidence = forms.CharField(label=_("How the debtor was told"), max_length=2000,
                               help_text=_("The lender's letter, a text or a call, with its date."))


class ComposerForm(AccessibleForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=[("sms", _("SMS")), ("email", _("Email"))])
    message = forms.CharField(
        label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Checked as you type; the required disclosures are added for you."),
        strip=False,
    )


class PromiseForm(AccessibleForm):
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2,
                                localize=True)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("Format: YYYY-MM-DD."))

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < localdate():
            raise forms.ValidationError(_("A promise cannot fall due in the past."))
        if due > localdate() + timedelta(days=366):
            raise forms.ValidationError(_("A promise must fall due within a year; agree a payment plan for longer."))
        return due


class PaymentPlanForm(AccessibleForm):
    total = forms.DecimalField(label=_("Total amount"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2,
                               localize=True)
    count = forms.IntegerField(label=_("Number of instalments"), min_value=1, max_value=60, initial=3)
    first_due = forms.DateField(label=_("First instalment due"), widget=forms.DateInput(attrs={"type": "date"}),
                                help_text=_("Format: YYYY-MM-DD."))
    every_days = forms.IntegerField(label=_("Days between instalments"), min_value=7, max_value=92, initial=30)

    def clean_first_due(self):
        due = self.cleaned_data["first_due"]
        if due < localdate():
            raise forms.ValidationError(_("The first instalment cannot fall due in the past."))
        if due > localdate() + timedelta(days=366):
            raise forms.ValidationError(_("The first instalment must fall due within a year."))
        return due


class HoldOpenForm(AccessibleForm):
    kind = forms.ChoiceField(label=_("Kind of hold"), choices=HoldKind.choices)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000,
                               help_text=_("The letter, call note or court notice the hold rests on."))
    debtor_wide = forms.BooleanField(label=_("Every case of this debtor"), required=False)


class HoldCloseForm(ReasonForm):
    hold = forms.IntegerField(widget=forms.HiddenInput)


class AssignForm(AccessibleForm):
    collector = forms.ModelChoiceField(label=_("Collector"), queryset=None, required=False,
                                       empty_label=_("Unassigned"))

    def __init__(self, *args, collectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collector"].queryset = collectors


class AgencyPlaceForm(ReasonForm):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class QueueFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), required=False, choices=[
        ("", _("All")), ("US", "US"), ("US-MA", "US-MA"), ("US-CA", "US-CA"), ("US-WA", "US-WA"),
        ("CN", "CN"), ("GB", "GB"),
    ])
    dpd = forms.ChoiceField(label=_("Days past due"), required=False)
    contactable = forms.BooleanField(label=_("Can contact now"), required=False)
    # With "can contact now": the place in the ranked queue this page goes on from (set by
    # the "next" link, not shown among the filters).
    start = forms.IntegerField(min_value=0, max_value=10_000_000, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from .models import OPEN_STAGES, Stage
        from .selectors import DPD_BUCKETS

        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("All"))] + [(s, Stage(s).label) for s in OPEN_STAGES]
        self.fields["dpd"].choices = [("", _("All"))] + [(b, b) for b in DPD_BUCKETS]
