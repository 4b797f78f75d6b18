from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin


class PendingIndexUpdate(models.Model):
    """An engine index change that failed (engine down) and must be replayed.

    The database backend is always up to date (it lives in the same transaction); the
    engine catches up from these rows when it answers again (``sync_search_index``).
    """

    class Action(models.TextChoices):
        ADD = "add"
        DELETE = "delete"

    backend = models.CharField(max_length=50)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=10, choices=Action.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["backend", "content_type", "object_id"],
                name="one_pending_update_per_object",
            )
        ]

    def __str__(self):
        return f"{self.action} {self.content_type_id}:{self.object_id} on {self.backend}"


class SearchQueryDay(models.Model):
    """What learners searched for, one row per cleaned query, language and day.

    Deliberately nothing about who searched (no IP, user, session or cookie): the rows are
    counters editors read to see which words the site fails to answer. Rows older than
    ``SEARCH_LOG_DAYS`` are deleted by ``sync_search_index`` (run every minute).
    """

    query = models.CharField(max_length=200)
    language = models.CharField(max_length=15)
    day = models.DateField()
    searches = models.PositiveIntegerField(default=0)
    empty = models.PositiveIntegerField(default=0)  # searches that found nothing
    last_count = models.PositiveIntegerField(null=True)  # results the last search found
    opens = models.PositiveIntegerField(default=0)  # results opened from this query's page

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["query", "language", "day"], name="one_search_log_row_per_day"
            )
        ]
        # Day first: the purge (every minute) asks by day alone, the report by a range of
        # days in one of two languages; the unique constraint serves a query's own rows.
        indexes = [models.Index(fields=["day", "language"], name="search_log_day_language")]

    def __str__(self):
        return f"{self.day} {self.language} {self.query}"


class SynonymGroup(RevisionMixin, models.Model):
    """Words learners use for one thing, which search treats alike (``search.synonyms``).

    ``terms`` each find the pages of every other; ``also_finds`` one way only: a search for
    a term also finds pages with these words, not the reverse (an everyday name with a
    second meaning, 马蹄 → 荸荠, or a narrower word → a broader one). Applied to the query,
    never to the index, so a change takes effect at once on every backend. Groups are
    retired (``active``), not deleted, so their history stays.
    """

    terms = models.TextField(
        _("同义词"),
        help_text=_(
            "意思相同的几个词，用顿号、逗号或空格分开，例如：马铃薯、土豆、洋芋。"
            "学员搜索其中任何一个词，也能找到含有其他词的页面。"
        ),
    )
    also_finds = models.TextField(
        _("单向：也能找到"),
        blank=True,
        help_text=_(
            "可不填。学员搜索上面的词时，也能找到含有这些词的页面，反过来不行。"
            "例如上面填“马蹄”，这里填“荸荠”：搜“马蹄”能找到讲荸荠的课，搜“荸荠”不会找到讲马蹄的内容。"
        ),
    )
    region = models.ForeignKey(
        "pioneer.Region",
        verbose_name=_("维护单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("哪个地区的单位维护这组词；留空为省里。词对全省的搜索都起作用。"),
    )
    active = models.BooleanField(
        _("启用"), default=True, help_text=_("不再使用的词组取消勾选即可，修改记录会保留。")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    source = models.CharField(
        _("来源"),
        max_length=120,
        blank=True,
        help_text=_("词从哪里来：本站编辑，或随网站提供的词库及其版本。"),
    )
    # Which shipped entry a group came from (search/data/synonyms.jsonl), so loading the
    # data again updates it instead of adding a copy; empty for editors' own groups.
    key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Its revisions, under the name RevisionMixin reads (``revisions``, below).
    revision_records = GenericRelation("wagtailcore.Revision", related_query_name="synonym_group")

    class Meta:
        verbose_name = _("同义词组")
        verbose_name_plural = _("同义词")
        ordering = ["terms"]

    def __str__(self):
        terms, also = self.words()
        text = "、".join(terms)
        return f"{text} → {'、'.join(also)}" if also else text

    @property
    def revisions(self):
        return self.revision_records

    def words(self):
        from search.synonyms import parse_terms

        return parse_terms(self.terms), parse_terms(self.also_finds)

    def clean(self):
        from search.synonyms import check_group

        check_group(self.terms, self.also_finds)
