"""What the reader gets: the Jinja environment and page jobs, feeds, sitemaps, the search index, and the
writer, the only module that writes into the output folder."""
