"""The App Home tab: the person's numbers, one-tap logging, edits and voids."""
