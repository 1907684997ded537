"""Refusals: requests Pacer understood but will not carry out. Each is raised before anything
is stored (and the request's unit of work is rolled back), so a refused request changes nothing.

A refusal carries data (which KPI, which limit, which role was needed), not text: whoever shows
it to a person (a Slack reply, the HTTP API, the command line) says it in their own words with
their own hints. ``str(refusal)`` is a plain-English fallback for logs and the command line."""


class Refusal(Exception):
    """The base of every refusal."""
