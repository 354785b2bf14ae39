"""Fixtures shared by the test modules."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.service import Service
from index.config import Settings


@pytest.fixture(scope="module")
def service() -> Service:
    """The bundled release answered offline: no model, whatever model the environment names.

    The Slack and web UI tests define their own `service`: the one the environment configures.
    """
    return Service.open(replace(Settings.from_env(), model=None, base_url=None, api_key=None))
