"""Archives: WARC files and saved pages in (ingest, captures), WARC files out (warc)."""
