"""tools/colab_env.py: finds interpreters robustly, reuses environments by their spec, installs like Colab."""

import json
import pathlib
import re
import subprocess
import sys

import pytest

import colab_env
import colab_setup

ROOT = pathlib.Path(__file__).resolve().parent.parent

MINOR = f"{sys.version_info[0]}.{sys.version_info[1]}"
VARIABLE = "COLAB_PYTHON" + MINOR.replace(".", "")


def fake_python(path, prints=None, exit_code=0):
    """An executable that answers the version query like an interpreter (or refuses, like a pyenv shim)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = f"echo {prints}\n" if prints else "echo 'pyenv: python: command not found' >&2\n"
    path.write_text(f"#!/bin/sh\n{body}exit {exit_code}\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in list(colab_env.os.environ):
        if name.startswith("COLAB_PYTHON"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    return tmp_path


def test_the_override_variable_wins(clean_env, monkeypatch):
    monkeypatch.setenv(VARIABLE, sys.executable)
    path, version = colab_env.find_python(MINOR)
    assert path == pathlib.Path(sys.executable) and version.startswith(MINOR + ".")


def test_a_wrong_override_fails_and_names_the_variable(clean_env, monkeypatch):
    monkeypatch.setenv(VARIABLE, str(clean_env / "nowhere" / "python"))
    with pytest.raises(colab_env.Failure, match=VARIABLE):
        colab_env.find_python(MINOR)


def test_newest_pyenv_version_first_and_refusing_shims_skipped(clean_env):
    versions = clean_env / "pyenv" / "versions"
    fake_python(versions / "3.99.2" / "bin" / "python3.99", prints="3.99.2")
    fake_python(versions / "3.99.10" / "bin" / "python3.99", exit_code=127)  # broken
    fake_python(versions / "3.99.9t" / "bin" / "python3.99", prints="3.99.9")  # free-threaded: not this
    fake_python(clean_env / "bin" / "python3.99", exit_code=127)  # the shim that refuses
    path, version = colab_env.find_python("3.99")
    assert version == "3.99.2" and path == versions / "3.99.2" / "bin" / "python3.99"


def test_a_version_on_path_is_found(clean_env):
    fake_python(clean_env / "bin" / "python3.99", prints="3.99.4")
    assert colab_env.find_python("3.99")[1] == "3.99.4"


def test_a_wrong_minor_does_not_count(clean_env):
    fake_python(clean_env / "bin" / "python3.99", prints="3.98.1")
    with pytest.raises(colab_env.Failure):
        colab_env.find_python("3.99")


def test_missing_interpreter_message_says_how_to_install(clean_env):
    fake_python(clean_env / "bin" / "python3.99", exit_code=127)
    with pytest.raises(colab_env.Failure) as info:
        colab_env.find_python("3.99")
    message = str(info.value)
    assert "no working Python 3.99" in message and "pyenv install 3.99" in message and "COLAB_PYTHON399" in message
    assert str(clean_env / "bin" / "python3.99") in message


@pytest.mark.parametrize("env", colab_env.ENVS, ids=[env.name for env in colab_env.ENVS])
def test_requirement_files_pin_colab_versions_and_the_tooling(env):
    pins = dict(
        line.split("==") for line in env.requirements.read_text().splitlines() if line and not line.startswith("#")
    )
    assert all(re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", version) for version in pins.values())
    for requirement in env.colab:
        name, version = requirement.split("==")
        assert pins.get(name) == version, f"{env.requirements.name} has {name}=={pins.get(name)}, ENVS says {version}"
    for tool in ("nbval", "pytest", "ipykernel", "requests"):
        assert tool in pins
    assert "mxnet" not in pins and "softmax-course" not in pins  # those come from the setup cell


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    monkeypatch.setattr(colab_env, "VENVS", tmp_path / "venvs")
    monkeypatch.setattr(colab_env, "TOOLS", tmp_path / "tools")
    (tmp_path / "tools").mkdir()
    env = colab_env.ColabEnv("colab-test", "3.99", ("numpy==2.1.3",))
    env.requirements.write_text("numpy==2.1.3\n")
    return env


def test_an_environment_with_the_same_spec_is_reused(sandbox, monkeypatch):
    calls = []

    def create_venv(*args):
        calls.append("create")
        sandbox.path.mkdir(parents=True, exist_ok=True)

    monkeypatch.setattr(colab_env, "create_venv", create_venv)
    monkeypatch.setattr(colab_env, "run", lambda command, *args, **kwargs: calls.append(command))
    say = lambda line: None  # noqa: E731
    assert colab_env.build_base(sandbox, "/py", "3.99.1", say, rebuild=False) is True
    assert calls[0] == "create" and "-r" in calls[1]
    (sandbox.bin).mkdir(parents=True, exist_ok=True)
    (sandbox.bin / "python").touch()
    calls.clear()
    assert colab_env.build_base(sandbox, "/py", "3.99.1", say, rebuild=False) is False
    assert calls == []
    # A new interpreter version, or a changed requirement file, rebuilds.
    assert colab_env.build_base(sandbox, "/py", "3.99.2", say, rebuild=False) is True
    sandbox.requirements.write_text("numpy==2.1.4\n")
    assert colab_env.build_base(sandbox, "/py", "3.99.2", say, rebuild=False) is True
    assert colab_env.build_base(sandbox, "/py", "3.99.2", say, rebuild=True) is True
    stamp = json.loads((sandbox.path / colab_env.STAMP_NAME).read_text())
    assert stamp["python"] == "3.99.2"


def test_installs_are_exactly_the_setup_cells(sandbox, monkeypatch):
    commands = []
    monkeypatch.setattr(colab_env, "run", lambda command, *args, **kwargs: commands.append([str(c) for c in command]))
    monkeypatch.setattr(colab_env, "installed_versions", lambda env, names: {"numpy": "2.1.3"})
    where = str(sandbox.path / "lib" / "softmax_course" / "__init__.py")
    monkeypatch.setattr(
        colab_env.subprocess, "run", lambda *args, **kwargs: subprocess.CompletedProcess(args, 0, where + "\n", "")
    )
    colab_env.install_like_colab(sandbox, lambda line: None)
    python = str(sandbox.bin / "python")
    assert commands[0][:4] == [python, "-m", "pip", "uninstall"]
    installs = [command[5:] for command in commands[1:]]
    assert all(command[:5] == [python, "-m", "pip", "install", "--quiet"] for command in commands[1:])
    checkout = installs[0][0]
    assert installs == colab_setup.pip_installs(needs_mxnet=True, package_spec=checkout)
    assert checkout.endswith("softmax-regression") and "--editable" not in sum(installs, [])


def test_a_changed_colab_package_is_a_failure(sandbox, monkeypatch):
    monkeypatch.setattr(colab_env, "run", lambda *args, **kwargs: 0)
    monkeypatch.setattr(colab_env, "installed_versions", lambda env, names: {"numpy": "1.26.4"})
    with pytest.raises(colab_env.Failure, match="numpy 2.1.3 -> 1.26.4"):
        colab_env.install_like_colab(sandbox, lambda line: None)


def test_the_checkout_copy_holds_the_package_and_no_environments(tmp_path):
    copy = colab_env.copy_checkout(tmp_path / "copy")
    assert (copy / "pyproject.toml").exists() and (copy / "softmax_course" / "__init__.py").exists()
    assert not (copy / ".venv").exists() and not (copy / ".venvs").exists() and not (copy / ".git").exists()
