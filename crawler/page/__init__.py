"""Work on one page, without Scrapy: parse, classify, extract, clean, find links.

Kept light on purpose: the page processes import it, and nothing here may pull in the store.
"""
