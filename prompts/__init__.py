"""Prompt templates (text files), shipped with the package as ``assistant.prompts``."""
