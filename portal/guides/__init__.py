"""Print-ready PDF guides made with WeasyPrint from the published content (DESIGN.md D5)."""
