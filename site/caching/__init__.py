"""Caching in one place: the content generation and what moves it, the site memo,
fragments, conditional answers, kept answers, front-cache purges, the Redis backend and
what nginx caches. It knows no content type: the layers above tell it what to watch and
what else to purge."""
