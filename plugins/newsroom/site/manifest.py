"""A Pelican generator that writes the build manifest: the posts this edition published, for syndication."""

from __future__ import annotations

from pathlib import Path

from pelican.generators import Generator

from newsroom.syndication.published import MANIFEST_PATH, PostImage, PublishedPost, write_manifest


class ManifestGenerator(Generator):
    """Writes `.newsroom/manifest.json` in the output folder; `invoke syndicate` reads it after a deploy."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        newsroom = self.settings["NEWSROOM"]
        siteurl = self.settings["SITEURL"] or f"http://localhost:{self.settings['PORT']}"
        articles = self.context["articles"]
        if "newsroom_versions" in self.context:  # several languages: every version is announced on its own
            articles = [article for versions in self.context["newsroom_versions"].values() for article in versions]
        posts = [published_post(article, siteurl, self.context) for article in articles]
        path = Path(self.output_path) / MANIFEST_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as file:
            # The clock this build decided on (None: the real one): what deploys or announces it checks it.
            write_manifest(file, newsroom.edition, siteurl, posts, newsroom.now)


def published_post(article, siteurl: str, context) -> PublishedPost:
    """The syndication view of one Pelican article (already described by the newsroom plugin)."""
    metadata = article.metadata
    image = None
    if article.lead_image:
        static = context.get("static_content", {}).get(article.lead_image.path)
        file = static.save_as if static is not None else article.lead_image.path
        image = PostImage(url=f"{siteurl}/{file}", file=file, alt=article.lead_image.alt)
    texts = {
        key.removeprefix("syndicate-text").lstrip("-"): value
        for key, value in metadata.items()
        if key.startswith("syndicate-text")
    }
    return PublishedPost(
        id=article.post_id,
        title=article.title,
        url=f"{siteurl}/{article.url}",
        summary=article.summary,
        published=article.date,
        audiences=tuple(audience.slug for audience in article.audiences),
        category=article.category.name,
        tags=tuple(tag.name for tag in getattr(article, "tags", ())),
        image=image,
        # A withdrawn post is never announced: its page only says it was withdrawn.
        syndicate=str(metadata.get("syndicate", "yes")).strip().lower() != "no" and not article.withdrawal,
        texts=texts,
        material=article.material,
        # Set only in a newsroom of several languages (translations.place_by_language gives each post one).
        language=article.language.code if hasattr(article, "language") else "",
        shared_id=article.shared_id if hasattr(article, "language") else "",
    )
