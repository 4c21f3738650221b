/* Teaches Decap CMS the newsroom: its post format, the Id rule, the image alt-text rule and its preview.
 * Loaded by admin/index.html after decap-cms.js (window.CMS, window.h, window.createClass), transliteration.js
 * and header-format.js (window.NewsroomHeader). The configuration itself is generated: admin/config.yml.
 */
(function () {
  "use strict";
  const { CMS, h, createClass, NewsroomHeader } = window;

  // The newsroom's `Key: value` header instead of YAML front matter (config.yml names it for the posts).
  CMS.registerCustomFormat("newsroom-header", "md", {
    fromFile: NewsroomHeader.fromFile,
    toFile: NewsroomHeader.toFile,
  });

  // Id: given once, when the post is first saved, from its date and title (as `invoke new` does), and never
  // editable: feeds, syndication and the archive know the post by it.
  const IdControl = createClass({
    render() {
      const { forID, value, classNameWrapper } = this.props;
      return h("input", {
        type: "text",
        id: forID,
        className: classNameWrapper,
        value: value || "",
        placeholder: "Given when the post is first saved (date and title); never changes",
        readOnly: true,
        "aria-readonly": "true",
      });
    },
  });
  CMS.registerWidget("newsroom-id", IdControl);

  // Image-Alt: required as soon as there is an image (the checks refuse an image without it).
  const StringControl = CMS.getWidget("string").control;
  const AltControl = createClass({
    isValid() {
      const data = this.props.getEntry().get("data");
      const image = data && data.getIn(["image", "src"]);
      if (image && !String(this.props.value || "").trim()) {
        return { error: { message: "Image-Alt: describe the image for people who cannot see it (required with an image)." } };
      }
      return true;
    },
    render() {
      return h(StringControl, this.props);
    },
  });
  CMS.registerWidget("newsroom-alt", AltControl);

  // The Slug field's pattern (config.yml, generated from the checks' own rule): a new post's Id is made from it.
  function slugRule(collection) {
    const slug = collection.get("fields").find((f) => f.get("name") === "slug");
    const pattern = slug && slug.get("pattern");
    return pattern ? pattern.first() : null;
  }

  // Title: on a new post, it must give an Id (no Slug) the checks take. A title in a script the editor cannot
  // spell in ASCII (Chinese, say) gives none; nothing would tell the person why the post has no file otherwise.
  const TitleControl = createClass({
    isValid() {
      const data = this.props.getEntry().get("data");
      if (data && data.get("id")) return true; // the Id was given on first save, and never changes
      const post = { ...(data ? data.toJS() : {}), title: this.props.value };
      if (!String(post.title || "").trim() || !post.date || !post.date.time) return true; // "required" says so
      if (!NewsroomHeader.newPostId(post, slugRule(this.props.collection))) {
        const from = String(post.slug || "").trim() ? "the Slug" : "the title";
        return {
          error: {
            message: `Title: ${from} gives no usable Id (the editor cannot spell it in letters a-z and digits); ` +
              "set a Slug, e.g. q3-2026-results",
          },
        };
      }
      return true;
    },
    render() {
      return h(StringControl, this.props);
    },
  });
  CMS.registerWidget("newsroom-title", TitleControl);

  // On first save: the Id, and the year folder (content/posts/<year>/) the file goes in.
  CMS.registerEventListener({
    name: "preSave",
    handler: ({ entry }) => {
      let data = entry.get("data");
      if (entry.get("newRecord")) {
        const id = NewsroomHeader.newPostId(data.toJS());
        // The Title refuses this first; never save a post as content/posts/<year>/.md, which no build reads.
        if (!id) throw new Error("Title: gives no usable Id; set a Slug, e.g. q3-2026-results");
        data = data.set("id", id);
      }
      const id = data.get("id") || "";
      return data.set("_folder", /^\d{4}/.test(id) ? id.slice(0, 4) : String(new Date().getFullYear()));
    },
  });

  // The preview looks like the newsroom's article page: the theme's own stylesheet and its markup.
  CMS.registerPreviewStyle(new URL("../theme/css/newsroom.css", document.baseURI).href);

  function optionLabel(collection, fieldName, value) {
    const field = collection.get("fields").find((f) => f.get("name") === fieldName);
    const option = field && field.get("options").find((o) => (o.get ? o.get("value") : o) === value);
    return option && option.get ? option.get("label") : value;
  }

  function when(note) {
    return note ? [note.time, note.zone].filter(Boolean).join(" ") : "";
  }

  const ArticlePreview = createClass({
    render() {
      const { entry, widgetFor, getAsset, collection } = this.props;
      const data = entry.get("data").toJS();
      const image = data.image || {};
      const corrections = (data.correction || []).filter((c) => c && c.text);
      const withdrawn = (data.withdrawn || []).find((w) => w && w.text);
      const audiences = (data.audience || []).map((slug) => optionLabel(collection, "audience", slug));
      const imageUrl = image.src ? getAsset(image.src) : null;
      return h(
        "article",
        { className: "article" },
        h(
          "header",
          { className: "article__header" },
          h(
            "div",
            { className: "wrap wrap--narrow" },
            h("p", { className: "article__kicker" }, data.category || "", data.material ? " · Regulatory / material news" : ""),
            h("h1", { className: "article__title" }, data.title || ""),
            h("p", { className: "article__summary" }, data.summary || ""),
            h(
              "dl",
              { className: "article__facts" },
              h("div", null, h("dt", null, "Published"), h("dd", null, when(data.date))),
              h("div", null, h("dt", null, "For"), h("dd", null, audiences.join(", "))),
            ),
          ),
        ),
        h(
          "div",
          { className: "wrap wrap--narrow" },
          data.status && data.status !== "published"
            ? h("p", { className: "notice notice--warning" }, `This post is ${data.status}: it does not appear on the site.`)
            : null,
          withdrawn
            ? h("section", { className: "withdrawal" }, h("h2", { className: "withdrawal__title" }, "Withdrawn"), h("p", null, `${when(withdrawn)}: ${withdrawn.text}`))
            : null,
          corrections.length
            ? h(
                "section",
                { className: "corrections" },
                h("h2", { className: "corrections__title" }, corrections.length > 1 ? "Corrections" : "Correction"),
                h("ul", null, corrections.map((c, i) => h("li", { key: i }, `${when(c)}: ${c.text}`))),
              )
            : null,
          imageUrl
            ? h(
                "figure",
                { className: "lead-image" },
                h("img", { src: imageUrl.toString(), alt: image.alt || "" }),
                image.credit ? h("figcaption", null, image.credit) : null,
              )
            : null,
          h("div", { className: "prose" }, widgetFor("body")),
        ),
      );
    },
  });
  CMS.registerPreviewTemplate("posts", ArticlePreview);

  // Names Decap leaves out, given as its screens appear: the preview frame, and the story's text area (a
  // contenteditable box whose <label> points at no element).
  function nameUnnamed() {
    const frame = document.getElementById("preview-pane");
    if (frame && !frame.title) frame.title = "Preview: the post as it will look on the newsroom";
    for (const box of document.querySelectorAll("[aria-label='markdown field'] [contenteditable=true]")) {
      if (!box.getAttribute("aria-label")) box.setAttribute("aria-label", "Story (Markdown)");
    }
  }
  new MutationObserver(nameUnnamed).observe(document.body, { childList: true, subtree: true });
})();
