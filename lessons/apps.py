from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "课程"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lessons import content_types, signals, tasks

        content_types.register_kinds()
        tasks.register_signal_handlers()
        signals.register_signal_handlers()
