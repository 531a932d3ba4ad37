"""Doing again only what changed: the stamp, the build cache, page dependencies and index patching.

Only the pipeline asks it, as "the result for this key, or compute it"; no stage imports it, and only
it writes into the cache folder beside the output."""
