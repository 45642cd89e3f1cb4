"""Small hand-checkable parks shared by several test modules (defined in parkflow.examples)."""

from __future__ import annotations

from parkflow.examples import tiny_frames

__all__ = ["tiny_frames"]
