"""Home page, legal pages, site map."""
