"""The newsroom's content model: pure facts over plain data, no Pelican, no network, no files written.

`settings.Newsroom` is every NEWSROOM_* setting validated once, composed of each concept's own settings
(audiences, categories, the company, material rules, feeds, email alerts, the archive). `classification` turns a
post's file into its `PostFacts` (id, audiences, visibility, address, links) once per build; everything downstream
(checks, build, verify, publish) reads those facts instead of deriving them again. `sanitize` is the one HTML
allowlist, `publishable_files` the one allowlist of images and downloads, `published_images` the one allowlist
of what a published image keeps (its pixels, not its metadata), `ownership` the one allowlist of output files.
`markdown_code` is the one answer to which parts of a body are code (text to Markdown, never markup).
"""
