"""Adapters for other data libraries: :mod:`textpipe.integrations.hf` (Hugging Face
``datasets``) and :mod:`textpipe.integrations.datatrove`. Each imports its library only when
used, so textpipe itself depends on neither."""
