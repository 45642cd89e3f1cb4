"""The CLI dispatches every command and maps errors to exit codes without tracebacks."""

from __future__ import annotations

import pytest

from parkflow.cli import COMMANDS, main


def test_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_help(name, capsys):
    assert main([name, "--help"]) == 0
    assert "usage: parkflow" in capsys.readouterr().out


def test_no_command_is_usage_error(capsys):
    assert main([]) == 2


def test_unknown_option_is_usage_error(capsys):
    assert main(["solve", "--no-such-option"]) == 2
    assert "usage" in capsys.readouterr().err


def test_internal_error_has_no_traceback(monkeypatch, capsys):
    import parkflow.commands.scenarios as cmd

    def boom(args):
        msg = "kaput"
        raise RuntimeError(msg)

    monkeypatch.setattr(cmd, "run", boom)
    monkeypatch.delenv("PARKFLOW_DEBUG", raising=False)
    assert main(["scenarios"]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: kaput" in err
    assert "Traceback" not in err
