"""Uninstall and reinstall: Slack's ``app_uninstalled`` and ``tokens_revoked`` events pause a
workspace's rituals and keep all its data; the next request from it resumes them."""
