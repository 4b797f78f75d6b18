from django.core.management.base import BaseCommand, CommandError
from wagtail.images.models import get_rendition_storage


class Command(BaseCommand):
    help = (
        "MEDIA_STORAGE=s3: make every image rendition in the store a private object. A "
        "release before renditions were checked by the site wrote them public-read; run "
        "this once after upgrading, and remove any bucket policy that made images/ "
        "readable (SECURITY.md)."
    )

    def handle(self, *args, **options):
        storage = get_rendition_storage()
        if not hasattr(storage, "bucket"):
            raise CommandError("renditions are not on S3 (MEDIA_STORAGE=local): nothing to do")
        prefix = "/".join(filter(None, [storage.location.strip("/"), "images/"]))
        cache_control = storage.object_parameters.get("CacheControl", "private")
        changed = 0
        # Every object under images/, also those no rendition row names any more. Copied
        # onto itself without an ACL, an object gets the private default: no ACL call,
        # which services with ACLs turned off (and S3Proxy) refuse, and no bytes through here.
        for summary in storage.bucket.objects.filter(Prefix=prefix):
            item = summary.Object()
            item.copy_from(
                CopySource={"Bucket": item.bucket_name, "Key": item.key},
                MetadataDirective="REPLACE",
                ContentType=item.content_type or "application/octet-stream",
                CacheControl=cache_control,
            )
            changed += 1
        self.stdout.write(f"{changed} rendition object(s) made private")
