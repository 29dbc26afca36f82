"""Events one service announces and another reacts to, so neither imports the other.

``tracking`` sends them once carrier news is committed; ``notifications`` connects its rules
(``notifications.rules.connect_signals``, from the app's ``ready``). Receivers run in the
sender's thread and transaction, as direct calls did; a sender wraps each ``send`` in its own
``try`` so a failing receiver never undoes what was stored.
"""

from __future__ import annotations

from django.dispatch import Signal

#: A parcel's status changed (carrier poll, push or staff). Arguments: ``parcel``,
#: ``old_status``, ``config`` (the parcel's channel configuration).
parcel_status_changed = Signal()

#: A return parcel's status changed (``Parcel.direction = return``). Arguments as
#: ``parcel_status_changed``; ``returns`` moves the return on (handed over, received).
return_parcel_changed = Signal()

#: Parcels were just delivered. Argument: ``items``, ``[(config, order id), …]`` of their
#: orders (review requests follow once every live parcel of an order is delivered).
parcels_delivered = Signal()

#: A delivery problem was recorded for the first time. Argument: ``problem``.
problem_opened = Signal()
