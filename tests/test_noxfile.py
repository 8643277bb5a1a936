"""noxfile.py, the Colab-like environments: Colab's pins, the setup cell's installs, Colab's packages left alone."""

import json
import re

import pytest

import colab_setup
import noxfile
import run_tests


@pytest.mark.parametrize("python", list(noxfile.COLAB))
def test_requirement_files_pin_colab_versions_and_the_tooling(python):
    text = noxfile.requirements(python).read_text()
    pins = dict(line.split("==") for line in text.splitlines() if line and not line.startswith("#"))
    assert all(re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", version) for version in pins.values())
    for requirement in noxfile.COLAB[python]:
        name, version = requirement.split("==")
        assert pins.get(name) == version, f"{python}: the file has {name}=={pins.get(name)}, COLAB says {version}"
    assert {tool.split("==")[0] for tool in noxfile.TOOLING} <= set(pins)
    assert "mxnet" not in pins and "softmax-course" not in pins  # those come from the setup cell


def test_each_environment_is_a_step_of_the_test_command():
    for python in noxfile.COLAB:
        assert run_tests.STEPS[f"colab-{python}"]["command"][1:] == ["-s", f"colab-{python}"]
    assert run_tests.STEPS["environments"]["command"][1:] == ["-s", "colab", "--install-only"]


class Session:
    """What install_like_colab uses of a nox session; ``versions`` is what the environment reports after."""

    python = "3.13"

    def __init__(self, versions):
        self.versions, self.commands, self.logged = versions, [], []

    def run(self, *args, silent=False):
        self.commands.append([str(arg) for arg in args])
        return json.dumps(self.versions) + "\n" if args[:2] == ("python", "-c") else None

    def error(self, message):  # nox's session.error raises, failing the session
        raise RuntimeError(message)

    def log(self, message):
        self.logged.append(message)


def test_installs_are_exactly_the_setup_cells(tmp_path):
    pinned = dict(requirement.split("==") for requirement in noxfile.COLAB["3.13"])
    session = Session(pinned)
    noxfile.install_like_colab(session, tmp_path / "softmax-regression")
    installs = [command[5:] for command in session.commands[:-1]]
    assert all(command[:5] == ["python", "-m", "pip", "install", "--quiet"] for command in session.commands[:-1])
    assert installs == colab_setup.pip_installs(needs_mxnet=True, package_spec=str(tmp_path / "softmax-regression"))
    assert session.logged == [f"Colab's own packages unchanged: {pinned}"]


def test_a_changed_colab_package_fails_the_session(tmp_path):
    session = Session({**dict(r.split("==") for r in noxfile.COLAB["3.13"]), "numpy": "1.26.4"})
    with pytest.raises(RuntimeError, match="numpy 2.1.3 -> 1.26.4"):
        noxfile.install_like_colab(session, tmp_path)


def test_the_checkout_copy_holds_the_package_and_no_environments(tmp_path):
    copy = noxfile.shutil.copytree(noxfile.ROOT, tmp_path / "copy", ignore=noxfile.NOT_IN_A_CLONE, symlinks=True)
    assert (copy / "pyproject.toml").exists() and (copy / "softmax_course" / "__init__.py").exists()
    assert not {".venv", ".venvs", ".git", "_build", "node_modules"} & {path.name for path in copy.iterdir()}
