"""Demo skeleton: the real site's structure (``pioneer.site_setup``) plus the demo's
placeholder contact details."""

from django.db import transaction

from pioneer.core.models import SiteSettings
from pioneer.site_setup import build_structure


def build_site():
    """The structure every section hangs on; the demo's contact details once."""
    tree = build_structure()
    with transaction.atomic():
        settings = SiteSettings.for_site(tree["site"])
        if not settings.contact_phone:
            settings.contact_phone = "0571-8700 0000"  # a number reads the same in English
            settings.contact_email = "ycjy@example.org"
            settings.icp_number = "浙ICP备00000000号-1（演示）"
            settings.save()
        text = settings.text
        if text is not None and not text.contact_address:
            text.contact_address = "浙江省杭州市（演示地址）"
            text.save()
    return tree
