"""The arguments of `pacer import` and `pacer export` (cli/data.py runs them). Kept apart so
`pacer --help` doesn't load the database layer."""

from rituals.connectors.csv_files import COLUMNS

KINDS = ("activities", "logs", "scorecards", "all")


def add_parsers(sub, date_type) -> None:
    imp = sub.add_parser(
        "import", help="activity from a CSV file (the API's upsert); or a whole install (all)"
    )
    imp_sub = imp.add_subparsers(dest="what", required=True)
    act = imp_sub.add_parser(
        "activities",
        help="a CSV with the header " + ",".join(COLUMNS) + " (and optionally deleted)",
        description="The file's first line is the header "
        + ",".join(COLUMNS)
        + " (any order; deleted optional). Each line counts like a /log, through the same upsert as POST "
        "/api/v1/activities: the same line again changes nothing, a changed count replaces the "
        "old one, deleted=true voids it. A file with any problem stores nothing and lists every "
        "problem by line and column (--partial stores the good lines anyway); lines whose "
        "owner Pacer can't match wait in `pacer api review`.",
    )
    act.add_argument("file", help="the CSV file; - reads stdin")
    act.add_argument(
        "--dry-run", action="store_true", help="report what it would do, store nothing"
    )
    act.add_argument(
        "--partial", action="store_true", help="store the good lines of a file with problems"
    )
    act.add_argument("--workspace", help="Slack team ID of the workspace (when there are several)")

    whole = imp_sub.add_parser(
        "all",
        help="a whole install from `pacer export all`, into an empty database",
        description="Loads a file written by `pacer export all` into the database of "
        "DATABASE_URL, which must be empty (Pacer creates its tables first). It keeps the ids, "
        "writes everything in one transaction (any problem: nothing is written, and the line "
        "is named), and prints per table the rows in the file, written, and counted in the "
        "database. Encrypted values are moved as stored: use the old install's PACER_SECRET_KEY.",
    )
    whole.add_argument("file", help="the .jsonl file; - reads stdin")

    exp = sub.add_parser(
        "export", help="activities, logs or scorecards as CSV; or the whole install (all)"
    )
    exp.add_argument(
        "what",
        choices=KINDS,
        help="activities: what counts, in the import's columns; "
        "logs: every log, undone ones too, with who entered it; scorecards: each "
        "rep's KPIs per period; all: every table of the install as JSON Lines, for "
        "`pacer import all` (moving to another database)",
    )
    exp.add_argument("--from", dest="start", type=date_type, help="first day, YYYY-MM-DD")
    exp.add_argument("--to", dest="end", type=date_type, help="last day, YYYY-MM-DD")
    exp.add_argument("--team", help="one team (default: every team of the workspace)")
    exp.add_argument("--workspace", help="Slack team ID of the workspace (when there are several)")
    exp.add_argument(
        "--period",
        choices=("day", "week", "month"),
        default="month",
        help="scorecards: one row per rep, KPI and period (default month)",
    )
