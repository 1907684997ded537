"""cli/data_args.py: `pacer import` and `pacer export` read their arguments, and refuse a kind
or a date that isn't one before touching any database."""

from tests.cli.support import pacer


def test_help_names_the_columns_and_mistakes_are_refused(tmp_path):
    helped = pacer("import", "activities", "--help", cwd=tmp_path)
    assert (
        helped.returncode == 0 and "source,external_id,occurred_at,owner,kpi,count" in helped.stdout
    )
    wrong = pacer("export", "deals", cwd=tmp_path)
    assert wrong.returncode == 2 and "invalid choice: 'deals'" in wrong.stderr
    bad_date = pacer("export", "logs", "--from", "24/11/2026", cwd=tmp_path)
    assert bad_date.returncode == 2 and "write it as YYYY-MM-DD" in bad_date.stderr
    assert not (tmp_path / "pacer.db").exists()
