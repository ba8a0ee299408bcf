"""KPIs over tables the clinical application already has: a PostgreSQL schema of tables and views
named like the data set (``imsk.analytics.loading.open_dataset``)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import date

import pytest

from imsk.analytics.kpis.inputs import Level, Period
from imsk.analytics.loading import open_dataset
from imsk.analytics.report import compute_kpis
from imsk.core.errors import DatasetError
from tests.analytics.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.postgres

psycopg = pytest.importorskip("psycopg")


@pytest.fixture
def schema() -> Iterator[str]:
    """A fresh schema with ``services`` (a table) and ``requests`` (a view over a table)."""
    name = f"imsk_app_{secrets.token_hex(4)}"
    try:
        connection = psycopg.connect(TEST_DATABASE_URL, autocommit=True)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not available: {error}")
    with connection:
        connection.execute(f"CREATE SCHEMA {name}")
        connection.execute(
            f"CREATE TABLE {name}.services (service_id text, name text, health_board text, "
            "nation text)"
        )
        connection.execute(f"INSERT INTO {name}.services VALUES ('S1', 'MSK', '7A1', 'wales')")
        connection.execute(
            f"CREATE TABLE {name}.referral (id bigint, ref text, person text, svc text, "
            "received timestamp, urgency text, triaged timestamp)"
        )
        # Thu 24 Dec 2026 -> WD(d, 1) = Tue 29 Dec 2026 (Christmas and Boxing Day in between).
        connection.execute(
            f"INSERT INTO {name}.referral VALUES "
            "(1, 'R1', 'P1', 'S1', '2026-12-24 10:00', 'urgent', '2026-12-29 09:00'),"
            "(2, 'R2', 'P2', 'S1', '2026-12-24 10:00', 'urgent', '2026-12-30 09:00')"
        )
        connection.execute(
            f"CREATE VIEW {name}.requests AS SELECT ref AS request_id, person AS person_id, "
            "svc AS service_id, received AS received_at, 'gp' AS source, "
            "NULL::text AS referrer_practice, NULL::text AS category, NULL::bigint AS age, "
            "NULL::text AS sex, NULL::text AS lsoa, NULL::bigint AS deprivation_quintile, "
            "urgency AS priority, triaged AS triaged_at, 'assess_and_support' AS pathway, "
            f"NULL::bigint AS band FROM {name}.referral"
        )
        yield name
        connection.execute(f"DROP SCHEMA {name} CASCADE")


def test_kpis_are_computed_over_the_views_of_an_existing_schema(schema: str) -> None:
    dataset = open_dataset("postgres", TEST_DATABASE_URL, schema)
    report = compute_kpis(
        dataset, Period(date(2026, 12, 1), date(2026, 12, 31)), Level.HEALTH_BOARD
    )
    kpis = report["groups"][0]["kpis"]
    assert report["groups"][0]["key"] == "7A1"
    assert kpis["triage_urgent_1wd"] == {"numerator": 1, "denominator": 2, "value": 50.0}
    assert kpis["feedback"] == {"status": "unavailable", "reason": "table feedback is absent"}
    dataset.close()


def test_an_ordered_table_without_its_record_order_is_refused(schema: str) -> None:
    with psycopg.connect(TEST_DATABASE_URL, autocommit=True) as connection:
        connection.execute(
            f"CREATE TABLE {schema}.condition_codes (request_id text, code text, "
            "recorded_at timestamp)"
        )
    with pytest.raises(DatasetError, match="condition_codes has no column file_row"):
        open_dataset("postgres", TEST_DATABASE_URL, schema)
