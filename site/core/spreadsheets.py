"""CSV cells a spreadsheet opens safely, and back: exports of content and of the policy
library write them, the importer reads them."""

# A cell a spreadsheet would run as a formula (or a DDE command) starts with one of these
# (OWASP, CSV injection); a leading apostrophe makes it text. The apostrophe itself is in
# the set, so that a text that really starts with one survives the round trip.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def spreadsheet_safe(value):
    """``value`` for a CSV cell: text a spreadsheet would run gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def from_spreadsheet(value):
    """The text ``spreadsheet_safe`` was given: its leading ``'`` taken off again."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
