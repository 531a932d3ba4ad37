"""A cleaned file becomes an Article: header (title, dateline, byline), dates and the body."""
