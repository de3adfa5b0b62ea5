"""The compliance officer's audit view. Each view parses, calls one selector or service, renders."""
