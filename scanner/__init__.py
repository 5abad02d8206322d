"""tokenreach: find tokens and learn how far they reach."""
