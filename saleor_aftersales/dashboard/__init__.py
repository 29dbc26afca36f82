"""Aftersales inside the Saleor dashboard: an app manifest and the extension pages.

Saleor 3.23 installs the plugin as an app from ``/plugins/<PLUGIN_ID>/dashboard/manifest.json``
(``manifest.py``). Its extensions (the order widget, the page under Orders, the order's
"more actions" popup) are pages served here: a static shell and our small script, which waits
for the dashboard's AppBridge ``handshake`` and then loads server-rendered fragments with the
token (``auth.py``). Nothing loads from a CDN; the CSP allows only our own files.
"""
