from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "课程"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lessons import tasks

        tasks.register_signal_handlers()
