"""The base layer: what every content type and feature shares (regions and topics, site
settings and texts, the public-visibility rule, Chinese text, blocks, i18n). It imports
no content app (home, lessons, news), not search, and nothing of pioneer above it."""
