"""spaCy components, one per record kind. Importing this package registers their factories."""
