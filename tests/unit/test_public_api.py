import ast
from pathlib import Path

import engine

ENGINE = Path(engine.__file__).parent


def test_all_lists_exactly_what_init_exports():
    tree = ast.parse((ENGINE / "__init__.py").read_text())
    imported = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert set(engine.__all__) == imported
    for name in engine.__all__:
        assert hasattr(engine, name)


def test_library_never_imports_the_cli():
    for path in ENGINE.rglob("*.py"):
        if path.name != "cli.py":
            assert "from .cli" not in path.read_text() and "engine.cli" not in path.read_text(), path


def test_only_the_adapter_imports_durable():
    users = {
        p.name for p in ENGINE.rglob("*.py") if "import durable" in p.read_text() or "from durable" in p.read_text()
    }
    assert users == {"durable_adapter.py"}


def test_engine_never_reads_the_clock_outside_the_cli():
    for path in ENGINE.rglob("*.py"):
        text = path.read_text()
        if path.name == "cli.py":
            continue
        assert "date.today(" not in text and "datetime.now(" not in text and "datetime.utcnow(" not in text, path
