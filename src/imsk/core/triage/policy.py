"""The clinical-safety rules of a triage decision, as pure functions over the engine's values.

The triage engine (``imsk.core.triage``) suggests; the triage clinician decides. Two questions
decide how a choice is recorded:

* **Is it the engine's suggestion?** (:func:`is_accepted`) The same priority and pathway, and a band
  that meets the engine's band requirement (Wales specification 2.3: bands 5-6 for simple
  presentations, 7+ for complex ones). Anything else is an *override* and needs a recorded reason.
* **Is it less urgent than the engine for a request with a red flag?** (:func:`is_less_urgent`) A red
  flag sets a floor (``RED_FLAG_FLOOR``: emergency redirect for suspected cauda equina, same-day
  medical review for suspected cancer, infection or fracture, a rheumatology redirect for suspected
  synovitis), always with urgent priority. A choice below the engine's disposition or priority for
  such a request is a *red-flag downgrade*: allowed only as an override with a reason and an explicit
  confirmation, both recorded (``docs/triage-worklist.md`` says why it is not refused outright).

Dispositions follow the engine's order of severity (:func:`imsk.core.triage.severity`). Allocating a
pathway in the service keeps a same-day medical review (the clinician arranges it today and the
person stays on the service's pathway) but is *below* any redirect the engine asked for. A redirect
to the GP or another service has no engine disposition and counts as the least severe choice.
"""

from __future__ import annotations

from imsk.core.triage import (
    BandRequirement,
    Disposition,
    Pathway,
    Priority,
    TriageDecision,
    severity,
)

__all__ = [
    "BAND_RANGES",
    "allocation_disposition",
    "band_meets",
    "is_accepted",
    "is_less_urgent",
    "is_red_flag_case",
]

BAND_RANGES: dict[BandRequirement, range] = {
    BandRequirement.JUNIOR: range(5, 7),
    BandRequirement.SENIOR: range(7, 10),
}
"""Agenda for Change bands that meet each band requirement (5-6: 5 or 6; 7+: 7, 8 or 9)."""


def band_meets(requirement: BandRequirement | None, band: int | None) -> bool:
    """Whether ``band`` meets ``requirement`` (a redirect has neither)."""
    if requirement is None:
        return band is None
    return band is not None and band in BAND_RANGES[requirement]


def allocation_disposition(engine: TriageDecision) -> Disposition:
    """The disposition of allocating a pathway in the service (not redirecting).

    A same-day medical review stays (it is an action on an accepted request); every other case is
    ``accept``.
    """
    if engine.disposition is Disposition.URGENT_MEDICAL_REVIEW:
        return Disposition.URGENT_MEDICAL_REVIEW
    return Disposition.ACCEPT


def is_red_flag_case(engine: TriageDecision, red_flags: frozenset[str]) -> bool:
    """A request with a ticked red flag, or one the engine sends for same-day action."""
    return bool(red_flags) or engine.act_same_day


def is_less_urgent(
    engine: TriageDecision, disposition: Disposition | None, priority: Priority
) -> bool:
    """Whether the chosen disposition or priority is below the engine's (``None``: GP or other)."""
    chosen = -1 if disposition is None else severity(disposition)
    return chosen < severity(engine.disposition) or severity(priority) < severity(engine.priority)


def is_accepted(
    engine: TriageDecision,
    disposition: Disposition | None,
    priority: Priority,
    pathway: Pathway,
    band: int | None,
) -> bool:
    """Whether the choice is the engine's suggestion (so no override reason is needed)."""
    return (
        disposition is engine.disposition
        and priority is engine.priority
        and pathway is engine.pathway
        and band_meets(engine.band_requirement, band)
    )
