"""What moves the content generation: every signal that means the public may see
something else, connected once at start-up.

Wagtail's own models are named here; what else pages show (site settings and texts,
regions, topics) the layers above name when they connect (``register_signal_handlers``).
"""

from pioneer.caching.generation import bump


def _changed(sender, **kwargs):
    bump()


def register_signal_handlers(*models):
    """Connect the generation to page publishing, moves, deletes and saves, and to the saves
    and deletes of Wagtail's models and of ``models`` (what pages show besides their own
    fields)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Locale, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_changed, dispatch_uid=f"pioneer_generation_{signal}")
    models = [
        PageViewRestriction,
        Site,
        Locale,
        *models,
        get_document_model(),
        get_image_model(),
    ]
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"pioneer_generation_{model}")
    # Any page type: a delete reaches the public at once; saving a draft of a live page
    # re-renders its fragments once more, which costs little.
    for signal in (post_save, post_delete):
        signal.connect(_page_changed, dispatch_uid=f"pioneer_generation_page_{signal}")


def _page_changed(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        bump()
