"""A cleaned file becomes an Article: header (title, dateline, byline), dates, the body and its links to files."""
