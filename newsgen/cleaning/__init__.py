"""What is boilerplate: per-line rules, the learned line classifier and its model file, what a source
repeats (sitewide), non-articles and near-duplicates."""
