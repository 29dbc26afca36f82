"""What the operator's commands do: ``doctor`` (``aftersales_doctor``, also the dashboard's
Health tab), ``backfill`` (``aftersales_backfill``: orders placed before the install) and
``export`` (``aftersales_export``: CSV)."""
