"""Request rates as django-ratelimit writes them ("120/m"), read for people: the partners'
page says how many requests a minute the API and search allow."""

import re

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def per_minute(rate):
    """How many requests a minute ``rate`` ("120/m", "2/s", "600/10m") allows, for the
    partners page, which says "a minute" itself; None when there is no limit."""
    if not rate:
        return None
    # django-ratelimit's syntax: count/[multiple]unit, the unit seconds when left out.
    count, multiple, unit = re.match(r"(\d+)/(\d*)([smhd])?", rate).groups()
    per = int(count) * 60 / (int(multiple or 1) * PERIODS[unit or "s"])
    return int(per) if per == int(per) else round(per, 1)
