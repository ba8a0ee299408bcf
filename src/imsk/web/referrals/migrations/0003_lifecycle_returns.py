"""Request lifecycle (awaiting information), returns under SOS/PIFU, closing an exit's window.

SQLite changes a table by rebuilding it, which the ``msk_*`` views referring to it forbid, so the
views are dropped first and created again last (on PostgreSQL too: a view pins its columns' types).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from imsk.web.referrals import dataset_views


def create_views(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    dataset_views.create_views(schema_editor)


def drop_views(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    dataset_views.drop_views(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_dataset_views"),
    ]

    operations = [
        migrations.RunPython(drop_views, create_views),
        migrations.AddField(
            model_name="exit",
            name="window_closed_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the SOS or PIFU window was closed (expired, or used by a return).",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="request",
            name="returned_from",
            field=models.ForeignKey(
                blank=True,
                help_text="The earlier request whose See On Symptom or PIFU window this return used.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="returns",
                to="referrals.request",
                verbose_name="returned from",
            ),
        ),
        migrations.AlterField(
            model_name="request",
            name="channel",
            field=models.CharField(
                choices=[
                    ("web_form", "Professional request form"),
                    ("self_referral", "Self-referral"),
                    ("api", "Electronic referral (API)"),
                    ("dataset_load", "Loaded from a data set"),
                    ("return", "Returned under See On Symptom or PIFU"),
                ],
                max_length=16,
                verbose_name="channel",
            ),
        ),
        migrations.AlterField(
            model_name="request",
            name="status",
            field=models.CharField(
                choices=[
                    ("received", "Received"),
                    ("awaiting_information", "Awaiting information"),
                    ("triaged", "Triaged"),
                    ("closed", "Closed"),
                ],
                default="received",
                max_length=24,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(create_views, drop_views),
    ]
