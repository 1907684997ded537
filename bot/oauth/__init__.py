"""OAuth installs in many workspaces ("Add to Slack"): GET /slack/install and
GET /slack/oauth_redirect through Bolt's OAuthFlow, installations kept encrypted in Pacer's
database (storage/installations.py), each request authorized from its workspace's installation,
and every call outside a request given its workspace's token (tokens.InstallationTokenSource)."""
