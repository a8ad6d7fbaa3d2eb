"""Executes the computer-use tool calls models emit on a :class:`~agentcluster.Session`."""

from .anthropic import run_anthropic_tool_call
from .openai import run_openai_computer_call

__all__ = ["run_anthropic_tool_call", "run_openai_computer_call"]
