def display_mode(request):
    """Learner display preferences, kept in cookies so they work without JavaScript."""
    return {"elder_mode": request.COOKIES.get("mode") == "elder"}
