"""The outbox: writes each message as a file, so the whole flow runs without accounts and anyone can read
exactly what would have been posted. The sample configuration's default channel."""

from __future__ import annotations

from pathlib import Path

from newsroom.kit.files import write_text_atomically
from newsroom.syndication.channel import Attempt, Channel, Message, Receipt, Rejected
from newsroom.syndication.channel_types import OUTBOX
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.text import fit, grapheme_count, within


class OutboxChannel(Channel):
    channel_type = OUTBOX
    safe_to_retry = True  # writing the same file twice leaves one file
    length_unit = "graphemes"

    def render(self, post: PublishedPost) -> Message:
        limit = self.settings["max_length"]
        fits = within((grapheme_count, limit))
        custom = post.custom_text(self.name)
        fitted = fit(custom or post.title, "" if custom else post.summary, post.url, fits)
        return Message(
            self.name, post.id, fitted.text, grapheme_count(fitted.text), limit, {"title": post.title, "url": post.url}
        )

    def publish(self, message: Message, attempt: Attempt) -> Receipt:
        folder = Path(self.settings["folder"])
        name = f"{self.name}--{message.post_id.replace('/', '--')}--{attempt.key[-8:]}.txt"
        path = folder / name
        body = (
            f"Channel: {self.name}\nPost: {message.post_id}\nURL: {message.extras['url']}\n"
            f"Length: {message.length}/{message.limit}\n\n{message.text}\n"
        )
        try:
            write_text_atomically(path, body)
        except OSError as error:
            raise Rejected(f"cannot write to the outbox folder {folder}: {error.strerror}") from None
        return Receipt(remote_id=name, url=path.resolve().as_uri())
