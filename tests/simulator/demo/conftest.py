"""`pacer demo` run once for all the demo's tests (it takes seconds): two weeks of the sample
team, as of TODAY."""

import io

import pytest

from simulator.demo.run import run_demo
from storage.db import make_engine, session
from tests.simulator.demo.support import TODAY


@pytest.fixture(scope="package")
def runs(tmp_path_factory):
    """Two runs into the same folder: one by absolute path, one from inside its parent by a
    relative path (the second must start from a fresh database)."""
    parent = tmp_path_factory.mktemp("demo")
    results = []
    for out in (str(parent / "pacer-demo"), "pacer-demo"):
        stream = io.StringIO()
        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(parent)
            code = run_demo(weeks=2, out=out, today=TODAY, stream=stream)
        results.append((code, stream.getvalue()))
    return parent / "pacer-demo", results


@pytest.fixture(scope="package")
def output(runs):
    return runs[1][1][1]


@pytest.fixture(scope="package")
def database(runs):
    engine = make_engine(f"sqlite:///{runs[0] / 'pacer-demo.db'}")
    with session(engine) as s:
        yield s
    engine.dispose()
