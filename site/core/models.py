"""The base layer's models: the site's own settings and texts, the programme's regions and
topics. Their app label stays ``pioneer`` (this module is inside the app), so no migration
moves; ``pioneer.models`` re-exports them."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import TranslatableMixin
from wagtail.search import index

from pioneer.caching.generation import memo


def within_region(region, field="region"):
    """Content filed under ``region`` (an object or its pk) or any region below it: the
    province's listings include every city's and every county's content.

    One condition in SQL (``region_id IN (SELECT …)``), whatever the depth; every public
    surface (indexes, feeds, search, both APIs, the widget) filters through it.
    """
    return models.Q(**{f"{field}__in": Region.subtree(region).values("pk")})


class SiteText(TranslatableMixin, models.Model):
    """The words the site says about itself, in each language (translatable)."""

    site_name = models.CharField(_("网站名称"), max_length=60, default="时代先锋网")
    tagline = models.CharField(
        _("网站口号"),
        max_length=160,
        blank=True,
        default="浙江省农村党员干部现代远程教育教学辅助网站",
    )
    organisation = models.CharField(
        _("主办单位"), max_length=160, blank=True, default="浙江省农村党员干部现代远程教育办公室"
    )
    contact_address = models.CharField(_("通信地址"), max_length=200, blank=True)

    panels = [
        FieldPanel("site_name"),
        FieldPanel("tagline"),
        FieldPanel("organisation"),
        FieldPanel("contact_address"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("网站名称与介绍")
        verbose_name_plural = _("网站名称与介绍")

    def __str__(self):
        return f"{self.site_name}（{self.locale}）"


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """What the footer and page heads say about the site; editable by province staff.

    The texts live in a translatable ``SiteText`` snippet so every language has its own;
    numbers and addresses that do not change with the language live here.
    """

    text = models.ForeignKey(
        SiteText,
        verbose_name=_("网站名称与介绍"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("网站名称、口号和主办单位；在“片段”中编辑并翻译"),
    )
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    icp_number = models.CharField(
        _("ICP 备案号"), max_length=60, blank=True, help_text=_("例如：浙ICP备00000000号")
    )

    panels = [
        FieldPanel("text"),
        MultiFieldPanel(
            [FieldPanel("contact_phone"), FieldPanel("contact_email"), FieldPanel("icp_number")],
            heading=_("联系方式与备案"),
        ),
    ]

    class Meta:
        verbose_name = _("网站设置")


class Region(TranslatableMixin, index.Indexed, models.Model):
    """A province, city or county office of the programme; content is filed by region."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        COUNTY = "county", _("县（市、区）")

    name = models.CharField(_("名称"), max_length=50, help_text=_("全称，例如：湖州市、桐庐县"))
    short_name = models.CharField(
        _("简称"), max_length=20, blank=True, help_text=_("例如：湖州、桐庐；留空则用全称")
    )
    slug = models.SlugField(
        _("网址名"), max_length=50, allow_unicode=False, help_text=_("用于网址，例如 huzhou")
    )
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    code = models.CharField(
        _("行政区划代码"),
        max_length=6,
        blank=True,
        db_index=True,
        validators=[RegexValidator(r"^[0-9]{6}$", _("行政区划代码是 6 位数字，例如 330122"))],
        help_text=_("GB/T 2260 六位代码，例如桐庐县 330122"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("code"),
        FieldPanel("level"),
        FieldPanel("parent"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_region_slug_per_locale")
        ]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return self.short_name or self.name

    # Levels from the top: a region's parent is always of a higher level, so a region
    # has at most len(LEVELS) - 1 regions above it.
    LEVELS = [Level.PROVINCE, Level.CITY, Level.COUNTY]

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        rank = self.LEVELS.index
        if self.level and rank(self.parent.level) >= rank(self.level):
            raise ValidationError({"parent": _("上级地区的级别应高于本地区")})

    @classmethod
    def subtree(cls, region):
        """``region`` (an object or its pk) and every region below it, as one query."""
        condition = models.Q(pk=getattr(region, "pk", region))
        lookup = "parent"
        for _depth in range(len(cls.LEVELS) - 1):
            condition |= models.Q(**{lookup: getattr(region, "pk", region)})
            lookup += "__parent"
        return cls.objects.filter(condition)

    def ancestors(self):
        """The regions above this one, nearest first."""
        found, region = [], self
        while region.parent_id is not None and len(found) < len(self.LEVELS):
            region = region.parent
            found.append(region)
        return found


class Topic(TranslatableMixin, TagBase):
    """A tag (水稻, 生猪养殖, 党史) that editors type freely and translators translate.

    Pages in every language point at the source-language topic (tags are synchronised
    between trees); each language shows that topic's translation, see ``label_in``.
    """

    name = models.CharField(_("名称"), max_length=100)
    slug = models.SlugField(_("网址名"), max_length=100, allow_unicode=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "locale"], name="unique_topic_name_per_locale"),
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_topic_slug_per_locale"),
        ]


def topic_labels(topics, locale):
    """{topic pk: name in ``locale``} for topics of any language; the names of a locale's
    topics are looked up once per content generation."""
    topics = list(topics)
    labels = {topic.pk: topic.name for topic in topics}
    if not any(topic.locale_id != locale.pk for topic in topics):
        return labels
    names = memo(
        ("topic-names", locale.pk),
        lambda: dict(Topic.objects.filter(locale=locale).values_list("translation_key", "name")),
    )
    for topic in topics:
        if topic.locale_id != locale.pk and topic.translation_key in names:
            labels[topic.pk] = names[topic.translation_key]
    return labels


def tag_names(page):
    """A page's tags as its language names them (the ``tag_names`` filter, registered in
    ``pioneer_tags``)."""
    topics = list(page.tags.all())
    labels = topic_labels(topics, page.locale)
    return [labels[topic.pk] for topic in topics]


class TaggedPageBase(ItemBase):
    """Base of the page-to-topic links of each page type."""

    tag = models.ForeignKey(
        Topic, related_name="%(app_label)s_%(class)s_items", on_delete=models.CASCADE
    )

    class Meta:
        abstract = True
