"""Which way a parcel travels, and the manager that means "the shop's parcels to the shopper".

``Parcel.objects`` (:class:`OutboundParcels`) is what every shopper-facing reader, KPI and
message means by "parcel"; a return label's parcel (``return``) is reached only through
``Parcel.tracked``, the tracking engine's manager (polling, push, problem sweeps, deletion).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParcelDirection(models.TextChoices):
    OUTBOUND = "outbound", _("To the shopper")
    RETURN = "return", _("Back to the shop")


class OutboundParcels(models.Manager):
    """Outbound parcels only."""

    def get_queryset(self):
        return super().get_queryset().filter(direction=ParcelDirection.OUTBOUND)


class DirectedParcel(models.Model):
    """The ``Parcel`` model's direction and managers (``tracked`` is its default manager)."""

    Direction = ParcelDirection

    direction = models.CharField(
        _("direction"),
        max_length=8,
        choices=ParcelDirection.choices,
        default=ParcelDirection.OUTBOUND,
    )

    tracked = models.Manager()  # every parcel
    objects = OutboundParcels()  # outbound only: what readers mean by "parcel"

    class Meta:
        abstract = True
        default_manager_name = "tracked"
        base_manager_name = "tracked"
