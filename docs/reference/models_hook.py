"""mkdocs hook: add ``reference/models.md``, generated from ``MESSAGE_TYPES`` at build time.

The page is never written to disk or kept by hand: adding a model class adds its section.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from werobot_cli.modeltable import models_markdown

#: Where the generated page lives in the site (listed in mkdocs.yml's nav).
MODELS_PAGE = "reference/models.md"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated model reference to the site's files."""
    files.append(File.generated(config, MODELS_PAGE, content=models_markdown()))
    return files
