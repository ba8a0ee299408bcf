"""The audit trail: written in the caller's transaction, append-only, searchable and exportable by
administrators only."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from imsk.web.accounts import services as account_services
from imsk.web.accounts.models import Role, TotpDevice, User
from imsk.web.audit import services as audit_services
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.audit.search import SearchCriteria, search_events
from imsk.web.errors import AuditImmutableError, AuditOutsideTransactionError
from tests.web.personas import Personas, staff_member

SEARCH = reverse("audit:search")
EXPORT = reverse("audit:export")


class Boom(Exception):
    pass


# --- written in the same transaction as the change -------------------------------------------


@pytest.mark.django_db
def test_a_failing_audit_write_leaves_no_user_behind(
    monkeypatch: pytest.MonkeyPatch, personas: Personas
) -> None:
    def failing_record(*args: object, **kwargs: object) -> None:
        raise Boom

    monkeypatch.setattr(account_services, "record", failing_record)
    with pytest.raises(Boom):
        staff_member("half.made@msk.example", Role.CLINICIAN, service=personas.our_service)
    assert not User.objects.filter(email="half.made@msk.example").exists()


@pytest.mark.django_db
def test_a_change_failing_after_its_audit_row_leaves_no_audit_row(
    monkeypatch: pytest.MonkeyPatch, personas: Personas, rf: object
) -> None:
    """Enrolment records the event first, then confirms the device: if that save fails, neither stays."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from imsk.web.accounts import totp

    newcomer = staff_member("newcomer@msk.example", Role.CLINICIAN, service=personas.our_service)
    device = account_services.begin_enrolment(user=newcomer)
    before = AuditEvent.objects.count()

    def failing_save(self: TotpDevice, *args: object, **kwargs: object) -> None:
        raise Boom

    monkeypatch.setattr(TotpDevice, "save", failing_save)
    request = RequestFactory().post("/")
    request.session = SessionStore()
    with pytest.raises(Boom):
        account_services.complete_sign_in(
            request, user=newcomer, code=totp.code_at(device.secret, datetime.now(UTC))
        )
    assert AuditEvent.objects.count() == before
    assert not TotpDevice.objects.get(user=newcomer).is_confirmed


@pytest.mark.django_db
def test_creating_a_user_writes_the_user_and_one_create_event_naming_its_scope(
    personas: Personas,
) -> None:
    user = account_services.create_user(
        actor=personas.admin,
        email=" New.Clinician@MSK.example ",
        full_name="New Clinician",
        role=Role.CLINICIAN,
        service=personas.our_service,
        password="a long enough password",
    )
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert user.email == "new.clinician@msk.example"
    assert (event.action, event.actor, event.actor_role) == (
        Action.CREATE,
        personas.admin,
        Role.ADMINISTRATOR,
    )
    assert (event.service_id, event.health_board) == ("cav-msk", "7A4")
    assert event.details == {
        "email": "new.clinician@msk.example",
        "role": "clinician",
        "has_password": True,
    }


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused() -> None:
    with pytest.raises(AuditOutsideTransactionError, match="outside a transaction"):
        audit_services.record(Action.VIEW, actor=None)
    assert AuditEvent.objects.count() == 0


# --- append-only ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_audit_event_cannot_be_changed_or_deleted_through_the_orm() -> None:
    with transaction.atomic():
        event = audit_services.record(Action.VIEW, actor=None, actor_email="someone@msk.example")
    event.actor_email = "someone.else@msk.example"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(actor_email="x")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_email == "someone@msk.example"


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_postgresql_refuses_raw_sql_updates_and_deletes_of_audit_rows() -> None:
    with transaction.atomic():
        event = audit_services.record(Action.VIEW, actor=None)
    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action=Action.VIEW).exists()


# --- search: administrators only ----------------------------------------------------------------

NOT_ADMINISTRATORS = [
    "referrer",
    "triage",
    "clinician",
    "manager",
    "analyst",
    "national_analyst",
    "other_board_clinician",
    "patient",
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", NOT_ADMINISTRATORS)
def test_only_administrators_may_search_or_export_the_audit_log(
    persona: str, personas: Personas, client_as: Callable[[User], Client]
) -> None:
    client = client_as(personas.all()[persona])
    search = client.get(SEARCH)
    export = client.post(EXPORT, {})
    assert (search.status_code, export.status_code) == (403, 403)
    assert "You do not have access to this page" in search.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.django_db
def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in(
    client: Client, personas: Personas
) -> None:
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('accounts:sign_in')}?next={SEARCH}"


@pytest.mark.django_db
def test_an_administrator_finds_events_by_actor_and_action(
    client: Client, personas: Personas, client_as: Callable[[User], Client]
) -> None:
    for user in (personas.triage, personas.clinician):
        client.post(reverse("accounts:sign_in"), {"email": user.email, "password": "wrong"})
    page = client_as(personas.admin).get(
        SEARCH, {"actor": "tomos.triage", "action": "sign_in_failed"}
    )
    events = list(page.context["page"].object_list)
    assert page.status_code == 200
    assert [(e.action, e.actor) for e in events] == [("sign_in_failed", personas.triage)]
    assert "1 event" in page.content.decode()


@pytest.mark.django_db
def test_an_administrator_finds_every_event_about_one_record(
    personas: Personas, client_as: Callable[[User], Client]
) -> None:
    criteria = {"object_type": "accounts.user", "object_id": str(personas.triage.pk)}
    page = client_as(personas.admin).get(SEARCH, criteria)
    actions = [e.action for e in page.context["page"].object_list]
    assert actions == ["second_factor_enrolled", "create"]  # newest first


@pytest.mark.django_db
def test_dates_are_whole_days_in_london_time(personas: Personas) -> None:
    """00:30 on 1 July in London is 23:30 on 30 June in UTC: it belongs to 1 July."""
    with (
        time_machine.travel(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), tick=False),
        transaction.atomic(),
    ):
        audit_services.record(Action.VIEW, actor=None, actor_email="night@msk.example")
    on = SearchCriteria(actor="night@", date_from=date(2026, 7, 1), date_to=date(2026, 7, 1))
    before = SearchCriteria(actor="night@", date_to=date(2026, 6, 30))
    assert search_events(personas.admin, on).count() == 1
    assert search_events(personas.admin, before).count() == 0


@pytest.mark.django_db
def test_a_start_date_after_the_end_date_is_an_error_naming_the_field(
    personas: Personas, client_as: Callable[[User], Client]
) -> None:
    page = client_as(personas.admin).get(
        SEARCH, {"date_from": "2026-03-02", "date_to": "2026-03-01"}
    )
    assert page.context["page"] is None
    assert "The end date must be the same as or after the start date" in page.content.decode()
    assert 'href="#id_date_to"' in page.content.decode()


@pytest.mark.django_db
def test_a_health_board_administrator_sees_only_their_boards_events(personas: Personas) -> None:
    boards = set(
        search_events(personas.board_admin, SearchCriteria()).values_list("health_board", flat=True)
    )
    everything = set(
        search_events(personas.admin, SearchCriteria()).values_list("health_board", flat=True)
    )
    assert boards == {"7A4"}
    assert {"7A1", "7A4", ""} <= everything


# --- export --------------------------------------------------------------------------------------


def _csv(response: object) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.django_db
def test_an_export_is_a_csv_of_the_matching_events_and_is_itself_audited(
    personas: Personas, client_as: Callable[[User], Client]
) -> None:
    client = client_as(personas.admin)
    response = client.post(EXPORT, {"object_type": "accounts.service"})
    rows = _csv(response)
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="imsk-audit-')
    assert [(r["action"], r["object_id"]) for r in rows] == [
        ("create", "cav-msk"),
        ("create", "bcu-msk"),
    ]
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert export.actor == personas.admin
    assert export.details["filters"] == {"object_type": "accounts.service"}
    assert export.details["rows"] == 2


@pytest.mark.django_db
def test_an_export_neutralises_values_a_spreadsheet_would_run_as_formulas(
    client: Client, personas: Personas, client_as: Callable[[User], Client]
) -> None:
    """OWASP CSV injection: anyone can type '=HYPERLINK(...)' as the address at sign-in."""
    client.post(reverse("accounts:sign_in"), {"email": "=cmd@evil.example", "password": "x"})
    rows = _csv(client_as(personas.admin).post(EXPORT, {"action": "sign_in_failed"}))
    assert [r["actor_email"] for r in rows] == ["'=cmd@evil.example"]
