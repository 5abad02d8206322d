"""The front-ends: the command line, and the CI integrations built on it (GitHub, pre-commit)."""
