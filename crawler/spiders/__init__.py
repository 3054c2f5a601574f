"""Spiders of the newsdedup Scrapy project."""
