"""The HTTP edge: middleware, rate limits, media and file serving, small views, 404s."""
