from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "schedule"
    verbose_name = "节目单"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from pioneer.caching import signals
        from schedule.models import Channel, Slot

        # Lesson pages show their coming broadcasts: a slot's change renews them.
        signals.register_signal_handlers(Channel, Slot)
