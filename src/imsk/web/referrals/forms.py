"""Forms of the single point of access: the professional request and the self-referral steps.

Validation at the edge, with NHS.UK error messages that say how to put the answer right. The
clinical vocabulary (sources, categories, red flags and their groups, the triage facts) comes from
``imsk.core.triage`` and the condition codes from the code list in use, never from lists kept here;
only the words a patient reads are written here (:data:`PATIENT_RED_FLAG_WORDING`), one for each red
flag the engine knows (a test checks that none is missing).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from imsk.core.triage import RED_FLAG_GROUPS, Activation, RedFlag, RedFlagGroup, RiskGroup
from imsk.web.referrals.services import condition_codes

SOURCE_LABELS: dict[str, Promise] = {
    "gp": _("GP"),
    "primary_care_mdt": _("Primary care multidisciplinary team"),
    "urgent_primary_care": _("Urgent primary care"),
    "minor_injury_unit": _("Minor injury unit"),
    "emergency_department": _("Emergency department"),
    "nhs111": _("NHS 111"),
    "subspecialty": _("Subspecialty service"),
    "other": _("Other professional"),
}
CATEGORY_LABELS: dict[str, Promise] = {
    "rehabilitation_intervention": _("Rehabilitation intervention (diagnosis and choice agreed)"),
    "diagnosis_and_management_opinion": _("Diagnosis and management opinion"),
    "management_opinion": _("Management opinion (diagnosis agreed)"),
}
SEX_LABELS: dict[str, Promise] = {
    "female": _("Female"),
    "male": _("Male"),
    "other": _("Other"),
    "unknown": _("Not known"),
}
#: What each yes/no triage fact means, for the professional form.
FACT_LABELS: dict[str, Promise] = {
    "recent_surgery_requiring_rehab": _("Recent surgery that needs rehabilitation"),
    "recent_injury_requiring_rehab": _("Recent fracture or dislocation that needs rehabilitation"),
    "high_pain": _("High levels of pain"),
    "significant_loss_of_function": _("Significant loss of function"),
    "disturbed_sleep": _("Disturbed sleep"),
    "unable_to_work_or_care": _("Unable to work or to undertake caring responsibilities"),
    "meets_subspecialty_criteria": _("Meets a national subspecialty pathway's criteria"),
}
#: Plain words for each red flag, as a clinician reads them.
RED_FLAG_LABELS: dict[RedFlag, Promise] = {
    RedFlag.BLADDER_DISTURBANCE: _("Bladder disturbance"),
    RedFlag.BOWEL_DISTURBANCE: _("Bowel disturbance"),
    RedFlag.SADDLE_ANAESTHESIA: _("Saddle anaesthesia"),
    RedFlag.SEXUAL_DYSFUNCTION: _("Sexual dysfunction"),
    RedFlag.BILATERAL_LEG_SYMPTOMS: _("Bilateral leg symptoms"),
    RedFlag.PROGRESSIVE_NEUROLOGICAL_DEFICIT: _("Progressive neurological deficit"),
    RedFlag.HISTORY_OF_CANCER: _("History of cancer"),
    RedFlag.UNEXPLAINED_WEIGHT_LOSS: _("Unexplained weight loss"),
    RedFlag.PERSISTENT_NIGHT_PAIN: _("Persistent night pain"),
    RedFlag.NEW_PAIN_OVER_50: _("New pain over 50 that is suspicious"),
    RedFlag.THORACIC_PAIN: _("Thoracic pain"),
    RedFlag.FEVER_OR_SYSTEMICALLY_UNWELL: _("Fever or systemically unwell"),
    RedFlag.INTRAVENOUS_DRUG_USE: _("Intravenous drug use"),
    RedFlag.IMMUNOSUPPRESSION: _("Immunosuppression"),
    RedFlag.RECENT_INFECTION_OR_SPINAL_PROCEDURE: _("Recent infection or spinal procedure"),
    RedFlag.SIGNIFICANT_TRAUMA: _("Significant trauma"),
    RedFlag.MINOR_TRAUMA_WITH_OSTEOPOROSIS_OR_STEROIDS: _(
        "Minor trauma with osteoporosis or long-term steroids"
    ),
    RedFlag.NEW_STRUCTURAL_DEFORMITY: _("New structural deformity"),
    RedFlag.SUSPECTED_PERSISTENT_SYNOVITIS: _("Suspected persistent synovitis"),
}
#: The same red flags in the words a patient reads on the self-referral safety questions.
PATIENT_RED_FLAG_WORDING: dict[RedFlag, Promise] = {
    RedFlag.BLADDER_DISTURBANCE: _(
        "new problems peeing, such as not being able to pee or not knowing when your bladder is full"
    ),
    RedFlag.BOWEL_DISTURBANCE: _(
        "new problems controlling your bowels, or not knowing when you need to poo"
    ),
    RedFlag.SADDLE_ANAESTHESIA: _(
        "numbness around your bottom or genitals, or when wiping after going to the toilet"
    ),
    RedFlag.SEXUAL_DYSFUNCTION: _("new loss of sensation or function during sex"),
    RedFlag.BILATERAL_LEG_SYMPTOMS: _("pain, numbness or weakness in both legs"),
    RedFlag.PROGRESSIVE_NEUROLOGICAL_DEFICIT: _(
        "weakness or numbness in your legs that is getting worse"
    ),
    RedFlag.HISTORY_OF_CANCER: _("you have had cancer before"),
    RedFlag.UNEXPLAINED_WEIGHT_LOSS: _("you have lost weight without trying"),
    RedFlag.PERSISTENT_NIGHT_PAIN: _("pain at night that does not ease when you change position"),
    RedFlag.NEW_PAIN_OVER_50: _("you are over 50 and this pain is new and unlike any you have had"),
    RedFlag.THORACIC_PAIN: _("pain in the middle of your back, between your shoulder blades"),
    RedFlag.FEVER_OR_SYSTEMICALLY_UNWELL: _(
        "a high temperature, or you feel hot and shivery and generally unwell"
    ),
    RedFlag.INTRAVENOUS_DRUG_USE: _("you inject drugs"),
    RedFlag.IMMUNOSUPPRESSION: _(
        "you have a weakened immune system, for example from chemotherapy, steroids or HIV"
    ),
    RedFlag.RECENT_INFECTION_OR_SPINAL_PROCEDURE: _(
        "a recent infection, or an injection or operation on your spine"
    ),
    RedFlag.SIGNIFICANT_TRAUMA: _(
        "the pain started after a serious accident, such as a car crash or a fall from a height"
    ),
    RedFlag.MINOR_TRAUMA_WITH_OSTEOPOROSIS_OR_STEROIDS: _(
        "the pain started after a small fall or knock and you have osteoporosis or take steroid tablets"
    ),
    RedFlag.NEW_STRUCTURAL_DEFORMITY: _("a change in the shape of your back or a limb"),
    RedFlag.SUSPECTED_PERSISTENT_SYNOVITIS: _(
        "joints that are swollen, warm and stiff, especially in the morning, for more than a few days"
    ),
}
#: The safety questions' headings, one page per red-flag group, most urgent first.
SAFETY_ORDER: tuple[RedFlagGroup, ...] = (
    RedFlagGroup.CAUDA_EQUINA,
    RedFlagGroup.SUSPECTED_INFECTION,
    RedFlagGroup.SUSPECTED_FRACTURE,
    RedFlagGroup.SUSPECTED_CANCER,
    RedFlagGroup.INFLAMMATORY_ARTHRITIS,
)
BODY_AREAS: dict[str, Promise] = {
    "back": _("Lower back"),
    "neck": _("Neck"),
    "shoulder": _("Shoulder"),
    "elbow": _("Elbow"),
    "hand_wrist": _("Hand or wrist"),
    "hip": _("Hip"),
    "knee": _("Knee"),
    "foot_ankle": _("Foot or ankle"),
    "several": _("Several areas or all over"),
}
#: The impact facts a person answers for themselves (Wales specification 2.3 urgent criteria).
PATIENT_IMPACT: dict[str, Promise] = {
    "high_pain": _("My pain is severe"),
    "significant_loss_of_function": _("I cannot do everyday things I could do before"),
    "disturbed_sleep": _("The pain wakes me or stops me sleeping"),
    "unable_to_work_or_care": _("I cannot work, or cannot look after someone I care for"),
    "recent_surgery_requiring_rehab": _("I had an operation recently and need rehabilitation"),
    "recent_injury_requiring_rehab": _("I broke a bone or dislocated a joint recently"),
}


def _required(message: Promise) -> dict[str, Any]:
    return {"required": message, "invalid_choice": message}


class DateOfBirthMixin(forms.Form):
    """The NHS.UK date input: day, month and year as three boxes, checked together."""

    dob_day = forms.IntegerField(label=_("Day"), required=False)
    dob_month = forms.IntegerField(label=_("Month"), required=False)
    dob_year = forms.IntegerField(label=_("Year"), required=False)

    def clean_date_of_birth(self, today: date) -> date | None:
        parts = [self.cleaned_data.get(f"dob_{p}") for p in ("day", "month", "year")]
        if all(p is None for p in parts):
            self.add_error("dob_day", _("Enter the date of birth"))
            return None
        day, month, year = parts
        try:
            born = date(int(year or 0), int(month or 0), int(day or 0))
        except ValueError:
            self.add_error("dob_day", _("Date of birth must be a real date, like 15 3 1984"))
            return None
        if born > today or born.year < today.year - 130:
            self.add_error("dob_day", _("Date of birth must be in the past"))
            return None
        return born


class ProfessionalRequestForm(DateOfBirthMixin):
    """A referrer's request: who, why, the triage facts, red flags and the condition code."""

    source = forms.ChoiceField(
        label=_("Who is making the request"),
        choices=[("", _("Select")), *list(SOURCE_LABELS.items())],
        error_messages=_required(_("Select who is making the request")),
    )
    category = forms.ChoiceField(
        label=_("Request category"),
        choices=list(CATEGORY_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages=_required(_("Select the request category")),
    )
    nhs_number = forms.CharField(
        label=_("NHS number"),
        help_text=_("10 digits, like 943 476 5919"),
        max_length=12,
        error_messages={"required": _("Enter the NHS number")},
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, error_messages={"required": _("Enter the full name")}
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[("", _("Select")), *list(SEX_LABELS.items())],
        required=False,
    )
    referrer_practice = forms.RegexField(
        label=_("GP practice code"),
        help_text=_("The ODS code of the person's registered practice, like W91042"),
        regex=r"^[A-Z][0-9]{5}$",
        required=False,
        error_messages={
            "invalid": _("Enter the practice code as a letter and 5 digits, like W91042")
        },
    )
    condition_code = forms.ChoiceField(label=_("Condition"), required=False)
    red_flags = forms.MultipleChoiceField(
        label=_("Red flags"),
        help_text=_("Tick each red flag you judge present and relevant"),
        choices=[(flag.value, label) for flag, label in RED_FLAG_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    findings = forms.MultipleChoiceField(
        label=_("Urgency and impact"),
        choices=list(FACT_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    start_back = forms.ChoiceField(
        label=_("STarT Back risk group"),
        choices=[("", _("Not recorded"))] + [(g.value, g.value.title()) for g in RiskGroup],
        required=False,
    )
    activation = forms.ChoiceField(
        label=_("Activation to self-manage"),
        choices=[
            ("", _("Not known")),
            (Activation.LOW.value, _("Low")),
            (Activation.HIGH.value, _("High")),
        ],
        required=False,
    )
    referrer_priority = forms.ChoiceField(
        label=_("Priority you ask for"),
        choices=[("routine", _("Routine")), ("urgent", _("Urgent"))],
        widget=forms.RadioSelect,
        initial="routine",
        error_messages=_required(_("Select the priority you ask for")),
    )
    free_text = forms.CharField(
        label=_("Clinical details"), widget=forms.Textarea, max_length=10000, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["condition_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Not coded yet"))] + [
            (entry.code, f"{entry.label} ({entry.code})") for entry in condition_codes()
        ]

    def facts(self) -> dict[str, Any]:
        """The triage engine's facts from the cleaned answers."""
        data = self.cleaned_data
        facts: dict[str, Any] = dict.fromkeys(data.get("findings", []), True)
        if data.get("red_flags"):
            facts["red_flags"] = list(data["red_flags"])
        if data.get("start_back"):
            facts["start_back"] = data["start_back"]
        if data.get("activation"):
            facts["activation"] = data["activation"]
        return facts


def red_flag_groups() -> list[tuple[RedFlagGroup, list[RedFlag]]]:
    """The engine's red-flag groups in safety-question order, each flag list sorted for display."""
    return [(group, sorted(RED_FLAG_GROUPS[group])) for group in SAFETY_ORDER]


class SafetyForm(forms.Form):
    """One safety question: does the person have any of one group's red-flag symptoms?"""

    answer = forms.ChoiceField(
        label=_("Do you have any of these?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        error_messages=_required(_("Select yes if you have any of these")),
    )


class AboutYouForm(DateOfBirthMixin):
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, error_messages={"required": _("Enter your full name")}
    )
    nhs_number = forms.CharField(
        label=_("NHS number (if you know it)"),
        help_text=_("10 digits, like 943 476 5919"),
        max_length=12,
        required=False,
    )


class ContactForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone number"),
        help_text=_("We will call you on this number to arrange your care"),
        max_length=32,
        error_messages={"required": _("Enter a phone number")},
    )
    email = forms.EmailField(
        label=_("Email address (optional)"),
        max_length=254,
        required=False,
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com")
        },
    )


class ProblemForm(forms.Form):
    body_area = forms.ChoiceField(
        label=_("Where is your problem?"),
        choices=list(BODY_AREAS.items()),
        widget=forms.RadioSelect,
        error_messages=_required(_("Select where your problem is")),
    )


class ImpactForm(forms.Form):
    impact = forms.MultipleChoiceField(
        label=_("Which of these apply to you?"),
        help_text=_("Select all that apply, or none"),
        choices=list(PATIENT_IMPACT.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I agree that the MSK service may keep these answers in my health record and use them to "
            "arrange my care"
        ),
        error_messages={"required": _("Tick the box to agree, or close this page to stop")},
    )
