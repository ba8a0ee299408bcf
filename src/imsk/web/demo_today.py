"""A current picture for the demo service: what a Monday morning in an MSK service looks like.

The demo data set (``imsk synth`` then ``imsk_load_dataset``) covers April 2025 to March 2026, so on
any later day every loaded request is months old and the clinical screens have nothing current to
show. :func:`build` adds, relative to today's Europe/London date, what a service has on a working
morning:

* new requests over the last four working days, untriaged (a few with red flags, a few urgent, some
  past their triage deadline: WD(d, 1) urgent, WD(d, 3) routine), two waiting for an answer;
* requests received over the last 20 weeks and triaged onto pathways seen in clinics, so the waiting
  lists show a spread of weeks waited;
* clinics over the next five working days of the service nation's calendar (band 6 and 7; in
  person, telephone, video and a group class), some slots booked from the waiting list;
* a person discharged to Patient Initiated Follow-Up (PIFU) after a consultation with activities, an
  open escalation to a band-7 clinician, a subspecialty interface clinic (MDT) case;
* questionnaire invitations, self-management resources, a complaint and a compliment.

Everything is written through the apps' own services, so every write is audited exactly as when a
person does it on screen. It is deterministic for a seed and a date (one ``random.Random`` drives
every choice), and idempotent: each request carries a key in its free text (``[demo <date> s<seed>
#<n>]``), clinics are keyed by service, date, location, mode and band, resources by slug, feedback
by the key in its details; every other step checks whether its record exists first. A second run on
the same day adds nothing; a run on a later day adds that day's picture.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from imsk.core.calendar import WorkingDayCalendar, calendar_for
from imsk.core.codes import ExitCode
from imsk.core.dataset.enums import (
    ContactMode,
    ExitOutcome,
    Pathway,
    Subspecialty,
    Timepoint,
)
from imsk.web.accounts.models import Service, User
from imsk.web.clinics import services as clinics
from imsk.web.clinics.models import Clinic, Slot
from imsk.web.consultations import services as care
from imsk.web.consultations.models import Consultation, Escalation
from imsk.web.demo_content import (
    FEEDBACK,
    FIRST,
    LAST,
    RED_FLAG_PROFILES,
    RESOURCES,
    ROUTINE_PROFILES,
    URGENT_PROFILES,
    WAITING_PROFILES,
    Profile,
)
from imsk.web.outcomes import services as outcomes
from imsk.web.outcomes.models import FeedbackRecord, Invitation, Resource
from imsk.web.outcomes.senders import ConsoleSender
from imsk.web.referrals import services as referrals
from imsk.web.referrals.models import Channel, Exit, OnwardReferral, Request
from imsk.web.triage import services as triage
from imsk.web.triage.models import Addressee, InformationRequest

LONDON = referrals.LONDON
SERVICE_ID = "7A4-MSK01"
EMAILS = {
    "referrer": "referrer@demo.imsk.invalid",
    "triage": "triage@demo.imsk.invalid",
    "clinician": "clinician@demo.imsk.invalid",
    "manager": "manager@demo.imsk.invalid",
}
UNTRIAGED = 40
TRIAGED = 30
ARRIVAL_DAYS = 4  # working days before today that the untriaged requests arrived on
WAIT_WEEKS = 20  # the triaged requests were received over this many weeks
CLINIC_DAYS = 5


class DemoSetupError(Exception):
    """The demo service or its users are missing (run ``imsk_demo_users`` first)."""


@dataclass(frozen=True)
class Staff:
    """The demo users who act: each step is done by the role that does it on screen."""

    service: Service
    referrer: User
    triage: User
    clinician: User
    manager: User


@dataclass
class Report:
    """What a run created (zero everywhere on a second run the same day)."""

    created: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    showcase: dict[str, str] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n


def load_staff() -> Staff:
    """The demo service and users, or :class:`DemoSetupError` naming what is missing."""
    service = Service.objects.filter(service_id=SERVICE_ID).first()
    users = {key: User.objects.filter(email=email).first() for key, email in EMAILS.items()}
    missing = [EMAILS[key] for key, user in users.items() if user is None]
    if service is None or missing:
        what = ", ".join(([] if service else [f"service {SERVICE_ID}"]) + missing)
        raise DemoSetupError(f"missing {what}: run imsk_demo_users first")
    return Staff(service, **{key: user for key, user in users.items() if user is not None})


# Days and times ----------------------------------------------------------------------------------


def working_days_before(cal: WorkingDayCalendar, today: date, n: int) -> list[date]:
    """The ``n`` working days before ``today`` (today excluded), oldest first."""
    days: list[date] = []
    day = today
    while len(days) < n:
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            days.append(day)
    return days[::-1]


def working_day_on_or_before(cal: WorkingDayCalendar, day: date) -> date:
    while not cal.is_working_day(day):
        day -= timedelta(days=1)
    return day


def clinic_days(cal: WorkingDayCalendar, today: date) -> list[date]:
    """Today if a working day, then working days up to :data:`CLINIC_DAYS` in all."""
    first = cal.next_working_day_on_or_after(today)
    days = [first]
    while len(days) < CLINIC_DAYS:
        days.append(cal.add_working_days(days[-1], 1))
    return days


def at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


# People and requests -------------------------------------------------------------------------------


def nhs_number(rng: random.Random) -> str:
    """A valid NHS number in the 999 range (reserved for testing: never a real person's)."""
    while True:
        digits = [9, 9, 9, *(rng.randrange(10) for _ in range(6))]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(0 if check == 11 else check)


def key_of(today: date, seed: int, n: int) -> str:
    """The idempotency key a demo request carries at the end of its free text."""
    return f"[demo {today.isoformat()} s{seed} #{n:02d}]"


def new_request(
    staff: Staff, rng: random.Random, profile: Profile, received: datetime, key: str
) -> referrals.NewRequest:
    """A request as the form (professional) or the self-referral page would parse it."""
    day = timezone.localdate(received, LONDON)
    born = day - timedelta(days=rng.randint(*profile.age) * 365 + rng.randrange(365))
    is_self = profile.source == "self"
    return referrals.NewRequest(
        service=staff.service,
        channel=Channel.SELF_REFERRAL if is_self else Channel.WEB_FORM,
        source=profile.source,
        received_at=received,
        age=referrals.age_on(born, day),
        person=referrals.PersonDetails(
            nhs_number=nhs_number(rng),
            full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            date_of_birth=born,
        ),
        category=profile.category,
        sex=rng.choice(("female", "male")),
        deprivation_quintile=rng.randint(1, 5),
        condition_code=profile.code,
        free_text=f"{profile.text} {key}",
        facts=dict(profile.facts),
    )


class Builder:
    """Builds today's picture step by step; each step skips what an earlier run made."""

    def __init__(self, staff: Staff, *, today: date, seed: int, base_url: str) -> None:
        self.staff = staff
        self.today = today
        self.seed = seed
        self.base_url = base_url.rstrip("/")
        self.rng = random.Random(f"imsk-demo-today:{seed}:{today.isoformat()}")  # noqa: S311 - demo data
        self.cal = calendar_for(staff.service.nation)
        self.report = Report()
        marker = f"[demo {today.isoformat()} s{seed} #"
        self.existing = {
            r.free_text[r.free_text.rindex(marker) :]: r
            for r in Request.objects.filter(service=staff.service, free_text__contains=marker)
        }

    def request(self, n: int, profile: Profile, received: datetime) -> Request:
        """The demo request number ``n``: created once through the intake service."""
        key = key_of(self.today, self.seed, n)
        parsed = new_request(self.staff, self.rng, profile, received, key)  # rng moves either way
        if key in self.existing:
            return self.existing[key]
        actor = None if profile.source == "self" else self.staff.referrer
        created = referrals.create_request(parsed, actor=actor, audit_details={"demo": key})
        self.report.add("requests")
        return created

    # Untriaged arrivals --------------------------------------------------------------------------

    def arrivals(self) -> list[Request]:
        """40 requests over the last 4 working days, left for the triage worklist."""
        days = working_days_before(self.cal, self.today, ARRIVAL_DAYS)
        plan = list(RED_FLAG_PROFILES) + list(URGENT_PROFILES) * 2
        plan += [ROUTINE_PROFILES[i % len(ROUTINE_PROFILES)] for i in range(UNTRIAGED - len(plan))]
        self.rng.shuffle(plan)
        made = []
        for n, profile in enumerate(plan, start=1):
            day = days[(n - 1) % len(days)]
            received = at(day, self.rng.randint(8, 16), self.rng.choice((0, 10, 25, 40, 55)))
            made.append(self.request(n, profile, received))
        return made

    def questions(self, arrivals: list[Request]) -> None:
        """Two routine arrivals wait for an answer (``awaiting_information``), via triage."""
        routine = [r for r in arrivals if not (r.triage_facts or {}).get("red_flags")]
        asks = (
            (Addressee.REFERRER, "Please send the X-ray report you mention in the letter."),
            (Addressee.PERSON, "Which of your joints is the most troublesome at the moment?"),
        )
        for request, (to, question) in zip(routine[-2:], asks, strict=True):
            if InformationRequest.objects.filter(request=request).exists():
                continue
            triage.ask_for_information(
                actor=self.staff.triage,
                request_id=request.request_id,
                asked_of=to,
                question=question,
            )
            self.report.add("questions asked")

    # Triaged, waiting --------------------------------------------------------------------------

    def waiting(self) -> list[Request]:
        """30 requests received over the last 20 weeks, triaged now on the engine's suggestion."""
        made = []
        for i in range(TRIAGED):
            days_ago = 3 + round(i * (WAIT_WEEKS * 7 - 3) / (TRIAGED - 1))
            day = working_day_on_or_before(self.cal, self.today - timedelta(days=days_ago))
            profile = (
                URGENT_PROFILES[i % 2] if i < 3 else WAITING_PROFILES[i % len(WAITING_PROFILES)]
            )
            received = at(day, self.rng.randint(9, 15), self.rng.choice((5, 20, 35, 50)))
            request = self.request(UNTRIAGED + 1 + i, profile, received)
            made.append(self.allocate(request))
        return made

    def allocate(self, request: Request) -> Request:
        """Accept the triage engine's suggestion (the clinician agrees with it)."""
        if request.status in triage.OPEN_STATUSES:
            engine = triage.engine_decision(request, triage.latest_condition_code(request))
            allocation = triage.Allocation(
                priority=engine.priority, pathway=engine.pathway, band=engine.band or 6
            )
            triage.allocate(
                actor=self.staff.triage, request_id=request.request_id, allocation=allocation
            )
            self.report.add("requests triaged")
        request.refresh_from_db()
        return request

    # Clinics and bookings --------------------------------------------------------------------------

    def clinic_plan(self, index: int, day: date) -> Iterator[clinics.NewClinic]:
        """The sessions of one working day: a weekly pattern, the same whatever the seed."""
        s = self.staff
        yield clinics.NewClinic(
            s.service, day, time(9), 8, 45, 6, ContactMode.IN_PERSON,
            "Cardiff Royal Infirmary, MSK outpatients room 2", clinician=s.triage,
        )  # fmt: skip
        yield clinics.NewClinic(
            s.service, day, time(13, 30), 6, 30, 7, ContactMode.TELEPHONE,
            "Telephone clinic", clinician=s.clinician,
        )  # fmt: skip
        if index % 2 == 1:
            yield clinics.NewClinic(
                s.service, day, time(10), 6, 30, 6, ContactMode.VIDEO, "Video clinic (Attend Anywhere)"
            )  # fmt: skip
        if index == 2:
            yield clinics.NewClinic(
                s.service, day, time(10, 30), 1, 60, 6, ContactMode.GROUP,
                "ESCAPE-pain class, University Hospital Llandough gym", capacity=10,
            )  # fmt: skip

    def clinics(self) -> list[Clinic]:
        """Clinics over the next five working days, created by the service manager."""
        made = []
        for index, day in enumerate(clinic_days(self.cal, self.today)):
            for new in self.clinic_plan(index, day):
                found = Clinic.objects.filter(
                    service=new.service, date=day, location=new.location, mode=new.mode.value,
                    band=new.band, cancelled_at__isnull=True,
                ).first()  # fmt: skip
                if found is None:
                    found = clinics.create_clinic(self.staff.manager, new, today=self.today)
                    self.report.add("clinics")
                made.append(found)
        return made

    def bookings(self, waiting: list[Request], keep: set[int]) -> list[Request]:
        """Book every other demo request (by its number), in waiting-list order: urgent first.

        Who is booked depends on the request's number only, never on what is booked already, so a
        second run books nobody new. Every sixth goes to the group class when its pathway allows.
        """
        chosen = {r.pk: i for i, r in enumerate(waiting) if i % 2 == 0 and r.pk not in keep}
        order = [
            entry.request
            for pathway in clinics.BOOKABLE_PATHWAYS
            for entry in clinics.waiting_list(self.staff.service, pathway, self.today).entries
            if entry.request.pk in chosen
        ]
        days = clinic_days(self.cal, self.today)
        for n, request in enumerate(order):
            group = chosen[request.pk] % 6 == 4 and request.pathway == Pathway.ASSESS_AND_SUPPORT
            slot = self.free_slot(request, group, days[n % len(days)])
            if slot is not None:
                clinics.book(self.staff.manager, request, slot)
                self.report.add("appointments booked")
        return sorted((r for r in waiting if r.contacts.exists()), key=lambda r: r.pk)

    def free_slot(self, request: Request, group: bool, day: date) -> Slot | None:
        """The first free future slot the request's band allows: on ``day`` if it can be, then any
        day; a group seat when ``group`` (else, or when the class is full, one to one)."""
        soon = timezone.now() + timedelta(hours=1)
        free = Slot.objects.filter(
            clinic__service=self.staff.service, clinic__cancelled_at__isnull=True,
            clinic__date__gte=self.today, contact__isnull=True, starts_at__gt=soon,
            clinic__band__gte=request.band or 1,
        ).order_by("starts_at", "seat")  # fmt: skip
        is_group = Q(clinic__mode=ContactMode.GROUP.value)
        choices = [free.filter(is_group)] if group else []
        choices += [free.exclude(is_group).filter(clinic__date=day), free.exclude(is_group)]
        for candidates in choices:
            slot = candidates.first()
            if slot is not None:
                return slot
        return None

    # The care record -----------------------------------------------------------------------------

    def bands(self) -> None:
        """Band 7 (senior: receives escalations) for the clinician, band 6 for triage."""
        for user, band in ((self.staff.clinician, 7), (self.staff.triage, 6)):
            current = getattr(getattr(user, "clinician_band", None), "band", None)
            if current != band:
                care.set_clinician_band(actor=None, user=user, band=band)
                self.report.add("clinician bands")

    def pifu(self, request: Request) -> None:
        """A consultation with activities, then discharge to PIFU (a window open for a year)."""
        clinician = self.staff.clinician
        if not Consultation.objects.filter(request=request).exists():
            given = care.ConsultationInput(
                notes="Persistent low back pain; no red flags; STarT Back high risk.",
                what_matters="Getting back to work as a bus driver and walking the dog.",
                options_discussed="Exercise programme, pain management course, work adjustments.",
                decision="Graded exercise and a phased return to work; PIFU for 12 months.",
                work_status="working_adjusted",
                signposting=["employment", "physical_activity"],
            )
            care.record_consultation(actor=clinician, request=request, given=given)
            for code in ("INT.EXERCISE", "INT.ADVICE", "SUP.WORK"):
                care.record_activity(actor=clinician, request=request, code=code)
            self.report.add("consultations")
            self.report.add("activities", 3)
        if not Exit.objects.filter(request=request).exists():
            care.record_exit(
                actor=clinician, request=request, code=ExitCode.PATIENT_INITIATED_FOLLOW_UP,
                outcome=ExitOutcome.LIVING_WELL.value, window_ends=None,
            )  # fmt: skip
            self.report.add("PIFU discharges")
        self.report.showcase["PIFU discharge (care record)"] = f"/care/{request.request_id}/"

    def escalation(self, request: Request) -> None:
        """The band-6 triage clinician asks the band-7 clinician for advice."""
        if not Escalation.objects.filter(request=request).exists():
            care.raise_escalation(
                actor=self.staff.triage, request=request, to=self.staff.clinician,
                reason="Widespread pain, high distress, off work: supported high risk or a pain service?",
            )  # fmt: skip
            self.report.add("escalations")
        self.report.showcase["open escalation"] = "/care/escalations/"

    def interface_case(self, request: Request) -> None:
        """A case discussed at the orthopaedic interface clinic (MDT) on the last working day."""
        if not OnwardReferral.objects.filter(request=request).exists():
            given = care.InterfaceCaseInput(
                subspecialty=Subspecialty.ORTHOPAEDICS.value,
                mdt_date=working_days_before(self.cal, self.today, 1)[0],
                attendees="MSK physiotherapist (band 7), orthopaedic consultant, GPwSI",
                discussion="Knee OA, conservative care tried; imaging awaited before a surgical view.",
                outcome="investigate_first",
            )
            care.record_interface_case(actor=self.staff.clinician, request=request, given=given)
            self.report.add("interface clinic cases")
        self.report.showcase["interface clinic case"] = f"/care/{request.request_id}/"

    # Outcomes ----------------------------------------------------------------------------------

    def invitations(self, requests: list[Request]) -> None:
        """Baseline questionnaires for two booked people, sent by the console sender."""
        for request in requests[:2]:
            if Invitation.objects.filter(request=request).exists():
                continue
            issued = outcomes.create_invitation(
                actor=self.staff.clinician, request=request, instruments=["msk_hq", "eq5d5l"],
                timepoint=Timepoint.BASELINE.value,
            )  # fmt: skip
            link = self.base_url + reverse("outcomes_public:start", args=[issued.token])
            outcomes.send_invitation(
                actor=self.staff.clinician, issued=issued, link=link, sender=ConsoleSender()
            )
            self.report.add("questionnaire invitations")
            self.report.showcase[f"questionnaire link ({request.request_id})"] = link

    def resources(self) -> None:
        for values in RESOURCES:
            if not Resource.objects.filter(
                service=self.staff.service, slug=values["slug"]
            ).exists():
                outcomes.save_resource(
                    actor=self.staff.manager, service=self.staff.service, values=values
                )
                self.report.add("resources")
        self.report.showcase["self-management resources"] = "/my/resources/"

    def feedback(self) -> None:
        key = key_of(self.today, self.seed, 0)
        kept = FeedbackRecord.objects.filter(
            feedback__service=self.staff.service, details__contains=key
        )
        for kind, nature, details in FEEDBACK:
            if kept.filter(feedback__kind=kind).exists():
                continue
            received = at(working_days_before(self.cal, self.today, 1)[0], 11, 0)
            outcomes.record_feedback(
                actor=self.staff.manager, service=self.staff.service, kind=kind, nature=nature,
                received_at=received, details=f"{details} {key}",
            )  # fmt: skip
            self.report.add("feedback")
        self.report.showcase["complaint and compliment"] = "/outcomes/feedback/"


def build(staff: Staff, *, today: date, seed: int, base_url: str) -> Report:
    """Build (or complete) today's picture; returns what this run created and where to look."""
    builder = Builder(staff, today=today, seed=seed, base_url=base_url)
    builder.bands()
    arrivals = builder.arrivals()
    builder.questions(arrivals)
    waiting = builder.waiting()
    pifu, escalated, interface = waiting[8], waiting[15], waiting[17]
    builder.clinics()
    booked = builder.bookings(waiting, keep={pifu.pk})
    builder.pifu(pifu)
    builder.escalation(escalated)
    builder.interface_case(interface)
    builder.invitations(booked)
    builder.resources()
    builder.feedback()
    builder.report.notes.append(
        "past appointments (attended, did not attend) skipped: clinics.services refuses a clinic "
        "dated before today and a booking into a slot whose time has passed"
    )
    return builder.report
