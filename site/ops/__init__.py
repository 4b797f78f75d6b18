"""Operations: health, backups, background tasks, system checks, outages, storage."""
