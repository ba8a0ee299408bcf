"""Views ``msk_<table>`` presenting the clinical record as the MSK service data set tables."""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from imsk.web.referrals import dataset_views


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    dataset_views.create_views(schema_editor)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    dataset_views.drop_views(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
