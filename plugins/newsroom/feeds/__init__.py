"""Writing the feeds the catalogue (`newsroom.model.feed_catalogue`) plans: each post made a feed item once
(`items`, `html`), written as RSS, Atom and JSON Feed (`formats`), bundled in OPML (`opml`) by a Pelican generator
(`generator`); after a deploy, WebSub hubs hear which feeds changed (`websub`)."""
