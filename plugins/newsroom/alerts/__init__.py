"""Email alerts readers join: the mailing lists in GNU Mailman 3 that NEWSROOM_ALERTS describes
(`newsroom.model.alerts`), created through Mailman's REST API by `invoke alerts-lists`."""
