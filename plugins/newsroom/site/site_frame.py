"""The site's header and footer (partials/site_frame.html), rendered once per page language, edition, SITEURL and
highlighted section, and printed on every page: the same markup on some 18,000 pages of a two-language site.

They are shared partials (shared_partials.py): the template sees the settings, the page's language and the
edition's navigation (its audiences, the categories it has posts in, the site's pages in each language), never a
page's own variables. What one page gives them, it passes as the macros' arguments, and those are in the memo's
key: the section the header marks as the current one (`active_section`, which a page template sets), and the
footer's company paragraph (`footer_boilerplate`, a block a page template may replace, as the media contacts page
does).
"""

from __future__ import annotations

from jinja2 import Undefined, pass_context
from markupsafe import Markup

from newsroom.site.page_links import PAGE_LINKS
from newsroom.site.shared_partials import shared

FRAME_TEMPLATE = "partials/site_frame.html"
EDITION_VARIABLES = ("audience_articles", "newsroom_nav_categories", PAGE_LINKS)


@pass_context
def site_header(context, active_section=None) -> Markup:
    """The header, with `active_section` (a category's, an audience's or a page's slug, "archive"…) marked as
    the current one."""
    section = None if isinstance(active_section, Undefined) else active_section
    return shared(context, FRAME_TEMPLATE, EDITION_VARIABLES, ("header", section), lambda frame: frame.header(section))


@pass_context
def site_footer(context, boilerplate: Markup) -> Markup:
    """The footer, with the page's company paragraph."""
    return shared(
        context, FRAME_TEMPLATE, EDITION_VARIABLES, ("footer", boilerplate), lambda frame: frame.footer(boilerplate)
    )


GLOBALS = {"site_header": site_header, "site_footer": site_footer}
