"""What partner sites read from us: feeds, the JSON API, the lesson widget and their guide."""
