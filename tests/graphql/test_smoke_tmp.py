import pytest
from tests.graphql.conftest import process, status_token
pytestmark = pytest.mark.django_db
def test_smoke(gql, make_order):
    order = process(make_order(lines=2, parcels=1, tracking_numbers=["00340434161094042557"]))
    status, body = gql("""query($t: String!){ aftersalesStatus(token: $t){ orderId number state stateText timeline{key state} parcels{id trackingNumber status events{status} lines{productName}} buyAgain{name available price{amount currency}} faq{question} review{enabled} recommendations{name} personal{name} } }""", {"t": status_token(order)})
    print(status, body)
    assert status == 200
