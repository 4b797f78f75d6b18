"""The base layer: knows no content type."""
