from django.utils.translation import gettext_lazy as _

from pioneer.core.ownership import RegionOwnedPageForm

MEDIA_OR_TEXT = ("paragraph", "video", "audio", "embed", "outline", "steps")


class LessonPageForm(RegionOwnedPageForm):
    """A lesson may be saved as an unfinished draft, but never published empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A lesson added under a function's index belongs to that function unless changed.
        parent_function = getattr(self.parent_page, "function", "") if self.parent_page else ""
        if "function" in self.fields and not self.instance.function and parent_function:
            self.initial["function"] = parent_function

    def clean(self):
        cleaned_data = super().clean()
        if getattr(self, "is_deferred_validation", False):
            return cleaned_data
        body = cleaned_data.get("body")
        if body is not None and not any(block.block_type in MEDIA_OR_TEXT for block in body):
            self.add_error("body", _("发布前请至少添加一段正文或一个音视频"))
        return cleaned_data
