"""Input: the only stage that reads content. Text, Markdown and saved HTML files become SourceFiles;
CSV, JSONL and WARC imports write content files."""
