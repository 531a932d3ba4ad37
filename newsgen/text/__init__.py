"""Reading values out of text, shared by every stage: words (tokens), dates (dateutil) and slugs."""
