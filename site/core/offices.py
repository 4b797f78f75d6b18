"""Offices: which region a group of editors or reviewers belongs to (editorial roles).

Wagtail's page permissions follow the page tree, but lessons and policy documents are
filed by function and in one library, not by region. A group's :class:`RegionRole`
says which region's content it looks after; :mod:`pioneer.core.ownership` turns that into
page permissions and :mod:`pioneer.editorial.review` into the right reviewers at each stage.
"""

from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pioneer.core.models import Region

# What a role may do on its own region's content (on top of nothing elsewhere).
# Publishing stays with the workflow's last stage; reviewers may lock a page they review.
EDITOR_PERMISSIONS = frozenset({"add", "change"})
REVIEWER_PERMISSIONS = frozenset({"add", "change", "lock", "unlock"})


class RegionRole(models.Model):
    """Ties a Django group to a region's office as its editors or its reviewers."""

    class Kind(models.TextChoices):
        EDITOR = "editor", _("编辑")
        REVIEWER = "reviewer", _("审核")

    group = models.OneToOneField(
        Group, verbose_name=_("用户组"), on_delete=models.CASCADE, related_name="region_role"
    )
    region = models.ForeignKey(
        "pioneer.Region", verbose_name=_("地区"), on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("角色"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("地区角色")
        verbose_name_plural = _("地区角色")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="one_group_per_region_role")
        ]

    def __str__(self):
        return self.group.name


def covered_region_keys(region):
    """Translation keys of ``region`` and every region below it (any locale)."""
    return set(Region.subtree(region).values_list("translation_key", flat=True))


class UserScope:
    """The regions a user's roles cover, computed once per user object."""

    def __init__(self, user):
        self.unrestricted = user.is_superuser
        self.roles = []  # (kind, region, covered translation keys)
        if not user.is_active or user.is_superuser:
            return
        for role in RegionRole.objects.filter(group__user=user).select_related("region"):
            if role.region.level == "province":
                self.unrestricted = True
            self.roles.append((role.kind, role.region, covered_region_keys(role.region)))

    @property
    def region_keys(self):
        return set().union(*(keys for _kind, _region, keys in self.roles))

    def covers(self, region):
        return self.unrestricted or (
            region is not None and region.translation_key in self.region_keys
        )

    def permissions_on(self, region):
        """Page actions the user's roles grant on content filed under ``region``."""
        granted = set()
        if region is None:
            return granted
        for kind, _region, keys in self.roles:
            if region.translation_key in keys:
                granted |= (
                    REVIEWER_PERMISSIONS if kind == RegionRole.Kind.REVIEWER else EDITOR_PERMISSIONS
                )
        return granted

    def regions(self, locale):
        """Regions of ``locale`` this user may file content under (all when unrestricted)."""
        queryset = Region.objects.filter(locale=locale)
        if self.unrestricted:
            return queryset
        return queryset.filter(translation_key__in=self.region_keys)


def user_scope(user):
    scope = getattr(user, "_pioneer_scope", None)
    if scope is None:
        scope = UserScope(user)
        user._pioneer_scope = scope
    return scope


def reviewers_of(region, kind=RegionRole.Kind.REVIEWER):
    """Groups whose role is ``kind`` for exactly ``region`` (in any locale)."""
    return Group.objects.filter(
        Q(region_role__region__translation_key=region.translation_key),
        region_role__kind=kind,
    )
