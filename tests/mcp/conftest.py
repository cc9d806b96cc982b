"""One `custody mcp` per test module (the MCP tests share its session; see agent_client.py)."""
from __future__ import annotations

import pytest

from agent_client import Agent


@pytest.fixture(scope="module")
def agent():
    a = Agent()
    yield a
    a.close()
