"""Each write and its audit row are committed together or not at all (both orders)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from imsk.web.audit import services as audit_services
from imsk.web.audit.models import AuditEvent
from imsk.web.referrals import services
from imsk.web.referrals.errors import RecordImmutableError
from imsk.web.referrals.models import Channel, ConditionCodeEntry, Person, Request
from tests.web.personas import Personas


class Boom(Exception):
    pass


def _new(personas: Personas) -> services.NewRequest:
    return services.NewRequest(
        service=personas.our_service,
        channel=Channel.WEB_FORM,
        source="gp",
        category="management_opinion",
        received_at=timezone.now(),
        age=40,
        condition_code="NECK.NONSPECIFIC",
        person=services.PersonDetails(nhs_number="9434765919"),
    )


def test_when_the_audit_row_cannot_be_written_the_request_is_not_kept(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: Any, **kwargs: Any) -> None:
        raise Boom

    monkeypatch.setattr(services, "record", failing)
    before = AuditEvent.objects.count()
    with pytest.raises(Boom):
        services.create_request(_new(personas), actor=personas.referrer)
    assert (Request.objects.count(), Person.objects.count()) == (0, 0)
    assert ConditionCodeEntry.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_when_the_write_fails_after_the_audit_row_neither_is_kept(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    def audit_then_fail(*args: Any, **kwargs: Any) -> None:
        audit_services.record(*args, **kwargs)
        raise Boom

    monkeypatch.setattr(services, "record", audit_then_fail)
    before = AuditEvent.objects.count()
    with pytest.raises(Boom):
        services.create_request(_new(personas), actor=personas.referrer)
    assert Request.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_a_condition_code_is_appended_with_its_audit_row_and_history_never_changes(
    personas: Personas,
) -> None:
    request = services.create_request(_new(personas), actor=personas.referrer)
    services.record_condition_code(actor=personas.triage, request=request, code="NECK.RADICULAR")
    history = list(request.condition_codes.order_by("id").values_list("code", flat=True))
    assert history == ["NECK.NONSPECIFIC", "NECK.RADICULAR"]
    assert AuditEvent.objects.filter(object_type="referrals.conditioncodeentry").count() == 1
    entry = request.condition_codes.first()
    assert entry is not None
    entry.code = "NECK.WHIPLASH"
    with pytest.raises(RecordImmutableError):
        entry.save()
    with pytest.raises(RecordImmutableError):
        ConditionCodeEntry.objects.all().delete()


def test_an_unknown_condition_code_is_refused_naming_the_field(personas: Personas) -> None:
    request = services.create_request(_new(personas), actor=personas.referrer)
    with pytest.raises(services.ReferralError) as raised:
        services.record_condition_code(actor=personas.triage, request=request, code="NECK.X")
    assert raised.value.field == "code"
