"""Return parcels tracked by the engine (``Parcel.direction``); a return is resolved only
after staff's inspection (``ReturnRequest.inspected_at``, set for those already resolved or
received by staff). Returns whose label is on its way get their parcel, checked at once."""

import django.db.models.manager
from django.db import migrations, models


def forwards(apps, schema_editor):
    from django.utils import timezone

    request_model = apps.get_model("saleor_aftersales", "ReturnRequest")
    parcel_model = apps.get_model("saleor_aftersales", "Parcel")
    request_model.objects.filter(received_at__isnull=False, inspected_at__isnull=True).update(
        inspected_at=models.F("received_at")
    )
    now = timezone.now()
    for request in request_model.objects.filter(
        state__in=("label_created", "handed_over"), label_tracking_number__gt=""
    ):
        parcel_model._default_manager.get_or_create(
            fulfillment_id=f"return-{request.pk}",
            defaults={
                "order_id": request.order_id,
                "channel_slug": request.channel_slug,
                "carrier": "dhl",
                "carrier_source": "method",
                "tracking_number": request.label_tracking_number,
                "shipped_at": request.label_created_at or now,
                "next_check_at": now,
                "direction": "return",
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("saleor_aftersales", "0004_return_photos"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="parcel",
            options={
                "base_manager_name": "tracked",
                "default_manager_name": "tracked",
                "ordering": ("shipped_at", "id"),
                "verbose_name": "parcel",
                "verbose_name_plural": "parcels",
            },
        ),
        migrations.AlterModelManagers(
            name="parcel",
            managers=[
                ("tracked", django.db.models.manager.Manager()),
            ],
        ),
        migrations.AddField(
            model_name="parcel",
            name="direction",
            field=models.CharField(
                choices=[("outbound", "To the shopper"), ("return", "Back to the shop")],
                default="outbound",
                max_length=8,
                verbose_name="direction",
            ),
        ),
        migrations.AddField(
            model_name="returnrequest",
            name="inspected_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Staff marked it received with their inspection; only then is it resolved.",
                null=True,
                verbose_name="inspected at",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
