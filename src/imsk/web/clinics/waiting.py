"""The waiting lists and free slots of a service: the reads booking works from (nothing here writes).

Wales specification 2.3: once the single point of access has allocated a pathway, the person waits
for an appointment with a clinician of the band triage asked for. A request is **waiting** while it
is triaged, open (no exit), on a pathway that is seen in clinics, and has no appointment booked. Its
next appointment is a **first** one until the person has attended one, then a **follow-up**. The
list is worked **urgent first, then longest waiting**; a wait starts at receipt for a first
appointment (as the KPI ``waiting_first_contact`` counts it) and at the last attended appointment
for a follow-up. A DNA or a cancellation never restarts the wait. Weeks waited and their bands are
``imsk.core.waiting``'s, the one definition the KPI engine uses too.

The audited read the waiting-list page makes is :func:`imsk.web.clinics.services.list_waiting`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from imsk.core.dataset.enums import ContactKind, ContactMode, ContactStatus, Pathway
from imsk.core.waiting import WAITING_BANDS, waiting_band, weeks_waited
from imsk.web.accounts.models import Service
from imsk.web.clinics.models import MAX_GROUP_CAPACITY, Clinic, Slot
from imsk.web.referrals.models import Contact, Request, Status

LONDON = ZoneInfo("Europe/London")

#: Pathways whose people are seen in clinics. ``self_management`` is supported with resources, not
#: appointments; ``redirected`` was not accepted. Both have no waiting list.
BOOKABLE_PATHWAYS: tuple[Pathway, ...] = (
    Pathway.ASSESS_AND_SUPPORT,
    Pathway.SUPPORTED_HIGH_RISK,
    Pathway.SUBSPECIALTY,
)
#: From this many DNAs the request is flagged for a clinician to review for discharge.
DNA_REVIEW_THRESHOLD = 2


@dataclass(frozen=True)
class WaitingEntry:
    """One request waiting for an appointment.

    ``waiting_since`` is the London date the wait started: receipt for a first appointment, the
    last attended appointment for a follow-up. ``dna_count`` counts the request's DNAs so far.
    """

    request: Request
    kind: ContactKind
    waiting_since: date
    weeks: int
    band: str
    dna_count: int

    @property
    def is_urgent(self) -> bool:
        return self.request.priority == "urgent"

    @property
    def needs_review(self) -> bool:
        """Two or more DNAs: a clinician reviews before rebooking (never an automatic discharge)."""
        return self.dna_count >= DNA_REVIEW_THRESHOLD


@dataclass(frozen=True)
class WaitingList:
    """A pathway's waiting list, in booking order, with counts by week band and kind."""

    pathway: Pathway
    today: date
    entries: list[WaitingEntry]

    def summary(self) -> list[tuple[str, int, int]]:
        """Per band of :data:`imsk.core.waiting.WAITING_BANDS`: (label, first, follow-up)."""
        counts = {label: [0, 0] for label, _lower, _upper in WAITING_BANDS}
        for entry in self.entries:
            counts[entry.band][entry.kind is ContactKind.FOLLOW_UP] += 1
        return [(label, first, follow_up) for label, (first, follow_up) in counts.items()]


#: The columns a waiting list shows and books from (loading whole rows costs more than the query).
_LISTED_FIELDS = (
    "request_id",
    "service_id",
    "received_at",
    "priority",
    "pathway",
    "band",
    "status",
    "person__person_id",
    "person__full_name",
)


def waiting_requests(service: Service, pathway: Pathway | None = None) -> QuerySet[Request]:
    """Open, triaged requests of ``service`` (one pathway, or every bookable one) with no
    appointment booked, in booking order: urgent first, then the earliest wait start.

    Correlated subqueries rather than a join and GROUP BY: grouping by every request column (the
    JSON triage facts included) costs more than the list itself.
    """
    contacts = Contact.objects.filter(request=OuterRef("pk"))
    booked = contacts.filter(status=ContactStatus.BOOKED)
    attended = contacts.filter(status=ContactStatus.ATTENDED).order_by("-scheduled_at")
    dnas = (
        contacts.filter(status=ContactStatus.DID_NOT_ATTEND)
        .values("request")
        .annotate(n=Count("id"))
        .values("n")
    )
    pathways = [pathway] if pathway is not None else list(BOOKABLE_PATHWAYS)
    return (
        Request.objects.filter(
            service=service, status=Status.TRIAGED, exit__isnull=True, pathway__in=pathways
        )
        .exclude(Exists(booked))
        .annotate(
            last_attended=Subquery(attended.values("scheduled_at")[:1]),
            dna_count=Coalesce(Subquery(dnas[:1], output_field=IntegerField()), Value(0)),
            urgent_first=Case(
                When(priority="urgent", then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .annotate(waiting_since_at=Coalesce("last_attended", "received_at"))
        .select_related("person")
        .only(*_LISTED_FIELDS)
        .order_by("urgent_first", "waiting_since_at", "id")
    )


def waiting_list(service: Service, pathway: Pathway, today: date) -> WaitingList:
    """The waiting list of one pathway of ``service`` as of ``today`` (not audited: see
    :func:`list_waiting` for the audited read the page makes)."""
    entries = []
    for request in waiting_requests(service, pathway):
        annotated = vars(request)  # the queryset's annotations
        since = timezone.localdate(annotated["waiting_since_at"], LONDON)
        weeks = weeks_waited(since, max(today, since))
        entries.append(
            WaitingEntry(
                request=request,
                kind=ContactKind.FOLLOW_UP if annotated["last_attended"] else ContactKind.FIRST,
                waiting_since=since,
                weeks=weeks,
                band=waiting_band(weeks),
                dna_count=annotated["dna_count"],
            )
        )
    return WaitingList(pathway=pathway, today=today, entries=entries)


def next_kind(request: Request) -> ContactKind:
    """``first`` until the person has attended an appointment for this request, then ``follow_up``."""
    attended = request.contacts.filter(status=ContactStatus.ATTENDED).exists()
    return ContactKind.FOLLOW_UP if attended else ContactKind.FIRST


def dna_count(request: Request) -> int:
    return request.contacts.filter(status=ContactStatus.DID_NOT_ATTEND).count()


def needs_review(request: Request) -> bool:
    """Whether the request has reached :data:`DNA_REVIEW_THRESHOLD` DNAs."""
    return dna_count(request) >= DNA_REVIEW_THRESHOLD


@dataclass(frozen=True)
class FreeTime:
    """A bookable time of a clinic: its first free slot, and the places left at that time."""

    slot: Slot
    places: int


def free_times(
    request: Request, *, now: datetime, mode: ContactMode | None = None, limit: int = 60
) -> list[FreeTime]:
    """Future free slots of the request's service that fit it (band, optionally mode)."""
    slots = Slot.objects.filter(
        clinic__service=request.service_id,
        clinic__cancelled_at__isnull=True,
        clinic__band__gte=request.band or 1,
        contact__isnull=True,
        starts_at__gt=now,
    )
    if mode is not None:
        slots = slots.filter(clinic__mode=mode.value)
    times: dict[tuple[int, datetime], list[Slot]] = {}
    ordered = slots.select_related("clinic").order_by("starts_at", "clinic_id", "seat")
    for slot in ordered[: (limit + 1) * MAX_GROUP_CAPACITY]:
        group = times.setdefault((slot.clinic_id, slot.starts_at), [])
        if not group and len(times) > limit:
            del times[(slot.clinic_id, slot.starts_at)]
            break
        group.append(slot)
    return [FreeTime(slot=group[0], places=len(group)) for group in times.values()]


def slots_of(clinics: Sequence[Clinic]) -> dict[int, tuple[int, int]]:
    """(booked, total) slot counts per clinic id, for the clinic list (no patient data)."""
    counts = (
        Slot.objects.filter(clinic__in=clinics)
        .values("clinic_id")
        .annotate(total=Count("id"), booked=Count("id", filter=Q(contact__isnull=False)))
    )
    return {row["clinic_id"]: (row["booked"], row["total"]) for row in counts}
