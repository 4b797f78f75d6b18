import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pioneer.settings")

application = get_asgi_application()

# A search client that cannot talk to the configured engine stops the start here, in one line.
from search.engine_check import refuse_to_serve_on_a_wrong_pairing  # noqa: E402

refuse_to_serve_on_a_wrong_pairing()
