"""Activity from files and other systems, turned into rituals.ingest items: CSV files
(csv_files) and HubSpot's webhook (hubspot, hubspot_api). No Slack, no SQL."""
