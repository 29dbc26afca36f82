"""GraphQL endpoint of the plugin route: ``POST …/io.github.saleor-aftersales/graphql/``.

``POST`` a JSON body ``{"query", "variables", "operationName"}`` (or, with files, a
multipart request as Saleor's endpoint takes it: ``multipart.py``); the answer is JSON with
``data`` and ``errors``. ``GET`` answers a short plain-text pointer (no playground, so nothing
loads from third-party CDNs). CORS is open (``*``): callers authenticate with the
``Authorization`` header, never with cookies. The channel in the URL is the default channel of
staff queries and mutations.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from ..config import AftersalesConfig
from ..core import bodies
from ..web.routes import route
from . import multipart
from .execution import run_operation

MAX_BODY_BYTES = 256 * 1024
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Authorization-Bearer, Content-Type",
    "Access-Control-Max-Age": "86400",
}


def _with_cors(response: HttpResponse) -> HttpResponse:
    for key, value in CORS_HEADERS.items():
        response[key] = value
    return response


def _error(message: str, status: int) -> HttpResponse:
    return _with_cors(JsonResponse({"errors": [{"message": message}]}, status=status))


@route(r"/graphql/?", "graphql")
def graphql_view(request: HttpRequest, config: AftersalesConfig, **_: str) -> HttpResponse:
    if request.method == "OPTIONS":
        return _with_cors(HttpResponse(status=200))
    if request.method == "GET":
        return _with_cors(
            HttpResponse(
                "Aftersales GraphQL API: POST a JSON body {\"query\": …} to this URL.\n",
                content_type="text/plain; charset=utf-8",
            )
        )
    if request.method != "POST":
        response = _error("Method not allowed.", 405)
        response["Allow"] = "GET, POST, OPTIONS"
        return response
    try:
        if request.content_type == "multipart/form-data":  # files (photos of a return)
            payload = multipart.operation(request)
        else:
            payload = bodies.loads(bodies.read(request, MAX_BODY_BYTES) or b"null")
    except bodies.BadBody as exc:
        return _error(exc.message, exc.status)
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return _error("Send a JSON object with a \"query\" string.", 400)
    variables = payload.get("variables")
    variables = {} if variables is None else variables
    operation_name = payload.get("operationName") or None
    if not isinstance(variables, dict) or not (
        operation_name is None or isinstance(operation_name, str)
    ):
        return _error("\"variables\" must be an object and \"operationName\" a string.", 400)

    from .schema import schema

    request.aftersales_config = config
    body, invalid = run_operation(
        schema,
        payload["query"],
        variables=variables,
        operation_name=operation_name,
        context=request,
    )
    return _with_cors(JsonResponse(body, status=400 if invalid else 200))
