"""The browser editor's page, /admin/, written into the internal edition only (never the public one).

It holds Decap CMS from the npm package (editor/node_modules, installed by editor/install.sh: no CDN), the
newsroom's own format and preview (editor/admin/), and config.yml generated from the settings (editor_config).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from pelican.generators import Generator

from newsroom.editor.config import BUILD_KEY as EDITOR_KEY
from newsroom.editor.config import config_text, editor_config
from newsroom.model.ownership import OUTPUT_OWNERS
from newsroom.model.site_folders import EDITOR_FOLDER
from newsroom.syndication.config import BUILD_KEY as SYNDICATION_KEY

logger = logging.getLogger(__name__)

EDITOR_DIR = Path(__file__).resolve().parents[3] / "editor"
PAGE_DIR = EDITOR_DIR / "admin"  # index.html and the newsroom's scripts, copied as they are
CMS_DIR = EDITOR_DIR / "node_modules" / "decap-cms" / "dist"
ADMIN = EDITOR_FOLDER  # the editor's folder in the output (model/site_folders.py keeps languages out of it)
OWNER = "editor: NEWSROOM_EDITOR, internal edition only"  # in .newsroom/owners.json, for verify
EDITIONS_WITH_EDITOR = ("internal",)
# Settings key `invoke edit` sets to a LocalProxy: written into config.yml as local_backend.
PROXY_SETTING = "NEWSROOM_EDITOR_PROXY"


def cms_files(cms_dir: Path = CMS_DIR) -> list[Path]:
    """Decap CMS's browser bundle: decap-cms.js and the chunks it loads on demand (not its source maps)."""
    if not (cms_dir / "decap-cms.js").is_file():
        return []
    return sorted(
        path
        for path in cms_dir.iterdir()
        if path.is_file() and (path.name.endswith("decap-cms.js") or path.suffix == ".wasm")
    )


def write_admin(output: Path, settings, newsroom, editor, channels, cms: list[Path]) -> list[str]:
    """Write output/admin/ (page, scripts, CMS, generated config.yml); returns the files, relative to `output`."""
    folder = output / ADMIN
    folder.mkdir(parents=True, exist_ok=True)
    for source in [*sorted(PAGE_DIR.iterdir()), *cms]:
        shutil.copyfile(source, folder / source.name)
    config = editor_config(newsroom, settings, editor, settings.get(PROXY_SETTING), channels=channels)
    (folder / "config.yml").write_text(config_text(config), encoding="utf-8")
    return sorted(f"{ADMIN}/{path.name}" for path in folder.iterdir())


class EditorGenerator(Generator):
    """Writes /admin/ when this is the internal edition and NEWSROOM_EDITOR is set."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        newsroom = self.settings["NEWSROOM"]
        if newsroom.edition not in EDITIONS_WITH_EDITOR:
            return
        editor = self.settings[EDITOR_KEY]  # validated when the build started (site/validated.py)
        if editor is None:
            return
        cms = cms_files()
        if not cms:
            logger.warning(
                "Newsroom editor: /admin/ left out of the %s edition: Decap CMS is not installed "
                "(run `bash editor/install.sh`, or `invoke test`, which runs it)",
                newsroom.edition,
            )
            return
        channels = [channel.name for channel in self.settings[SYNDICATION_KEY].channels]
        written = write_admin(Path(self.output_path), self.settings, newsroom, editor, channels, cms)
        # Every file of an edition needs an owner (ownership.py): the editor's are these, and only here.
        self.settings[OUTPUT_OWNERS].update(dict.fromkeys(written, OWNER))
