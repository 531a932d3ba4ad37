"""The articles as an archive: their order, URLs and collisions, periods and sections, related
articles and timeline data."""
