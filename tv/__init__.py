"""The sales-floor TV (issue 16): an entry point beside bot/, calling rituals/, never bot/."""
