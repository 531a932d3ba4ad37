"""A newsgen plugin: a gzip copy beside every page, stylesheet, script and feed, for servers that send them
as they are (nginx's ``gzip_static on;``) instead of compressing each response.

Copy this file into the site folder (beside site.yaml) and list it there::

    plugins:
      - gzip_pages.py

The copies are deterministic (no time, no file name in the gzip header), so the same site gives the same
bytes; a page the build did not change keeps the copy the last build made.
"""

from __future__ import annotations

import gzip

from newsgen.plugins import BuiltSite, Registry

SUFFIXES = (".html", ".css", ".js", ".json", ".xml")


def register(registry: Registry) -> None:
    registry.add_post_build(gzip_pages)


def gzip_pages(site: BuiltSite) -> None:
    files = set(site.files)
    for path in site.files:
        copy = path + ".gz"
        if not path.endswith(SUFFIXES) or copy in files:  # the search index's data is compressed already
            continue
        if path not in site.changed and site.keep(copy):
            continue
        site.write(copy, gzip.compress(site.read(path), compresslevel=9, mtime=0))
