"""How regions and topics appear in the JSON API: names in the page's language."""

from rest_framework.fields import Field

from pioneer.core.models import topic_labels


class RegionField(Field):
    def to_representation(self, region):
        if region is None:
            return None
        return {"slug": region.slug, "name": region.name, "level": region.level}

    def get_attribute(self, instance):
        return instance.region


class TopicsField(Field):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        topics = list(page.tags.all())
        labels = topic_labels(topics, page.locale)
        return [{"slug": topic.slug, "name": labels[topic.pk]} for topic in topics]
