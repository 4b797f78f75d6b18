"""What a page view with N pictures costs on S3 now that renditions are private objects
linked through the site's check (SECURITY.md), against the former public objects.

Needs the object store (MEDIA_STORAGE=s3 and the variables it prints):

    deploy/local/objectstore start --port 9460
    eval "$(deploy/local/objectstore env --port 9460)"
    .venv/bin/python bench/s3_renditions.py [--pictures 1,10] [--runs 20]

A throw-away SQLite database gets one published lesson holding N pictures. For each
picture the page shows, "before" is one GET of a public object on the store (as the
former release linked it, written here with the public-read ACL for the comparison);
"after" is the site's /media/images/ answer (in-process: Django's view, no nginx) plus
one GET of the signed URL it redirects to, first with the window's URL not yet signed
(cache cleared), then signed (the rest of the window). Times are medians over --runs.
Behind nginx, an anonymous request for a public picture's redirect is answered from
nginx's cache within the window, so the site's share applies once a window per picture.
"""

import argparse
import io
import os
import re
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import ROOT  # noqa: E402


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def fetch_all(urls):
    for url in urls:
        fetch(url)


def through_site(client, urls, fresh, follow):
    """Each picture's URL asked of the site (``fresh``: with the window's signed URLs
    forgotten), then, if ``follow``, the signed URL it redirects to."""
    from django.core.cache import cache

    for url in urls:
        if fresh:
            cache.clear()
        response = client.get(url)
        assert response.status_code == 302, response.status_code
        if follow:
            fetch(response["Location"])


def median_ms(action, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pictures", default="1,10", help="Ns to measure, comma-separated")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if os.environ.get("MEDIA_STORAGE") != "s3":
        sys.exit('needs the object store: eval "$(deploy/local/objectstore env --port N)"')

    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="pioneer-bench-s3-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="pioneer.settings",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        DEBUG="false",
        ALLOWED_HOSTS="testserver",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.test import Client
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    from pioneer import compat
    from pioneer.site_setup import setup_site
    from tests.support.factories import make_lesson

    call_command("migrate", verbosity=0)
    setup_site()
    storage = get_image_model().get_rendition_model().file.field.storage
    client = Client()
    summary = []
    for count in [int(n) for n in args.pictures.split(",")]:
        images = []
        for index in range(count):
            buffer = io.BytesIO()
            PILImage.new("RGB", (800, 450), (index * 20 % 255, 90, 160)).save(buffer, "JPEG")
            image = get_image_model()(
                title=f"图{count}-{index}", file=ContentFile(buffer.getvalue(), name="p.jpg")
            )
            compat.set_file_metadata(image)
            image.save()
            images.append(image)
        body = [("image", {"image": image, "alt": "", "caption": ""}) for image in images]
        lesson = make_lesson(f"{count}张图的课", body=body)
        html = client.get(lesson.url).content.decode()
        urls = re.findall(r'<img[^>]*\ssrc="(/media/images/[^"]+)"', html)
        assert len(urls) >= count, f"{len(urls)} pictures on the page, {count} expected"
        urls = urls[:count]
        names = [url.removeprefix("/media/") for url in urls]

        # Before: the same renditions as public objects at a plain URL.
        public_urls = []
        for name in names:
            key = f"bench-public/{name}"
            with storage.open(name) as source:
                storage.bucket.put_object(Key=key, Body=source.read(), ACL="public-read")
            public_urls.append(f"{storage.endpoint_url}/{storage.bucket_name}/{key}")
        before = median_ms(lambda: fetch_all(public_urls), args.runs)  # noqa: B023
        cold = median_ms(lambda: through_site(client, urls, True, True), args.runs)  # noqa: B023
        warm = median_ms(lambda: through_site(client, urls, False, True), args.runs)  # noqa: B023
        site_cold = median_ms(lambda: through_site(client, urls, True, False), args.runs)  # noqa: B023
        site_warm = median_ms(lambda: through_site(client, urls, False, False), args.runs)  # noqa: B023
        print(
            f"N={count}: requests per first view before {count} (store), after {2 * count} "
            f"({count} site + {count} store; behind nginx the {count} site requests are "
            f"nginx cache hits within the window)"
        )
        print(f"  before: {before:.1f} ms for the {count} pictures (store only)")
        print(
            f"  after:  {warm:.1f} ms (URL already signed this window; site {site_warm:.1f} ms"
            f" of it), {cold:.1f} ms at the window's first request (site {site_cold:.1f} ms)"
        )
        # Leave the store as found: the public copies, the renditions and the originals
        # (the database is thrown away; deleting the images through Wagtail would enqueue
        # a task the S3 storage's settings cannot be serialised for).
        for name in names:
            storage.bucket.Object(f"bench-public/{name}").delete()
        for image in images:
            for rendition in image.renditions.all():
                storage.delete(rendition.file.name)
            default_storage.delete(image.file.name)
        summary.append(
            f"N={count} {count}->{2 * count} requests, {before:.1f}->{warm:.1f} ms "
            f"({cold:.1f} first in window)"
        )
    print("summary: " + "; ".join(summary))


if __name__ == "__main__":
    main()
