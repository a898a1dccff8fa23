"""Admin views and hooks of the foundation, one module per topic."""
