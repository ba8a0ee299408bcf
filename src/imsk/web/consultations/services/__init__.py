"""The only writers of the consultation record, exits and returns (Wales specification 2.3 and 5).

Each function opens one transaction, makes its change and records the audit event in it
(``imsk.web.audit.services.record``). Data set rows (activities, onward referrals, exits, returned
requests) are written to the :mod:`imsk.web.referrals` tables; what the data set does not carry lives
in this app's models. Input arrives parsed by a form; what only the service can check (an activity
code against the code list, a senior clinician, a booked appointment, a return window) raises a
:class:`~imsk.web.consultations.errors.ConsultationError` naming the form field.
"""

from __future__ import annotations

from imsk.web.consultations.services.base import LONDON, activity_codes, london_today, view_record
from imsk.web.consultations.services.care import (
    ConsultationInput,
    InterfaceCaseInput,
    list_escalations,
    open_escalations_for,
    raise_escalation,
    record_activity,
    record_consultation,
    record_interface_case,
    refer_onward,
    respond_to_escalation,
    senior_clinicians,
    set_clinician_band,
    update_condition_code,
)
from imsk.web.consultations.services.exits import (
    booked_contacts,
    close_expired_windows,
    issue_return_link,
    record_exit,
    record_return,
    return_by_link,
    usable_link,
)

__all__ = [
    "LONDON",
    "ConsultationInput",
    "InterfaceCaseInput",
    "activity_codes",
    "booked_contacts",
    "close_expired_windows",
    "issue_return_link",
    "list_escalations",
    "london_today",
    "open_escalations_for",
    "raise_escalation",
    "record_activity",
    "record_consultation",
    "record_exit",
    "record_interface_case",
    "record_return",
    "refer_onward",
    "respond_to_escalation",
    "return_by_link",
    "senior_clinicians",
    "set_clinician_band",
    "update_condition_code",
    "usable_link",
    "view_record",
]
