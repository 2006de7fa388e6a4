"""Cotation (the score of a demand): grids and criteria, the scoring engine, the grid page and simulator."""
