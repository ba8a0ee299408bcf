"""A questionnaire by one-time link: opened, answered page by page, checked, sent once; a used,
expired or wrong link is refused and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from imsk.core.errors import ScoringError
from imsk.core.instruments import eq5d, msk_hq
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.outcomes import services
from imsk.web.outcomes.models import Invitation, MeasureScoring, Source
from imsk.web.referrals.models import Measure
from tests.web.personas import Personas
from tests.web.test_outcomes_builders import first_options, form_data, our_request

pytestmark = pytest.mark.django_db


def _issue(personas: Personas, *instruments: str) -> services.Issued:
    return services.create_invitation(
        actor=personas.clinician,
        request=our_request(personas),
        instruments=instruments or ("msk_hq", "eq5d5l"),
        timepoint="baseline",
    )


def _answer_all(client: Client, issued: services.Issued) -> None:
    for name in issued.invitation.instruments:
        response = client.post(f"/my/q/{issued.token}/{name}/", form_data(first_options(name)))
        assert response.status_code == 302


def test_a_link_is_answered_checked_and_sent_storing_one_scored_measure_per_questionnaire(
    client: Client, personas: Personas
) -> None:
    issued = _issue(personas)
    assert client.get(f"/my/q/{issued.token}/").status_code == 200
    _answer_all(client, issued)
    check = client.get(f"/my/q/{issued.token}/check/")
    assert "Check your answers" in check.content.decode()
    assert Measure.objects.count() == 0  # nothing is stored before the patient sends
    response = client.post(f"/my/q/{issued.token}/check/")
    assert response["Location"] == "/my/q/done/"
    msk = Measure.objects.get(instrument="msk_hq")
    assert msk.items == " ".join(["4"] * 14)
    assert msk.score == msk_hq.score_msk_hq([4] * 14).score == 56
    assert msk.timepoint == "baseline"
    eq = Measure.objects.get(instrument="eq5d5l")
    assert eq.items == "11111"
    assert eq.scoring.value_set == "uk_5l_rowen_2026"
    assert eq.scoring.vas == 70
    assert eq.score == eq5d.score_eq5d("11111").score
    assert eq.scoring.source == Source.LINK


def test_completion_is_audited_with_no_actor_and_the_request_as_subject(
    client: Client, personas: Personas
) -> None:
    issued = _issue(personas)
    _answer_all(client, issued)
    client.post(f"/my/q/{issued.token}/check/")
    event = AuditEvent.objects.filter(details__via="link").get()
    assert event.actor is None
    assert event.action == Action.CREATE
    assert event.object_id == issued.invitation.request.request_id
    assert event.service_id == "cav-msk"


def test_a_link_used_twice_is_refused_the_second_time_and_writes_nothing(
    client: Client, personas: Personas
) -> None:
    issued = _issue(personas)
    _answer_all(client, issued)
    client.post(f"/my/q/{issued.token}/check/")
    measures, events = Measure.objects.count(), AuditEvent.objects.count()
    again = client.get(f"/my/q/{issued.token}/")
    assert again.status_code == 410
    assert "already been sent" in again.content.decode()
    assert client.post(f"/my/q/{issued.token}/check/").status_code == 410
    assert client.post(f"/my/q/{issued.token}/msk_hq/", {}).status_code == 410
    assert (Measure.objects.count(), AuditEvent.objects.count()) == (measures, events)


def test_a_second_submission_racing_the_first_stores_nothing(personas: Personas) -> None:
    issued = _issue(personas, "fft")
    services.complete_link(issued.token, [first_options("fft")])
    with pytest.raises(services.LinkUsedError):
        services.complete_link(issued.token, [first_options("fft")])
    assert Measure.objects.count() == 1


def test_an_expired_link_is_refused_and_writes_nothing(client: Client, personas: Personas) -> None:
    issued = _issue(personas, "fft")
    Invitation.objects.filter(pk=issued.invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    events, sessions = AuditEvent.objects.count(), Session.objects.count()
    response = client.get(f"/my/q/{issued.token}/")
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert (
        client.post(f"/my/q/{issued.token}/fft/", form_data(first_options("fft"))).status_code
        == 410
    )
    assert (AuditEvent.objects.count(), Session.objects.count()) == (events, sessions)
    assert Measure.objects.count() == 0


@pytest.mark.parametrize("suffix", ["", "check/", "msk_hq/"])
def test_a_wrong_token_is_not_found_and_leaves_no_trace(
    client: Client, personas: Personas, suffix: str
) -> None:
    issued = _issue(personas)
    wrong = issued.token[:-2] + ("AA" if not issued.token.endswith("AA") else "BB")
    events = AuditEvent.objects.count()
    response = client.get(f"/my/q/{wrong}/{suffix}")
    assert response.status_code == 404
    assert issued.invitation.request.request_id not in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_the_token_is_256_bits_and_only_its_digest_is_stored(personas: Personas) -> None:
    issued = _issue(personas)
    stored = Invitation.objects.get()
    assert len(issued.token) >= 43  # 32 bytes in URL-safe base64
    assert stored.token_digest == services.token_digest(issued.token)
    assert issued.token not in str(Invitation.objects.values().get())


def test_a_questionnaire_not_on_the_invitation_is_not_found(
    client: Client, personas: Personas
) -> None:
    issued = _issue(personas, "fft")
    assert client.get(f"/my/q/{issued.token}/msk_hq/").status_code == 404


def test_an_unanswered_question_is_an_error_naming_it(client: Client, personas: Personas) -> None:
    issued = _issue(personas, "msk_hq")
    data = form_data(first_options("msk_hq"))
    del data["item_3"]
    response = client.post(f"/my/q/{issued.token}/msk_hq/", data)
    assert response.status_code == 200
    assert "Select an answer to question 3" in response.content.decode()
    assert 'href="#id_item_3"' in response.content.decode()


def test_check_page_sends_the_patient_back_to_a_part_not_yet_answered(
    client: Client, personas: Personas
) -> None:
    issued = _issue(personas)
    response = client.get(f"/my/q/{issued.token}/check/")
    assert response["Location"] == f"/my/q/{issued.token}/msk_hq/"


def test_the_questionnaire_is_offered_in_welsh(client: Client, personas: Personas) -> None:
    issued = _issue(personas, "fft")
    client.cookies["django_language"] = "cy"
    page = client.get(f"/my/q/{issued.token}/fft/").content.decode()
    assert "Yn gyffredinol, sut oedd eich profiad o&#x27;n gwasanaeth?" in page
    assert "Da iawn" in page


def test_the_placeholder_wording_is_marked_on_every_questionnaire_page(
    client: Client, personas: Personas
) -> None:
    issued = _issue(personas, "msk_hq")
    page = client.get(f"/my/q/{issued.token}/msk_hq/").content.decode()
    assert "Demonstration wording" in page
    assert "[placeholder wording]" in page


def test_answers_the_core_refuses_store_nothing(personas: Personas) -> None:
    issued = _issue(personas, "prem")
    nothing = first_options("prem").__class__("prem", {}, None, "")  # every item skipped
    with pytest.raises(ScoringError):
        services.complete_link(issued.token, [nothing])
    assert Measure.objects.count() == 0
    assert Invitation.objects.get().used_at is None
    assert MeasureScoring.objects.count() == 0


def test_questionnaire_pages_are_never_cached(client: Client, personas: Personas) -> None:
    issued = _issue(personas, "fft")
    response = client.get(f"/my/q/{issued.token}/fft/")
    assert "no-store" in response["Cache-Control"]
