"""What the tests and benchmarks need beside the product: paths to the project's data, real server
processes on loopback (``chroma run``, ``llama_cpp.server``), synthetic corpora and a browser harness.

Not shipped with the package: nothing in ``assistant/`` imports it."""
