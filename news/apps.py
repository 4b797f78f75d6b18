from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "新闻与政策文件"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from news import content_types

        content_types.register_kinds()
