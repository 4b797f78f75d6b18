"""站点留言 in the admin menu (station_messages.admin), under the permission policy that
narrows it to the regions a user's offices cover."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from station_messages.admin import StationMessagePermissionPolicy, StationMessageViewSet
from station_messages.models import StationMessage

register_permission_policy(StationMessage, StationMessagePermissionPolicy(StationMessage))
register_snippet(StationMessageViewSet)
