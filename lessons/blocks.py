"""StreamField blocks of a lesson body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from pioneer.core.blocks import RICH_TEXT_FEATURES, AttachmentBlock, CaptionedImageBlock, QuoteBlock


class VideoBlock(blocks.StructBlock):
    """The site's own uploaded video, played by the browser's native player."""

    file = DocumentChooserBlock(label=_("视频文件"), help_text=_("MP4 或 WebM 文件"))
    poster = ImageChooserBlock(label=_("封面画面"), required=False)
    captions = DocumentChooserBlock(label=_("字幕（WebVTT）"), required=False)
    title = blocks.CharBlock(label=_("标题"), required=False)

    class Meta:
        icon = "media"
        label = _("视频")
        template = "blocks/video.html"


class AudioBlock(blocks.StructBlock):
    file = DocumentChooserBlock(label=_("音频文件"), help_text=_("MP3、M4A 或 OGG 文件"))
    title = blocks.CharBlock(label=_("标题"), required=False)

    class Meta:
        icon = "media"
        label = _("音频")
        template = "blocks/audio.html"


class OutlineBlock(blocks.StructBlock):
    """A transcript or outline section, shown after the media."""

    heading = blocks.CharBlock(label=_("小标题"))
    text = blocks.RichTextBlock(label=_("内容"), features=["bold", "italic", "ol", "ul", "link"])

    class Meta:
        icon = "list-ul"
        label = _("提纲/文字稿")
        template = "blocks/outline.html"


class StepBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("步骤说明"))
    image = ImageChooserBlock(label=_("配图"), required=False)


class StepsBlock(blocks.StructBlock):
    """Step-by-step instructions for practical techniques (实用技术)."""

    title = blocks.CharBlock(label=_("标题"), required=False)
    steps = blocks.ListBlock(StepBlock(), label=_("步骤"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("操作步骤")
        template = "blocks/steps.html"


MEDIA_BLOCKS = ("video", "audio", "embed")


class LessonBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("正文"), features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock()
    video = VideoBlock()
    audio = AudioBlock()
    embed = EmbedBlock(label=_("合作方视频（嵌入）"), icon="media")
    outline = OutlineBlock()
    attachment = AttachmentBlock()
    quote = QuoteBlock()
    steps = StepsBlock()
