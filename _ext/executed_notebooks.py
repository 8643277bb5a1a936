"""The executed notebooks that myst-nb writes to _build/jupyter_execute hold their outputs in cache mode too.

With `execute_notebooks: cache`, myst-nb renders a page from the executed notebook it finds in (or adds
to) the jupyter-cache, but writes the notebook it read, without outputs, to jupyter_execute/ (myst-nb
1.4 writes the input object, which only the execution in place of `force` fills). The editions are
made from those files, so once every page is read this writes each one again, merged with its
execution from the cache. Checked by tests/test_editions.py (each cell keeps its own outputs).
"""

import pathlib

import nbformat
from jupyter_cache import get_cache


def write_executed(app, env):
    config = env.mystnb_config
    if config.execution_mode != "cache":
        return
    cache = get_cache(config.execution_cache_path)
    folder = pathlib.Path(app.outdir).parent / "jupyter_execute"
    for docname in sorted(env.found_docs):
        source = pathlib.Path(env.doc2path(docname))
        if source.suffix != ".ipynb":
            continue
        _, executed = cache.merge_match_into_notebook(nbformat.read(source, as_version=4))
        target = folder / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = target.with_suffix(".ipynb.tmp")
        nbformat.write(executed, scratch)
        scratch.replace(target)  # atomic: a reader never sees half a notebook


def setup(app):
    app.connect("env-updated", write_executed)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
