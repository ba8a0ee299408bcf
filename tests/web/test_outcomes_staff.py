"""Staff work in the outcomes app: inviting (and what happens when sending fails), entering a paper
questionnaire, recording feedback, publishing resources and counting their views."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from imsk.web.accounts.models import User
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.outcomes import services
from imsk.web.outcomes.models import FeedbackRecord, Invitation, Resource, Source
from imsk.web.referrals.models import Feedback, Measure, ResourceHit
from tests.web.personas import Personas
from tests.web.test_outcomes_builders import first_options, form_data, our_request

pytestmark = pytest.mark.django_db


def _invite(client: Client, request_id: str) -> str:
    response = client.post(
        f"/outcomes/{request_id}/invite/",
        {"instruments": ["msk_hq", "fft"], "timepoint": "discharge"},
        follow=True,
    )
    return response.content.decode()


def test_a_clinician_invites_and_the_console_sender_prints_a_working_link(
    client_as: Callable[[User], Client],
    personas: Personas,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.IMSK_INVITATION_SENDER = "console"
    request = our_request(personas)
    page = _invite(client_as(personas.clinician), request.request_id)
    assert "Invitation sent to ann.jones@example.com" in page
    (link,) = re.findall(r"http://testserver/my/q/([\w-]+)/", capsys.readouterr().out)
    invitation = Invitation.objects.get()
    assert invitation.instruments == ["msk_hq", "fft"]
    assert invitation.timepoint == "discharge"
    assert invitation.token_digest == services.token_digest(link)
    assert invitation.sent_via == "console"
    assert services.open_link(link) == invitation


def test_a_failed_send_is_shown_and_the_invitation_kept(
    client_as: Callable[[User], Client], personas: Personas, settings: Settings
) -> None:
    settings.IMSK_INVITATION_SENDER = "smtp"
    request = our_request(personas, email="")
    page = _invite(client_as(personas.clinician), request.request_id)
    assert "could not be sent" in page
    assert "no email address" in Invitation.objects.get().send_error


def test_sending_a_new_link_retires_the_old_one(
    client_as: Callable[[User], Client], personas: Personas, settings: Settings
) -> None:
    settings.IMSK_INVITATION_SENDER = "console"
    issued = services.create_invitation(
        actor=personas.clinician,
        request=our_request(personas),
        instruments=["fft"],
        timepoint="baseline",
    )
    url = f"/outcomes/{issued.invitation.request.request_id}/invite/{issued.invitation.pk}/resend/"
    client_as(personas.clinician).post(url)
    with pytest.raises(services.LinkNotFoundError):
        services.open_link(issued.token)
    assert Invitation.objects.get().sent_at is not None


def test_a_clinician_enters_a_paper_msk_hq_scored_by_the_core_and_audited(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    request = our_request(personas)
    data = form_data(first_options("msk_hq"))
    data.update(
        {"timepoint": "baseline", "completed_on": timezone.localdate().strftime("%d/%m/%Y")}
    )
    response = client_as(personas.clinician).post(
        f"/outcomes/{request.request_id}/enter/msk_hq/", data
    )
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.instrument, measure.score, measure.created_by) == (
        "msk_hq",
        56,
        personas.clinician,
    )
    assert measure.scoring.source == Source.STAFF
    event = AuditEvent.objects.filter(action=Action.CREATE, details__via="staff").get()
    assert event.actor == personas.clinician


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (timedelta(days=1), "cannot be in the future"),
        (timedelta(days=-400), "before the request was received"),
    ],
)
def test_a_paper_questionnaire_date_must_be_possible(
    client_as: Callable[[User], Client], personas: Personas, day: timedelta, message: str
) -> None:
    request = our_request(personas)
    data = form_data(first_options("fft"))
    when: date = timezone.localdate() + day
    data.update({"timepoint": "baseline", "completed_on": when.strftime("%d/%m/%Y")})
    response = client_as(personas.clinician).post(
        f"/outcomes/{request.request_id}/enter/fft/", data
    )
    assert message in response.content.decode()
    assert Measure.objects.count() == 0


def test_feedback_is_recorded_as_a_data_set_row_with_its_details_and_filtered_by_kind(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    client = client_as(personas.manager)
    for kind, nature in (("complaint", "Waiting time"), ("compliment", "Friendly physio")):
        response = client.post(
            "/outcomes/feedback/new/",
            {
                "kind": kind,
                "nature": nature,
                "received_on": "20/03/2026",
                "details": f"{nature} details",
                "response": "Apologised",
            },
        )
        assert response.status_code == 302
    complaint = Feedback.objects.get(kind="complaint")
    assert complaint.service == personas.our_service
    assert complaint.nature == "Waiting time"
    assert FeedbackRecord.objects.get(feedback=complaint).details == "Waiting time details"
    page = client.get("/outcomes/feedback/?kind=compliment").content.decode()
    assert "Friendly physio" in page
    assert "Waiting time" not in page


def test_feedback_needs_a_kind_and_a_nature(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    response = client_as(personas.clinician).post("/outcomes/feedback/new/", {})
    page = response.content.decode()
    assert "Select complaint, compliment or concern" in page
    assert "Enter the nature of the feedback" in page
    assert Feedback.objects.count() == 0


def _resource(personas: Personas, **values: object) -> Resource:
    return services.save_resource(
        actor=personas.manager,
        service=personas.our_service,
        values={"slug": "knee", "title": "Knee exercises", "body": "Bend and stretch.", **values},
    )


def test_a_manager_publishes_a_resource_and_each_view_counts_one_hit(
    client_as: Callable[[User], Client], personas: Personas, client: Client
) -> None:
    response = client_as(personas.manager).post(
        "/outcomes/resources/new/",
        {"slug": "knee", "title": "Knee exercises", "body": "Bend.", "published": "on"},
    )
    assert response.status_code == 302
    client.logout()
    for _ in range(3):
        assert client.get("/my/resources/cav-msk/knee/").status_code == 200
    row = ResourceHit.objects.get()
    assert (row.service_id, row.resource, row.hits) == ("cav-msk", "knee", 3)
    assert row.date == timezone.localdate()


def test_hits_on_another_day_start_a_new_row(personas: Personas) -> None:
    resource = _resource(personas)
    services.count_hit(resource, day=date(2026, 3, 1))
    services.count_hit(resource, day=date(2026, 3, 2))
    assert services.count_hit(resource, day=date(2026, 3, 2)) == 2
    assert sorted(ResourceHit.objects.values_list("date", "hits")) == [
        (date(2026, 3, 1), 1),
        (date(2026, 3, 2), 2),
    ]


def test_an_unpublished_resource_is_not_found_and_not_counted(
    client: Client, personas: Personas
) -> None:
    _resource(personas, published=False)
    assert client.get("/my/resources/cav-msk/knee/").status_code == 404
    assert ResourceHit.objects.count() == 0


def test_a_resource_is_shown_in_welsh_when_it_has_welsh_text(
    client: Client, personas: Personas
) -> None:
    _resource(personas, title_cy="Ymarferion pen-glin")
    client.cookies["django_language"] = "cy"
    assert "Ymarferion pen-glin" in client.get("/my/resources/cav-msk/knee/").content.decode()


def test_a_resource_needs_text_or_an_address_and_a_unique_short_name(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    _resource(personas)
    response = client_as(personas.manager).post(
        "/outcomes/resources/new/", {"slug": "knee", "title": "Another"}
    )
    page = response.content.decode()
    assert "Enter the text or a web address" in page
    assert "Another resource of this service has that short name" in page


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_are_all_counted_in_one_row(personas: Personas) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises every write anyway")
    resource = _resource(personas)
    views = 8

    def view() -> None:
        try:
            services.count_hit(resource)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=view) for _ in range(views)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert list(ResourceHit.objects.values_list("hits", flat=True)) == [views]
