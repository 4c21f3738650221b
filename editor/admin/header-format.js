/* The newsroom's post format for the editor: a `Key: value` header, an empty line, then Markdown.
 *
 * fromFile(text) gives the editor's fields; toFile(data) writes them back exactly as docs/writing.md tells a person
 * to: fields in docs/writing.md's order, `Key: value`, one `Correction:` line per correction. A field the person did
 * not change is written back byte for byte as it was (its spacing, its continuation lines, its place in the
 * header), and fields the editor does not know (Pelican's own, a channel's Syndicate-Text-…) are kept as they
 * are, so a review diff shows only what the person changed.
 *
 * Plain functions over plain data: loaded by the editor page (window.NewsroomHeader, after transliteration.js)
 * and by the tests (Node's require), which round-trip every post in content/posts/.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory(require("./transliteration.js"));
  else root.NewsroomHeader = factory(root.NewsroomTransliteration);
})(typeof self !== "undefined" ? self : this, function (transliteration) {
  "use strict";

  // The same grammar as Python-Markdown's meta extension (plugins/newsroom/model/frontmatter.py reads it so too).
  const BEGIN = /^-{3}(\s.*)?$/;
  const END = /^(-{3}|\.{3})(\s.*)?$/;
  const FIELD = /^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$/;
  const CONTINUATION = /^[ ]{4,}(.*)$/;
  const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T\s]+(\d{1,2}:\d{2}(?::\d{2})?)\s*(.*)$/;
  const CHANNEL_TEXT = "syndicate-text-";
  // Where the editor keeps the header as it was read; never written to the file.
  const SOURCE = "_header";

  // --- How each header field maps onto the editor's data ---------------------------------------------------

  function oneLine(value) {
    // A header value is one line: a line break typed into a field must never start a new header field.
    return String(value == null ? "" : value).replace(/\s*[\r\n]+\s*/g, " ").trim();
  }

  const text = (path) => ({
    read: (data, values) => setPath(data, path, values.join(" ").trim()),
    write: (data) => {
      const value = oneLine(getPath(data, path));
      return value ? [value] : [];
    },
  });

  const list = (name) => ({
    // "investors, media", or one per line: the reader splits both the same way.
    read: (data, values) => {
      data[name] = values.flatMap((line) => line.split(",")).map((item) => item.trim()).filter(Boolean);
    },
    write: (data) => {
      const items = (data[name] || []).map(oneLine).filter(Boolean);
      return items.length ? [items.join(", ")] : [];
    },
  });

  function splitTimestamp(textValue) {
    const match = TIMESTAMP.exec(textValue.trim());
    if (!match) return { time: textValue.trim(), zone: "" };
    const [, day, clock, zone] = match;
    return { time: `${day} ${clock.padStart(5, "0")}`, zone: zone.trim() };
  }

  function joinTimestamp(value) {
    if (!value || !oneLine(value.time)) return "";
    return [oneLine(value.time), oneLine(value.zone)].filter(Boolean).join(" ");
  }

  const timestamp = (name) => ({
    read: (data, values) => {
      data[name] = splitTimestamp(values.join(" "));
    },
    write: (data) => {
      const value = joinTimestamp(data[name]);
      return value ? [value] : [];
    },
  });

  // `time | text` lines: Correction (any number) and Withdrawn.
  const datedNotes = (name) => ({
    read: (data, values) => {
      data[name] = values.map((line) => {
        const bar = line.indexOf("|");
        const when = bar < 0 ? line : line.slice(0, bar);
        return { ...splitTimestamp(when), text: bar < 0 ? "" : line.slice(bar + 1).trim() };
      });
    },
    write: (data) =>
      (data[name] || [])
        .filter((note) => note && (joinTimestamp(note) || oneLine(note.text)))
        .map((note) => `${joinTimestamp(note)} | ${oneLine(note.text)}`),
  });

  // A switch written only when on: `Material: yes`, `Syndicate: no`.
  const flag = (name, written, isOn) => ({
    read: (data, values) => {
      data[name] = isOn(values.join(" ").trim().toLowerCase());
    },
    write: (data) => (data[name] ? [written] : []),
  });

  // Status: "published" is the default, so it is written only as draft or hidden.
  const status = {
    read: (data, values) => {
      data.status = values.join(" ").trim();
    },
    write: (data) => {
      const value = oneLine(data.status);
      return value && value !== "published" ? [value] : [];
    },
  };

  // The order of docs/writing.md's "The header" table (plugins/newsroom/model/fields.py): how a person writes a new post.
  const FIELDS = [
    ["Title", text("title")],
    ["Id", text("id")],
    ["Date", timestamp("date")],
    ["Modified", timestamp("modified")],
    ["Audience", list("audience")],
    ["Category", text("category")],
    ["Tags", text("tags")],
    ["Summary", text("summary")],
    ["Image", text("image.src")],
    ["Image-Alt", text("image.alt")],
    ["Image-Credit", text("image.credit")],
    ["Contact", list("contact")],
    ["Correction", datedNotes("correction")],
    ["Material", flag("material", "yes", (v) => ["yes", "true", "1"].includes(v))],
    ["Withdrawn", datedNotes("withdrawn")],
    ["Status", status],
    ["Slug", text("slug")],
    ["Author", text("author")],
    ["Syndicate", flag("no_syndication", "no", (v) => ["no", "false", "0"].includes(v))],
    ["Syndicate-Text", text("syndicate_text")],
  ];
  const RANK = new Map(FIELDS.map(([name], index) => [name.toLowerCase(), index]));
  const CHANNEL_TEXT_RANK = FIELDS.length;

  function getPath(data, path) {
    return path.split(".").reduce((value, key) => (value == null ? undefined : value[key]), data);
  }

  function setPath(data, path, value) {
    const keys = path.split(".");
    let target = data;
    for (const key of keys.slice(0, -1)) target = target[key] = target[key] || {};
    target[keys[keys.length - 1]] = value;
  }

  // --- Reading ----------------------------------------------------------------------------------------------

  /** The header's fields in file order, each {key, lines (exact text), values}, the text after it, and
   * what separates them (the empty line), as Python-Markdown reads it. */
  function splitHeader(source) {
    const lines = source.match(/[^\n]*\n|[^\n]+$/g) || [];
    const fields = [];
    let opening = "";
    let index = 0;
    if (lines.length && BEGIN.test(lines[0].replace(/\r?\n$/, ""))) opening = lines[index++];
    let separator = "";
    for (; index < lines.length; index++) {
      const line = lines[index].replace(/\r?\n$/, "");
      if (line.trim() === "" || END.test(line)) {
        separator = lines[index++];
        break;
      }
      const field = FIELD.exec(line);
      const more = field ? null : CONTINUATION.exec(line);
      if (field) {
        const known = fields.find((f) => f.key.toLowerCase() === field[1].toLowerCase());
        if (known) {
          // A repeated key (one Correction: per line) is one field with one more value, as the reader sees it.
          known.parts.push({ lines: [lines[index]], value: field[2].trim() });
        } else {
          fields.push({ key: field[1], parts: [{ lines: [lines[index]], value: field[2].trim() }] });
        }
      } else if (more && fields.length) {
        const last = fields[fields.length - 1].parts;
        last[last.length - 1].lines.push(lines[index]);
        last.push({ lines: [], value: more[1].trim() });
      } else {
        break;
      }
    }
    return { opening, fields, separator, body: lines.slice(index).join("") };
  }

  function valuesOf(field) {
    return field.parts.map((part) => part.value);
  }

  function codecFor(key) {
    const lower = key.toLowerCase();
    return RANK.has(lower) ? FIELDS[RANK.get(lower)][1] : null;
  }

  function channelOf(key) {
    const lower = key.toLowerCase();
    return lower.startsWith(CHANNEL_TEXT) && lower.length > CHANNEL_TEXT.length ? key.slice(CHANNEL_TEXT.length) : null;
  }

  function fromFile(source) {
    const header = splitHeader(source);
    const data = { body: header.body };
    const channelTexts = [];
    for (const field of header.fields) {
      const codec = codecFor(field.key);
      const channel = channelOf(field.key);
      if (codec) codec.read(data, valuesOf(field));
      else if (channel) channelTexts.push({ channel, text: valuesOf(field).join(" ").trim() });
    }
    if (channelTexts.length) data.syndicate_texts = channelTexts;
    // Each field as it was written, and the values the editor would write for it unchanged: toFile keeps the
    // original text of every field whose values are still those.
    data[SOURCE] = {
      opening: header.opening,
      separator: header.separator,
      fields: header.fields.map((field) => ({
        key: field.key,
        text: field.parts.flatMap((part) => part.lines).join(""),
        written: writtenValues(field.key, data),
      })),
    };
    return data;
  }

  // --- Writing ----------------------------------------------------------------------------------------------

  /** Every header field the data gives, as [key, values, rank], in docs/writing.md's order. */
  function headerFields(data) {
    const found = FIELDS.map(([key, codec], rank) => [key, codec.write(data), rank]);
    (data.syndicate_texts || []).forEach((item, index) => {
      const channel = oneLine(item && item.channel);
      const value = oneLine(item && item.text);
      if (channel && value) found.push([`Syndicate-Text-${channel}`, [value], CHANNEL_TEXT_RANK + index / 1000]);
    });
    return found.filter(([, values]) => values.length);
  }

  function writtenValues(key, data) {
    const entry = headerFields(data).find(([name]) => name.toLowerCase() === key.toLowerCase());
    return entry ? entry[1] : [];
  }

  function rankOf(key) {
    const lower = key.toLowerCase();
    if (RANK.has(lower)) return RANK.get(lower);
    return channelOf(key) !== null ? CHANNEL_TEXT_RANK : -1;
  }

  function sameValues(a, b) {
    return a.length === b.length && a.every((value, index) => value === b[index]);
  }

  function linesFor(key, values) {
    return values.map((value) => `${key}: ${value}\n`).join("");
  }

  function toFile(data) {
    const source = data[SOURCE] || { opening: "", separator: "\n", fields: [] };
    const wanted = new Map(headerFields(data).map(([key, values, rank]) => [key.toLowerCase(), { key, values, rank }]));
    const out = []; // [rank, text]
    for (const field of source.fields) {
      const lower = field.key.toLowerCase();
      const known = RANK.has(lower) || channelOf(field.key) !== null;
      if (!known) {
        out.push([-1, field.text]); // a field the editor does not edit: kept as it is
        continue;
      }
      const entry = wanted.get(lower);
      if (!entry) continue; // the person emptied it
      wanted.delete(lower);
      const unchanged = sameValues(entry.values, field.written);
      out.push([entry.rank, unchanged ? field.text : linesFor(field.key, entry.values)]);
    }
    // A new field goes right after the nearest field that comes before it in docs/writing.md's order.
    for (const { key, values, rank } of wanted.values()) {
      let at = 0;
      let best = -Infinity;
      out.forEach(([existing], index) => {
        if (existing <= rank && existing >= best) {
          best = existing;
          at = index + 1;
        }
      });
      out.splice(at, 0, [rank, linesFor(key, values)]);
    }
    const header = out.map(([, textValue]) => textValue).join("");
    const body = data.body == null ? "" : String(data.body);
    return `${source.opening}${header}${source.separator || "\n"}${body}`;
  }

  // --- Ids ----------------------------------------------------------------------------------------------------

  // Pelican's default SLUG_REGEX_SUBSTITUTIONS, on the ASCII text Unidecode gives. Python's \s, unlike
  // JavaScript's, also matches the separators \x1c-\x1f.
  const SPACE = "[ \\t\\n\\r\\f\\v\\x1c-\\x1f]";
  const SLUG_SUBSTITUTIONS = [
    [new RegExp(`[^A-Za-z0-9_${SPACE.slice(1, -1)}-]`, "g"), ""],
    [new RegExp(`^${SPACE}+|${SPACE}+$`, "g"), ""],
    [new RegExp(`(?:-|${SPACE})+`, "g"), "-"],
  ];
  // Pelican first strips tags and decodes entities (markupsafe), which this does not copy: such a title gives no
  // slug here (and the checks refuse markup in a title anyway).
  const MARKUP = /<|&#?\w+;/;

  /** Pelican's slugify, as `invoke new` calls it: NFKC, Unidecode's spelling in ASCII (transliteration.js), then
   * the substitutions. "" when the title holds a character the table does not reach (Chinese, emoji) or markup:
   * then the editor cannot know the slug Python would give, and gives none rather than another. */
  function slugify(title) {
    const text = String(title == null ? "" : title);
    if (MARKUP.test(text)) return "";
    let ascii = "";
    for (const character of text.normalize("NFKC")) {
      const code = character.codePointAt(0);
      if (code < 0x80) ascii += character;
      else if (code <= transliteration.furthest) ascii += transliteration.spelling[character] || "";
      else return "";
    }
    for (const [pattern, replacement] of SLUG_SUBSTITUTIONS) ascii = ascii.replace(pattern, replacement);
    return ascii.toLowerCase();
  }

  /** The Id `invoke new` would give: the day of the post's date, then the slug of its Slug, else of its title
   * (2026-10-29-q3-results). "" when there is none the checks would take: `slugRule` is the Slug field's pattern
   * (config.py, from the checks' own rule), which the slug must match. */
  function newPostId(data, slugRule) {
    const day = /^\d{4}-\d{2}-\d{2}/.exec(oneLine(data.date && data.date.time));
    const slug = slugify(oneLine(data.slug) || oneLine(data.title));
    const usable = slug !== "" && (!slugRule || new RegExp(slugRule).test(slug));
    return day && usable ? `${day[0]}-${slug}` : "";
  }

  return { fromFile, toFile, newPostId, slugify, FIELDS: FIELDS.map(([name]) => name), SOURCE };
});
