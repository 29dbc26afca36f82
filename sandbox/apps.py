from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "sandbox"
    label = "aftersales_sandbox"
    verbose_name = "Aftersales sandbox shop"
    default_auto_field = "django.db.models.BigAutoField"
