"""Project-wide package of 时代先锋网, imported as ``pioneer`` (the folder is ``site/``)."""
