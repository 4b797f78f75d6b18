from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "预警通知"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from notices.current import clock_state
        from pioneer.caching.conditional import register_clock_part

        register_clock_part(clock_state)
