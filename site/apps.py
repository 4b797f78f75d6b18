from django.apps import AppConfig


class PioneerConfig(AppConfig):
    """Project-wide pieces: site settings, regions, base templates, health check."""

    name = "pioneer"
    verbose_name = "站点"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from pioneer import compat  # noqa: F401 (registers pioneer.W101, the checked library versions)
        from pioneer.caching import front_cache, signals
        from pioneer.core.sitemap import sitemap_paths
        from pioneer.editorial import review_messages
        from pioneer.editorial.permission_names import translate_permission_names
        from pioneer.editorial.permissions import refuse_denied_changes_with_403
        from pioneer.editorial.review import register_notifier
        from pioneer.http import ratelimit
        from pioneer.models import Region, SiteSettings, SiteText, Topic
        from pioneer.ops import checks, task_retry  # noqa: F401 (checks registers the system checks)
        from pioneer.partners.feeds import feed_paths
        from pioneer.partners.widget import widget_paths

        register_notifier()
        review_messages.register()
        front_cache.register_signal_handlers()
        # What else shows a page, purged with it: its feeds, the sitemap, the widget.
        front_cache.purge_also(feed_paths, sitemap_paths, widget_paths)
        # What pages show besides their own fields moves the content generation too.
        signals.register_signal_handlers(SiteSettings, SiteText, Region, Topic)
        task_retry.register_signal_handlers()
        ratelimit.register_signal_handlers()
        refuse_denied_changes_with_403()
        post_migrate.connect(translate_permission_names, dispatch_uid="pioneer-permission-names")
