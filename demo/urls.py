"""The demo's URLs: its own pages at the root, the plugin's routes as in Saleor."""

from __future__ import annotations

from django.urls import path, re_path

from sandbox.urls import urlpatterns as plugin_urlpatterns

from . import graphql_page, views

urlpatterns = [
    path("", views.index, name="demo-index"),
    path("play", views.play_view, name="demo-play"),
    path("outbox/", views.outbox_list, name="demo-outbox"),
    re_path(r"^outbox/(?P<name>\d+)\.(?P<kind>html|txt)$", views.outbox_email,
            name="demo-email"),
    path("graphql/", graphql_page.graphql_page, name="demo-graphql"),
    re_path(r"^static/(?P<path>.+)$", views.static, name="demo-static"),
    *plugin_urlpatterns,
]
