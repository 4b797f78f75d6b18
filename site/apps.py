from django.apps import AppConfig


class PioneerConfig(AppConfig):
    """Project-wide pieces: site settings, regions, base templates, health check."""

    name = "pioneer"
    verbose_name = "站点"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from pioneer import checks, content_cache, frontend_cache, ratelimit, task_retry  # noqa: F401
        from pioneer.permissions import refuse_denied_changes_with_403
        from pioneer.review import register_notifier

        register_notifier()
        frontend_cache.register_signal_handlers()
        content_cache.register_signal_handlers()
        task_retry.register_signal_handlers()
        ratelimit.register_signal_handlers()
        refuse_denied_changes_with_403()
