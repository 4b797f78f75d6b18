"""Moved to ``pioneer.core.five_functions`` (search, the API and the importer read it, and
import no content app); this name is kept for one release."""

from pioneer.core.five_functions import FUNCTION_SLUGS, Function, parse_function  # noqa: F401
