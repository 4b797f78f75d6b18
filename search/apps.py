from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "搜索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from search import engine_check  # noqa: F401 - registers the engine pairing check
        from search.models import SynonymGroup
        from search.synonyms import groups_changed

        for signal in (post_save, post_delete):
            signal.connect(groups_changed, sender=SynonymGroup, dispatch_uid="search_synonyms")
