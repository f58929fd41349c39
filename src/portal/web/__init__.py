"""HTTP layer: thin Litestar controllers that parse input, call the domain and pick a template."""
