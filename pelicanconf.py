"""Settings for building the newsroom locally (`invoke build`, `invoke livereload`).

Production settings live in publishconf.py, which starts from these.
"""

AUTHOR = "Larkspur Energy"
SITENAME = "Larkspur Energy Newsroom"
SITESUBTITLE = "News, results and notices from Larkspur Energy"
SITEURL = ""
TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"

PATH = "content"
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "downloads"]
# Files and folders whose names begin with "." (.gitkeep, .DS_Store, an editor's backup) are not part of the
# site: the build and the content checks both leave them out, and a link to one stops the build. (Pelican's own
# default, "**/.*", is matched against bare names and so leaves out nothing.)
IGNORE_FILES = [".*"]
THEME = "theme"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["newsroom"]

# ---------------------------------------------------------------------------------------------
# The newsroom. Validated when the build starts; a mistake here stops it with one line per problem.
# ---------------------------------------------------------------------------------------------

NEWSROOM_COMPANY = {
    "name": "Larkspur Energy",
    "legal_name": "Larkspur Energy, Inc.",
    "url": "https://www.larkspur-energy.example",
    "logo": "images/larkspur-logo.svg",
    "ticker": "LRKS (Nasdaq)",
    "boilerplate": (
        "Larkspur Energy, Inc. (Nasdaq: LRKS) builds and operates wind, solar and grid-storage plants "
        "across North America and supplies renewable power to 2.1 million homes and businesses. "
        "Founded in 2004 and headquartered in Portland, Maine, Larkspur employs 3,800 people."
    ),
    # Every text a reader sees, in each language besides the default (docs/languages.md, "Texts from the
    # settings"): pages and feeds in French show these.
    "translations": {
        "fr": {
            "boilerplate": (
                "Larkspur Energy, Inc. (Nasdaq : LRKS) construit et exploite des centrales éoliennes, solaires et "
                "de stockage d'électricité en Amérique du Nord, qui alimentent 2,1 millions de foyers et "
                "d'entreprises. Fondée en 2004, la société a son siège à Portland (Maine) et compte 3 800 employés."
            ),
            # SITESUBTITLE's French text: the home page's tagline and the pages' description on /fr/.
            "tagline": "Nouvelles, résultats et avis de Larkspur Energy",
        },
    },
    "same_as": [
        "https://www.linkedin.com/company/larkspur-energy-example",
        "https://mastodon.example/@larkspur",
        "https://bsky.app/profile/larkspur-energy.example",
    ],
}

# Who the newsroom writes for. Posts name one or more of these slugs in `Audience:`.
# An internal audience's posts never reach the public site; see `invoke build --internal`.
NEWSROOM_AUDIENCES = [
    {
        "slug": "investors",
        "reader": "an investor or analyst",
        "name": "Investors",
        "description": "Shareholders and analysts: results, guidance, governance and material news.",
        "translations": {
            "fr": {
                "reader": "un investisseur ou un analyste",
                "name": "Investisseurs",
                "description": "Actionnaires et analystes : résultats, perspectives, gouvernance, informations "
                "importantes.",
            },
        },
    },
    {
        "slug": "media",
        "reader": "a journalist",
        "name": "Media",
        "description": "Journalists and editors: announcements, spokespeople, facts and images.",
        "translations": {
            "fr": {
                "reader": "un journaliste",
                "name": "Médias",
                "description": "Journalistes et rédactions : annonces, porte-parole, chiffres clés et photos.",
            },
        },
    },
    {
        "slug": "regulators",
        "reader": "a regulator",
        "name": "Regulators",
        "description": "Agencies and officials: filings, compliance and safety notices.",
        "translations": {
            "fr": {
                "reader": "une autorité de réglementation",
                "name": "Autorités de réglementation",
                "description": "Organismes publics et leurs agents : dépôts, conformité, avis de sécurité.",
            },
        },
    },
    {
        "slug": "communities",
        "reader": "a neighbour of our sites",
        "name": "Communities",
        "description": "Neighbours of our plants: local projects, programmes, road and noise notices.",
        "translations": {
            "fr": {
                "reader": "un voisin de nos installations",
                "name": "Collectivités",
                "description": "Les riverains de nos centrales : projets locaux, programmes, avis de travaux et "
                "de bruit.",
            },
        },
    },
    {
        "slug": "employees",
        "name": "Employees",
        "internal": True,
        "description": "Larkspur staff: internal announcements and policies (intranet only).",
        "translations": {
            "fr": {
                "name": "Personnel",
                "description": "Les équipes de Larkspur : annonces internes et politiques (intranet seulement).",
            },
        },
    },
]

# No default audience on purpose: a post that forgot its audience must fail the checks rather than
# be published to a default (a forgotten `Audience: employees` would otherwise go public).
NEWSROOM_DEFAULT_AUDIENCES = []

NEWSROOM_CATEGORIES = [
    {
        "slug": "press-releases",
        "name": "Press releases",
        "boilerplate": True,
        "description": "Official company announcements, issued to the wires and the newsroom at once.",
        "translations": {
            "fr": {
                "name": "Communiqués de presse",
                "description": "Les annonces officielles de la société, diffusées en même temps aux agences et "
                "dans la salle de presse.",
            },
        },
    },
    {
        "slug": "news",
        "name": "News",
        "description": "Company news and project updates.",
        "translations": {"fr": {"name": "Actualités", "description": "La vie de la société et de ses projets."}},
    },
    {
        "slug": "insights",
        "name": "Insights",
        "description": "Perspectives and analysis from Larkspur's people.",
        "translations": {"fr": {"name": "Analyses", "description": "Les points de vue des équipes de Larkspur."}},
    },
    {
        "slug": "events",
        "name": "Events",
        "description": "Earnings calls, open days, hearings and conferences.",
        "translations": {
            "fr": {
                "name": "Événements",
                "description": "Conférences sur les résultats, portes ouvertes, audiences publiques et colloques.",
            },
        },
    },
    {
        "slug": "policy-notices",
        "name": "Policy notices",
        "description": "Changes to policies that affect the people we work with.",
        "translations": {
            "fr": {
                "name": "Avis de politique",
                "description": "Les changements de nos politiques qui touchent nos partenaires et nos équipes.",
            },
        },
    },
    {
        "slug": "regulatory-filings",
        "name": "Regulatory filings",
        "description": "Notices of filings with securities and energy regulators.",
        "translations": {
            "fr": {
                "name": "Dépôts réglementaires",
                "description": "Les avis de dépôt auprès des autorités des marchés financiers et de l'énergie.",
            },
        },
    },
]

NEWSROOM_CONTACTS = [
    {
        "key": "media-relations",
        "name": "Dana Okafor",
        "role": "Head of Media Relations",
        "translations": {"fr": {"role": "Responsable des relations avec les médias"}},
        "email": "press@larkspur-energy.example",
        "phone": "+1 207 555 0142",
        "audiences": ["media", "communities"],
    },
    {
        "key": "investor-relations",
        "name": "Marcus Lindqvist",
        "role": "Vice President, Investor Relations",
        "translations": {"fr": {"role": "Vice-président, relations avec les investisseurs"}},
        "email": "ir@larkspur-energy.example",
        "phone": "+1 207 555 0178",
        "audiences": ["investors"],
    },
    {
        "key": "regulatory-affairs",
        "name": "Priya Raman",
        "role": "Director, Regulatory Affairs",
        "translations": {"fr": {"role": "Directrice des affaires réglementaires"}},
        "email": "regulatory@larkspur-energy.example",
        "phone": "+1 207 555 0119",
        "audiences": ["regulators"],
    },
    {
        "key": "internal-comms",
        "name": "Sam Whitfield",
        "role": "Internal Communications Lead",
        "translations": {"fr": {"role": "Responsable des communications internes"}},
        "email": "internal-comms@larkspur-energy.example",
        "phone": "+1 207 555 0163",
        "audiences": ["employees"],
    },
]

NEWSROOM_PRESS_KIT = [
    {
        "title": "Larkspur Energy logo (SVG)",
        "path": "images/larkspur-logo.svg",
        "description": "Full-colour logo for screen use.",
        "translations": {
            "fr": {"title": "Logo de Larkspur Energy (SVG)", "description": "Logo en couleurs, pour l'écran."}
        },
    },
    {
        "title": "Company boilerplate and fact sheet",
        "path": "downloads/larkspur-fact-sheet.txt",
        "description": "The approved 'About Larkspur Energy' paragraph and key figures.",
        "translations": {
            "fr": {
                "title": "Présentation de la société et fiche d'information",
                "description": "Le paragraphe « À propos de Larkspur Energy » approuvé et les chiffres clés.",
            },
        },
    },
]

# Length limits of titles and summaries; the theme's templates that a post's, or a page's, `Template:` may name.
NEWSROOM_CHECKS = {
    "summary_max_length": 300,
    "title_max_length": 150,
    "post_templates": ["article"],
    "page_templates": ["page", "contacts", "disclosure", "subscribe"],
}

# Hosts whose https:// iframes a post may embed (e.g. "www.youtube-nocookie.com"); every embed is sandboxed.
# Empty: no embeds at all. Everything else a post's HTML may contain is fixed by one allowlist (README "HTML in
# posts"), and every page's Content-Security-Policy allows frames from these hosts only.
NEWSROOM_EMBED_HOSTS = []

# Hosts whose https:// images a post may show (e.g. the company's own media server). Empty: a post shows only the
# site's images (content/images, linked with {static}). An image from another site tells that site who reads the
# page and when (a tracking pixel, in every feed reader too); the checks refuse it, naming the file and line, and
# every page's Content-Security-Policy loads images from the site and these hosts only.
NEWSROOM_IMAGE_HOSTS = []

# Material (price-sensitive) news: what every `Material: yes` post must have (`invoke check` enforces it).
# Such posts are listed on /material-news/ and go to every disclosure channel in one run (see README).
NEWSROOM_MATERIAL_RULES = {
    "audiences": ["investors"],  # must be for investors (and may be for others too)
    "categories": ["press-releases", "regulatory-filings"],  # never mixed with marketing (EU MAR art. 17)
    "require_contact": True,  # a `Contact:` line: who answers investors' questions
    "require_syndication": True,  # `Syndicate: no` is refused: every disclosure channel must carry it
}

# The archive: every post that has been public is recorded in the register (`invoke register`, run by the
# publish step) and can never be deleted silently; a withdrawn post stays online at least retention_years.
NEWSROOM_ARCHIVE = {"register": "archive/register.jsonl", "retention_years": 5}

# The newsroom's feeds (feeds/<audience>.rss.xml and friends; see README "Feeds").
NEWSROOM_FEEDS = {
    # Newest posts per feed.
    "max_items": 50,
    # WebSub hub named in every feed; `invoke publish` pings it after each deploy. None until you choose one
    # (a public hub such as https://pubsubhubbub.appspot.com/, or your own): a sample must not ping anyone's
    # hub about a site that is not yours. See docs/operating.md, "WebSub hub".
    "hub": "",
    # Goes into every post's and feed's permanent id (tag:<authority>:post/<Id>). NEVER change it:
    # readers would show every post again as new.
    "id_authority": "larkspur-energy.example,2026",
    # The logo feed readers show beside the feed (RSS <image>, Atom <logo>): GIF, JPEG or PNG, at most 144 px wide.
    "image": "images/larkspur-logo-feed.png",
}

# Email alerts (README "Email alerts"; docs/email-alerts.md): one mailing list per public audience and one for
# everything ("all"), and the same in French under `translations`: French readers get the French versions, and
# Mailman writes to them in French. The subscribe page and the disclosure channels page of each language are
# generated from this setting.
# provider "mailman" (GNU Mailman 3): people sign up by email (<list>-join@…, double opt-in) or on Postorius;
# the lists are created announce-only by `invoke alerts-lists`, accepting posts from `sender` only.
# Hosted services instead: {"provider": "listmonk", "url": "https://listmonk.example.com", "lists": {<audience>:
# <list UUID>}}, {"provider": "mailchimp", "lists": {<audience>: <embedded form's action URL>}} or
# {"provider": "buttondown", "lists": {<audience>: <newsletter username>}}.
NEWSROOM_ALERTS = {
    "provider": "mailman",
    "lists": {
        "all": "newsroom-alerts@lists.larkspur-energy.example",
        "investors": "investor-alerts@lists.larkspur-energy.example",
        "media": "press-alerts@lists.larkspur-energy.example",
        "regulators": "regulatory-alerts@lists.larkspur-energy.example",
        "communities": "community-alerts@lists.larkspur-energy.example",
    },
    "translations": {
        "fr": {
            "lists": {
                "all": "alertes-nouvelles@lists.larkspur-energy.example",
                "investors": "alertes-investisseurs@lists.larkspur-energy.example",
                "media": "alertes-presse@lists.larkspur-energy.example",
                "regulators": "alertes-reglementation@lists.larkspur-energy.example",
                "communities": "alertes-collectivites@lists.larkspur-energy.example",
            },
        },
    },
    "sender": "newsroom@larkspur-energy.example",
    "postorius": "https://lists.larkspur-energy.example/postorius/",
}

# Syndication: where each newly published post is announced after a deploy (`invoke syndicate`). Here, not in
# publishconf.py, so that a local build and `invoke check` know the channels a post may name (Syndicate-Text-<name>).
# Each channel names the ENVIRONMENT VARIABLES holding its secrets, never the secrets themselves.
# The sample newsroom posts to an outbox folder only, so the whole flow runs without any account.
SYNDICATION_LEDGER = "syndication/ledger.jsonl"
SYNDICATION_CAP = 5
SYNDICATION_CHANNELS = [
    {
        "name": "outbox",
        "type": "outbox",
        "audiences": ["investors", "media", "regulators", "communities"],
        "folder": "outbox",
        # A disclosure channel: material news goes to it in every case. In the sample it stands in for the email
        # channels that post to the alert lists (alerts: True), so the disclosure channels page shows it as the
        # email alerts line generated from NEWSROOM_ALERTS (above).
        "disclosure": True,
        "alerts": True,
    },
    {
        # The same for the French versions: a channel carries the versions in its own language only, and the
        # French alert lists (NEWSROOM_ALERTS translations) are fed by a French channel.
        "name": "outbox-fr",
        "type": "outbox",
        "language": "fr",
        "audiences": ["investors", "media", "regulators", "communities"],
        "folder": "outbox",
        "disclosure": True,
        "alerts": True,
    },
    {"name": "intranet-outbox", "type": "outbox", "audiences": ["employees"], "internal": True, "folder": "outbox"},
]

# The browser editor, /admin/ of the internal edition (never the public one; see README "Writing a post in the
# browser"). Its configuration is generated from these settings. repo/branch: where its pull requests go;
# base_url (and auth_endpoint): the OAuth service that signs people in with GitHub, if not Netlify's.
NEWSROOM_EDITOR = {"repo": "larkspur-energy/newsroom", "branch": "main"}

# Local builds show drafts and hidden posts, unlisted, at their own URLs so authors can read them.
NEWSROOM_PREVIEW_DRAFTS = True

# Editions other than the public site: each is a set of settings applied on top of these.
# `invoke build --internal` builds the intranet edition (public posts plus employee-only ones). An edition never
# shows drafts or hidden posts unless its own entry sets NEWSROOM_PREVIEW_DRAFTS: they are previewed in output/.
NEWSROOM_EDITIONS = {
    "internal": {"OUTPUT_PATH": "output-internal"},
    # `invoke preview --embargo`: the comms team's view of what is coming (embargoed posts included and
    # marked). Never deployed: `invoke publish` refuses any build that is not the edition of its target.
    "embargo-preview": {"OUTPUT_PATH": "output-embargo-preview"},
}

# ---------------------------------------------------------------------------------------------
# Pelican, shaped for a newsroom.
# ---------------------------------------------------------------------------------------------

# Summaries are plain text (the checks enforce it) so they read the same in pages, feeds and posts.
FORMATTED_FIELDS = []
# Dates come from `Date:` with an explicit zone, never from a file name; categories from `Category:`, never
# from a folder (a post filed under posts/2026/ must not become a "2026" post when its Category is missing).
FILENAME_METADATA = ""
USE_FOLDER_AS_CATEGORY = False
# Future-dated posts are embargoed by the newsroom plugin itself (with a clock tests can set).
WITH_FUTURE_DATES = True

ARTICLE_URL = "{category}/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{date:%Y}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
CATEGORIES_SAVE_AS = "categories/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_SAVE_AS = "archive/index.html"
YEAR_ARCHIVE_URL = "archive/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "archive/{date:%Y}/index.html"
# Posts are signed by the company; per-person author pages would add nothing for our readers.
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "archives", "tags", "categories", "search", "404"]
# The archive search page (Pagefind); `invoke build` indexes the site into pagefind/ after Pelican.
SEARCH_SAVE_AS = "search/index.html"

DEFAULT_PAGINATION = 12
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "audience": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Pelican's own feeds are off: the newsroom writes its own per-audience feeds (NEWSROOM_FEEDS), one
# implementation in the output.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

# The theme escapes everything it prints; post bodies are marked safe where they are rendered.
# auto_reload off: every build makes new template environments, so Jinja's check of each template file's time on
# every {% extends %} and {% include %} (21,000 checks at 5,000 posts) could never find a change.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "extensions": [],
    "auto_reload": False,
}

RELATIVE_URLS = True

# Content cache: what the Markdown reader made of each post (HTML, metadata) is kept in cache/ and reused while
# the file's sha256 is unchanged, so a CI build from a fresh checkout (new mtimes) with cache/ restored reads
# only the posts that changed. The plugin keeps it in a folder named after a fingerprint of the code and
# settings (plugins/newsroom/kit/content_cache.py), and only the reader layer is cached: which posts an edition
# shows (embargoes, drafts, internal posts) is decided afresh on every build.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "sha256"
CACHE_PATH = "cache"
GZIP_CACHE = False  # CI compresses the folder it stores; gzip here would only slow every build

# The languages the newsroom publishes in (docs/languages.md). A translation shares its original's `Id:` and names
# its `Lang:`; its pages live under the language's prefix (/fr/...), with their own feeds and audience pages.
# `locale` is Open Graph's og:locale of each language's pages: English as the company writes it at its US
# headquarters, French as its Canadian operations (Québec, New Brunswick) read it.
NEWSROOM_LANGUAGES = [
    {"code": "en", "name": "English", "default": True, "locale": "en_US"},
    # French since November 2026: the archive before it stays in English.
    {"code": "fr", "name": "Français", "prefix": "fr", "since": "2026-11-01 00:00 America/New_York", "locale": "fr_CA"},
]
# Material news always goes out in every language at once. Other posts may be published in English only (most
# of them are); a channel in French carries only French versions (no English fallback).
NEWSROOM_TRANSLATION_RULES = {"one_language_first": True, "channel_fallback": False}
