"""Each pytest process (each pytest-xdist worker) keeps its uploads in folders of its own,
so a test that checks nothing was stored never meets another worker's files."""

import os

from django.conf import settings
from django.core.files.storage import default_storage, storages


def test_uploads_go_to_this_processs_own_folders():
    assert settings.MEDIA_ROOT == os.environ["MEDIA_ROOT"]
    assert default_storage.location == os.environ["MEDIA_ROOT"]
    imports = storages["imports"]
    if hasattr(imports, "location"):  # on disk (the object store has prefixes instead)
        assert imports.location == os.environ["IMPORT_UPLOADS_ROOT"]
