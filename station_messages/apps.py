from django.apps import AppConfig


class StationMessagesConfig(AppConfig):
    name = "station_messages"
    verbose_name = "站点留言"
    default_auto_field = "django.db.models.BigAutoField"
