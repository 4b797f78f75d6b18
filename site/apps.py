from django.apps import AppConfig


class PioneerConfig(AppConfig):
    """Project-wide pieces: site settings, regions, base templates, health check."""

    name = "pioneer"
    verbose_name = "站点"
    default_auto_field = "django.db.models.BigAutoField"
