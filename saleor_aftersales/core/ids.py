"""The plugin's reverse-DNS id, importable without Saleor."""

PLUGIN_ID = "io.github.saleor-aftersales"
