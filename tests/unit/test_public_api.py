import ast
from pathlib import Path

import engine

ENGINE = Path(engine.__file__).parent
ENTRY_POINTS = {"cli", "service"}  # the command line and the HTTP service call the library, never the reverse


def _library_files():
    return (p for p in ENGINE.rglob("*.py") if not ENTRY_POINTS & set(p.relative_to(ENGINE).parts[:1]))


def test_all_lists_exactly_what_init_exports():
    tree = ast.parse((ENGINE / "__init__.py").read_text())
    imported = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert set(engine.__all__) == imported
    for name in engine.__all__:
        assert hasattr(engine, name)


def test_library_never_imports_the_cli():
    for path in _library_files():
        text = path.read_text()
        assert "from .cli" not in text and "engine.cli" not in text and "engine.service" not in text, path


def test_only_the_adapter_imports_durable():
    users = {
        p.name for p in ENGINE.rglob("*.py") if "import durable" in p.read_text() or "from durable" in p.read_text()
    }
    assert users == {"durable_adapter.py"}


def test_engine_never_reads_the_clock_outside_the_cli():
    for path in _library_files():
        text = path.read_text()
        assert "date.today(" not in text and "datetime.now(" not in text and "datetime.utcnow(" not in text, path
