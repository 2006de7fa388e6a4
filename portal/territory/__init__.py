"""The territory: the Communauté urbaine, its communes and its look, from content/territory.yaml."""
