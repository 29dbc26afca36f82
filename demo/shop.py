"""The demo's sample shop: Nordwind Outfitters, its products, customers and order stories.

Plain data; ``demo.seed`` plays each :class:`Story` through the plugin's real services.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CHANNEL = "default-channel"

CONFIG = {
    "shop_name": "Nordwind Outfitters",
    "storefront_url": "https://shop.example.com",
    "checkout_url": "https://shop.example.com/checkout?checkout={checkout_id}",
    "product_url_template": "https://shop.example.com/products/{slug}",
    "sender_name": "Nordwind Outfitters",
    "sender_email": "service@shop.example.com",
    "staff_email": "ops@shop.example.com",
    "brand_color": "#0b6e4f",
    "review_platform_url": "https://g.page/r/nordwind/review",
    "emails_enabled": True,
    "confirmation_mode": "replace",  # the demo shows our order confirmation too
    "delay_voucher_enabled": True,
    "delay_voucher_percent": 10,
    "marketing_consent_rule": "metadata",
    "time_zone": "Europe/Berlin",
    "support_email": "help@shop.example.com",
    "support_phone": "+49 221 98765430",
    "support_url": "https://shop.example.com/help",
}

#: (name, price in EUR, thumbnail file under demo/static/demo/products/, variant name)
PRODUCTS: list[tuple[str, str, str, str]] = [
    ("Merino Wool Sweater", "89.90", "sweater.svg", "M"),
    ("Organic Cotton T-Shirt", "24.90", "tshirt.svg", "L"),
    ("Rain Jacket", "129.00", "jacket.svg", "M"),
    ("Trail Backpack 20 L", "79.00", "backpack.svg", ""),
    ("Wool Beanie", "22.50", "beanie.svg", ""),
    ("Running Socks (3-pack)", "14.95", "socks.svg", "39–42"),
    ("Canvas Tote Bag", "19.90", "tote.svg", ""),
    ("Insulated Water Bottle", "27.50", "bottle.svg", "0.75 l"),
    ("Linen Shirt", "54.90", "shirt.svg", "L"),
    ("Leather Belt", "39.00", "belt.svg", "95 cm"),
]


@dataclass(frozen=True)
class Customer:
    first_name: str
    last_name: str
    email: str
    street: str
    postal_code: str
    city: str
    phone: str

    def address(self) -> dict[str, str]:
        return {"first_name": self.first_name, "last_name": self.last_name,
                "street_address_1": self.street, "postal_code": self.postal_code,
                "city": self.city, "country": "DE", "phone": self.phone}


@dataclass(frozen=True)
class ParcelPlan:
    """A parcel: its lines (indexes into the story's products), carrier and journey."""

    lines: tuple[int, ...]
    api: str  # "aftership" or "dhl"
    script: str  # journey name in demo.journeys
    steps: int  # steps that already happened when the demo starts
    shipped_days_ago: float
    last_event_hours_ago: float
    carrier: str  # the carrier named in the shipping method (or detected from the number)


@dataclass(frozen=True)
class Story:
    """One sample order and what has happened to it."""

    title: str
    customer: Customer
    products: tuple[int, ...]  # indexes into PRODUCTS
    language: str = "en"
    placed_days_ago: float = 0.2
    paid: bool = True
    consent: bool = False
    cancelled: bool = False
    parcels: tuple[ParcelPlan, ...] = ()
    review: tuple[int, str] | None = None
    notes: tuple[str, ...] = field(default=())


def _c(first, last, street, postal, city, phone) -> Customer:
    email = f"{first}.{last}@example.com".lower().replace("ä", "ae").replace("ü", "ue")
    return Customer(first, last, email, street, postal, city, phone)


STORIES: list[Story] = [
    Story("Placed, payment pending", _c("Lena", "Fischer", "Bergmannstraße 42", "10961",
                                        "Berlin", "+49 30 5550123"),
          (1, 5), paid=False, placed_days_ago=0.05),
    Story("Paid, being prepared", _c("Jonas", "Weber", "Schanzenstraße 7", "20357",
                                     "Hamburg", "+49 40 5550456"),
          (0, 4), language="de", placed_days_ago=1, consent=True),
    Story("Split shipment: one parcel out for delivery, one in transit",
          _c("Erika", "Mustermann", "Heidestraße 17", "51147", "Köln", "+49 221 1234567"),
          (2, 3, 7), placed_days_ago=3, consent=True,
          parcels=(ParcelPlan((0, 2), "aftership", "standard", 5, 2.2, 1.5, "dhl"),
                   ParcelPlan((1,), "aftership", "standard", 3, 1.1, 6, "ups"))),
    Story("Delayed past the promised date (apology with voucher)",
          _c("Tobias", "Becker", "Leopoldstraße 88", "80802", "München", "+49 89 5550789"),
          (8,), placed_days_ago=11,
          parcels=(ParcelPlan((0,), "aftership", "stuck", 3, 9, 24 * 7, "gls"),)),
    Story("Carrier exception: failed delivery attempt",
          _c("Sophie", "Wagner", "Königsallee 21", "40212", "Düsseldorf", "+49 211 5550321"),
          (4, 6), placed_days_ago=4, consent=True,
          parcels=(ParcelPlan((0, 1), "aftership", "attempt", 4, 3, 3, "dpd"),)),
    Story("Ready for pickup at a DHL branch",
          _c("Maximilian", "Schneider", "Louisenstraße 54", "01099", "Dresden",
             "+49 351 5550654"),
          (5, 9), language="de", placed_days_ago=4,
          parcels=(ParcelPlan((0, 1), "dhl", "pickup", 4, 3, 5, "dhl"),)),
    Story("Delivered, review request due",
          _c("Hannah", "Hoffmann", "Berger Straße 120", "60316", "Frankfurt am Main",
             "+49 69 5550987"),
          (0, 7), placed_days_ago=12, consent=True,
          parcels=(ParcelPlan((0, 1), "aftership", "standard", 6, 11, 24 * 8, "ups"),)),
    Story("Delivered and reviewed",
          _c("Felix", "Schulz", "Marienplatz 5", "70178", "Stuttgart", "+49 711 5550246"),
          (2, 4), language="de", placed_days_ago=15,
          parcels=(ParcelPlan((0, 1), "dhl", "standard", 5, 14, 24 * 12, "dhl"),),
          review=(5, "Schnelle Lieferung, die Jacke hält wirklich dicht. Gerne wieder!")),
    Story("Cancelled", _c("Clara", "Koch", "Hauptstraße 9", "69117", "Heidelberg",
                          "+49 6221 555013"),
          (6, 1), placed_days_ago=2, cancelled=True),
]

#: FAQ entries: (language, context, question, answer).
FAQ: list[tuple[str, str, str, str]] = [
    ("en", "processing", "When will my order ship?",
     "<p>We pack orders within <strong>two working days</strong>. You get an email with the "
     "tracking link as soon as your parcel leaves our warehouse.</p>"),
    ("en", "processing", "Can I still change my order?",
     "<p>As long as it has not shipped, write to "
     "<a href=\"mailto:help@shop.example.com\">help@shop.example.com</a> with your order "
     "number.</p>"),
    ("en", "shipped", "My parcel arrives in several boxes. Is that right?",
     "<p>Yes. Items ship from different warehouses; each parcel has its own tracking "
     "link on this page.</p>"),
    ("en", "problem", "My parcel is late. What now?",
     "<p>Carriers sometimes need a day or two longer. If nothing moves for three working "
     "days, we send a replacement or refund you.</p>"),
    ("en", "delivered", "How do I return an item?",
     "<p>You have <strong>30 days</strong>. Use the return label in the parcel or request "
     "one at <a href=\"https://shop.example.com/returns\">shop.example.com/returns</a>.</p>"),
    ("en", "cancelled", "When do I get my money back?",
     "<p>Refunds reach your account within 5 to 10 working days, on the payment method "
     "you used.</p>"),
    ("de", "processing", "Wann wird meine Bestellung verschickt?",
     "<p>Wir packen Bestellungen innerhalb von <strong>zwei Werktagen</strong>. Sobald dein "
     "Paket unser Lager verlässt, bekommst du eine E-Mail mit dem Sendungslink.</p>"),
    ("de", "shipped", "Kann ich mein Paket in einer Filiale abholen?",
     "<p>Ja. Liegt dein Paket in einer Filiale oder Packstation, zeigt diese Seite das an; "
     "nimm deinen Ausweis mit.</p>"),
    ("de", "delivered", "Wie sende ich einen Artikel zurück?",
     "<p>Du hast <strong>30 Tage</strong> Zeit. Nutze das Rücksendeetikett im Paket oder "
     "fordere eines unter <a href=\"https://shop.example.com/returns\">"
     "shop.example.com/returns</a> an.</p>"),
]
