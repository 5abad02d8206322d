"""One module per provider, each exposing ``detector``: its patterns, offline classification and
read-only lookup. Everything in this package is a provider; the mechanism lives one level up."""
