"""StreamField blocks shared by lessons, news and policy documents."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    alt = blocks.CharBlock(
        label=_("替代文字"), required=False, help_text=_("为看不到图片的读者描述图片内容")
    )
    caption = blocks.CharBlock(label=_("图片说明"), required=False)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "blocks/image.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("文件"))
    title = blocks.CharBlock(label=_("显示名称"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("下载附件")
        template = "blocks/attachment.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("引文"))
    source = blocks.CharBlock(label=_("出处"), required=False)

    class Meta:
        icon = "openquote"
        label = _("引用")
        template = "blocks/quote.html"


class ArticleBodyBlock(blocks.StreamBlock):
    """Body of news and policy documents."""

    paragraph = blocks.RichTextBlock(label=_("正文"), features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock()
    attachment = AttachmentBlock()
    quote = QuoteBlock()
