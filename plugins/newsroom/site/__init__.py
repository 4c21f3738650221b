"""The thin edge between Pelican and the newsroom: the plugin's signal receivers (`plugin`), the Markdown reader,
the generators for audience, disclosure and feed pages, the theme's filters, and running a build (`build`)."""
