"""One module per tracking API behind :class:`base.CarrierClient`."""
