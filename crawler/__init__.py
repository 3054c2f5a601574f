"""newsdedup crawler: Scrapy project, page extraction and cleaning, and the CLI."""
