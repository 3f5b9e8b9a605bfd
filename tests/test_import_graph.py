"""No import cycle among our modules, function-level imports included (issue 15)."""

from pathlib import Path

from tools.import_graph import cycles, import_graph

ROOT = Path(__file__).resolve().parents[1]


def test_the_project_has_no_import_cycle():
    graph = import_graph(ROOT)
    assert len(graph) > 100, "the graph reads the project's modules"
    assert cycles(graph) == []


def test_a_cycle_hidden_in_a_function_is_found(tmp_path):
    package = tmp_path / "features"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from features import b\n")
    (package / "b.py").write_text("def late():\n    from features.a import x\n")
    (package / "c.py").write_text("import features.a\n")
    assert cycles(import_graph(tmp_path)) == [["features.a", "features.b"]]
