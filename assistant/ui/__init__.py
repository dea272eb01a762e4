"""UI: the Gradio browser app, a thin adapter over :class:`assistant.service.NewsAssistant`.

``handlers`` holds every event handler as a plain method (testable without a browser), ``render`` turns
answers, briefs and sources into HTML/Markdown, ``app`` lays out the page and serves it. The CLI calls the
same service functions.
"""
