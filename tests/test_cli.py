"""User mistakes give one clear line and the documented exit code, never a traceback."""

from test_contract import run_kg


def assert_clean_error(proc, code, needle):
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_input_is_a_usage_error(tmp_path):
    assert_clean_error(run_kg("build", str(tmp_path / "nope.jsonl"), "--store", str(tmp_path / "s")), 2,
                       "no such file")


def test_unknown_format_is_a_usage_error(tmp_path):
    bad = tmp_path / "papers.xyz"
    bad.write_text("hello")
    assert_clean_error(run_kg("extract", str(bad)), 2, "unknown format")


def test_unknown_query_is_a_usage_error(sample_store):
    assert_clean_error(run_kg("query", "nope", "--store", str(sample_store)), 2, "no canned cypher query")


def test_missing_parameter_is_a_usage_error(sample_store):
    assert_clean_error(run_kg("query", "methods_beating", "--store", str(sample_store)), 2, "needs --param baseline")


def test_query_on_a_missing_store(tmp_path):
    assert_clean_error(run_kg("stats", "--store", str(tmp_path / "none")), 1, "no graph store")


def test_bad_records_warn_with_file_and_line_and_good_ones_survive(tmp_path):
    src = tmp_path / "mixed.jsonl"
    src.write_text('{"id": "a", "title": "Good one", "abstract": "We use BERT."}\n'
                   '{"id": "b", "title": \n'
                   '{"id": "c", "title": "Good two", "abstract": "We use GPT-2."}\n')
    proc = run_kg("extract", str(src), "-o", "-")
    assert proc.returncode == 0
    assert f"{src}:2" in proc.stderr
    assert [line.count('"id"') for line in proc.stdout.splitlines()] == [1, 1]


def test_stats_lists_labels_and_relationships(sample_store):
    proc = run_kg("stats", "--store", str(sample_store))
    assert proc.returncode == 0
    for word in ("Paper", "Method", "Dataset", "Comparison", "WINNER", "HAS_CODE"):
        assert word in proc.stdout


def test_help_explains_commands():
    proc = run_kg("--help")
    assert proc.returncode == 0
    for cmd in ("build", "extract", "query", "stats", "cypher"):
        assert cmd in proc.stdout
