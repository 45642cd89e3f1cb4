"""Run the web app: bind, warn off localhost, serve until Ctrl-C (docs/webapp.md)."""

from __future__ import annotations

import sys
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def host_warning(host: str) -> str | None:
    """The warning printed when the app is bound to an address other than localhost."""
    if host in LOCAL_HOSTS:
        return None
    return (
        f"warning: serving on {host}: anyone who can reach this address can read and "
        "change the workspace (there is no login). Use the default 127.0.0.1 unless you "
        "mean it."
    )


def serve(
    scenario: str | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    workspace: str | Path | None = None,
    max_upload_mb: float = 20.0,
) -> None:
    """Run the web app until Ctrl-C.

    Parameters
    ----------
    scenario : str, optional
        Opened at start: a bundled scenario's name, or a folder, workbook or overlay path.
    host : str
        Address to bind; anything but localhost prints a warning (the app has no login).
    port : int
        TCP port (0: any free port).
    workspace : path, optional
        The only folder the app writes into; default ``./parkflow-workspace``.
    max_upload_mb : float
        Largest workbook the upload accepts.
    """
    import uvicorn

    from parkflow.webapp.app import create_app

    root = Path(workspace) if workspace else Path.cwd() / "parkflow-workspace"
    warning = host_warning(host)
    if warning:
        print(warning, file=sys.stderr)
    app = create_app(root, initial=scenario, max_upload_mb=max_upload_mb)
    shown = f"[{host}]" if ":" in host else host
    print(
        f"parkflow serve: http://{shown}:{port}/  (workspace: {app.state.workspace.root}; "
        "Ctrl-C stops)",
        flush=True,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")
    print("parkflow serve: stopped", flush=True)


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "host_warning", "serve"]
