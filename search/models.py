from django.contrib.contenttypes.models import ContentType
from django.db import models


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
