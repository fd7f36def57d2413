/* Block Kit and mrkdwn, rendered as Slack shows them, for the local workspace page.

   BlockKit.mrkdwn(text, ctx) -> HTML string: *bold*, _italic_, ~strike~, `code`, ```pre```, > quotes,
     <url|label>, <#C1|name>, <@U1>, <!subteam^S1>, <!here>, <!date^ts^format|fallback>, :emoji:.
     Every character of the text is escaped first; only the markup made here is HTML.
   BlockKit.render(blocks, ctx) -> DocumentFragment: header, section (text, fields, accessory),
     context, divider, actions (buttons, checkboxes), image (its alt text), rich_text; anything else
     is named, not hidden.
   ctx: {channelName(id), userName(id), onAction(element, block, detail)} where detail is
     {value} for a button and {selected: [values]} for checkboxes.
*/
"use strict";

(function () {
  const EMOJI = {
    rotating_light: "🚨", red_circle: "🔴", large_orange_circle: "🟠", large_yellow_circle: "🟡",
    white_check_mark: "✅", warning: "⚠️", stopwatch: "⏱️", hourglass_flowing_sand: "⏳", scales: "⚖️",
    x: "❌", lock: "🔒", mag: "🔍", clipboard: "📋", alarm_clock: "⏰", white_circle: "⚪", bar_chart: "📊",
    link: "🔗", page_facing_up: "📄", shield: "🛡️", eyes: "👀", ballot_box_with_check: "☑️",
    heavy_check_mark: "✔️", information_source: "ℹ️", bell: "🔔", fire: "🔥", tada: "🎉", rocket: "🚀",
    construction: "🚧", memo: "📝", mega: "📣", pushpin: "📌", busts_in_silhouette: "👥", globe_with_meridians: "🌐",
  };

  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function unslack(text) { // Slack's own three escapes, back to characters
    return String(text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function emoji(html) {
    return html.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] || whole);
  }

  function safeUrl(url) {
    return /^(https?:|mailto:)/i.test(url) ? url : null;
  }

  function formatDate(seconds, format, fallback) {
    const when = new Date(Number(seconds) * 1000);
    if (isNaN(when.getTime())) return esc(fallback || "");
    const time = when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    const parts = {
      date_num: when.toLocaleDateString("sv-SE"), date: when.toLocaleDateString([], { dateStyle: "long" }),
      date_short: when.toLocaleDateString([], { dateStyle: "medium" }),
      date_long: when.toLocaleDateString([], { dateStyle: "full" }),
      date_pretty: when.toLocaleDateString([], { dateStyle: "long" }),
      date_short_pretty: when.toLocaleDateString([], { dateStyle: "medium" }),
      date_long_pretty: when.toLocaleDateString([], { dateStyle: "full" }),
      time: time, time_secs: when.toLocaleTimeString(),
      ago: Math.round((Date.now() - when.getTime()) / 60000) + " minutes ago",
    };
    const out = String(format || "{date_num} {time}").replace(/\{(\w+)\}/g, (w, k) => (k in parts ? parts[k] : w));
    return `<time datetime="${esc(when.toISOString())}">${esc(out)}</time>`;
  }

  function control(inner, ctx) {
    const [target, label] = splitOnce(unslack(inner), "|");
    if (target.startsWith("#C") || target.startsWith("#D")) {
      const id = target.slice(1);
      const name = label || ctx.channelName(id);
      return `<a class="mention channel" href="#${esc(id)}">#${esc(name)}</a>`;
    }
    if (target.startsWith("@U") || target.startsWith("@W")) {
      return `<span class="mention">@${esc(ctx.userName(target.slice(1)))}</span>`;
    }
    if (target.startsWith("!subteam^")) {
      return `<span class="mention">${esc(label || "@" + ctx.groupName(target.slice(9)))}</span>`;
    }
    if (target.startsWith("!date^")) {
      const [, seconds, format] = target.split("^");
      return formatDate(seconds, format, label);
    }
    if (target.startsWith("!")) return `<span class="mention">@${esc(target.slice(1))}</span>`;
    const url = safeUrl(target);
    if (!url) return esc(label || target);
    return `<a href="${esc(url)}" target="_blank" rel="noopener noreferrer">${esc(label || target)}</a>`;
  }

  function splitOnce(text, sep) {
    const at = text.indexOf(sep);
    return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
  }

  function mrkdwn(text, ctx) {
    const kept = [];
    const keep = (html) => `\u0000${kept.push(html) - 1}\u0000`;
    let t = String(text || "").replace(/\u0000/g, "");
    t = t.replace(/```([\s\S]*?)```/g, (w, code) => keep(`<pre>${esc(unslack(code))}</pre>`));
    t = t.replace(/`([^`\n]+)`/g, (w, code) => keep(`<code>${esc(unslack(code))}</code>`));
    t = t.replace(/<([^<>\n]+)>/g, (w, inner) => keep(control(inner, ctx)));
    let html = esc(unslack(t));
    html = html.replace(/(^|[\s(\u0000])\*([^*\n]+)\*(?=$|[\s.,;:!?)\u0000])/g, "$1<strong>$2</strong>");
    html = html.replace(/(^|[\s(\u0000])_([^_\n]+)_(?=$|[\s.,;:!?)\u0000])/g, "$1<em>$2</em>");
    html = html.replace(/(^|[\s(\u0000])~([^~\n]+)~(?=$|[\s.,;:!?)\u0000])/g, "$1<s>$2</s>");
    html = html.replace(/^&gt; ?(.*)$/gm, "<span class=\"quote\">$1</span>");
    html = emoji(html).replace(/\n/g, "<br>");
    return html.replace(/\u0000(\d+)\u0000/g, (w, i) => kept[Number(i)]);
  }

  function textHtml(obj, ctx) {
    if (!obj) return "";
    if (obj.type === "mrkdwn") return mrkdwn(obj.text, ctx);
    return emoji(esc(obj.text || ""));
  }

  function el(tag, className, html) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (html !== undefined) node.innerHTML = html;
    return node;
  }

  let uid = 0;

  function button(element, block, ctx) {
    const label = textHtml(element.text, ctx);
    const url = element.url && safeUrl(element.url);
    if (url) {
      const link = el("a", "bk-button", label);
      link.href = url; link.target = "_blank"; link.rel = "noopener noreferrer";
      return link;
    }
    const node = el("button", "bk-button" + (element.style ? " " + element.style : ""), label);
    node.type = "button";
    node.dataset.focusKey = `${block.block_id || ""}/${element.action_id || ""}/${element.value || ""}`;
    node.addEventListener("click", () => ctx.onAction(element, block, { value: element.value || "" }, node));
    return node;
  }

  function checkboxes(element, block, ctx) {
    const group = el("fieldset", "bk-checkboxes");
    const legend = el("legend", "visually-hidden");
    legend.textContent = "Checklist items";
    group.appendChild(legend);
    const initial = new Set((element.initial_options || []).map((o) => o.value));
    const boxes = [];
    for (const option of element.options || []) {
      const id = `bk-${++uid}`;
      const row = el("div", "bk-option");
      const box = el("input");
      box.type = "checkbox"; box.id = id; box.value = option.value; box.checked = initial.has(option.value);
      box.dataset.focusKey = `${block.block_id || ""}/${element.action_id || ""}/${option.value}`;
      const label = el("label", "", textHtml(option.text, ctx));
      label.htmlFor = id;
      if (option.description) label.appendChild(el("span", "bk-description", textHtml(option.description, ctx)));
      row.append(box, label);
      group.appendChild(row);
      boxes.push(box);
    }
    group.addEventListener("change", (event) => {
      const selected = boxes.filter((b) => b.checked).map((b) => b.value);
      ctx.onAction(element, block, { selected: selected }, event.target);
    });
    return group;
  }

  function elementNode(element, block, ctx) {
    if (!element || typeof element !== "object") return null;
    if (element.type === "button") return button(element, block, ctx);
    if (element.type === "checkboxes") return checkboxes(element, block, ctx);
    if (element.type === "image") return el("span", "bk-image", esc(element.alt_text || "an image"));
    if (element.type === "mrkdwn" || element.type === "plain_text") return el("span", "", textHtml(element, ctx));
    return el("span", "bk-unsupported", `(${esc(element.type || "an element")} is not shown here)`);
  }

  function richText(block, ctx) {
    const out = el("div", "bk-section");
    for (const part of block.elements || []) {
      const words = (part.elements || []).map((e) => (e.type === "text" ? esc(e.text || "")
        : e.type === "link" ? control(`${e.url}|${e.text || e.url}`, ctx)
        : e.type === "emoji" ? (EMOJI[e.name] || `:${esc(e.name)}:`)
        : e.type === "user" ? control(`@${e.user_id}`, ctx) : "")).join("");
      out.appendChild(el(part.type === "rich_text_preformatted" ? "pre" : "p", "", words.replace(/\n/g, "<br>")));
    }
    return out;
  }

  function block(b, ctx) {
    switch (b && b.type) {
      case "header":
        return el("h3", "bk-header", textHtml(b.text, ctx));
      case "divider":
        return el("hr", "bk-divider");
      case "section": {
        const node = el("div", "bk-section");
        const body = el("div", "bk-section-body");
        if (b.text) body.appendChild(el("div", "bk-text", textHtml(b.text, ctx)));
        if (b.fields && b.fields.length) {
          const fields = el("div", "bk-fields");
          for (const f of b.fields) fields.appendChild(el("div", "bk-field", textHtml(f, ctx)));
          body.appendChild(fields);
        }
        node.appendChild(body);
        const accessory = elementNode(b.accessory, b, ctx);
        if (accessory) node.appendChild(accessory);
        return node;
      }
      case "context": {
        const node = el("div", "bk-context");
        for (const e of b.elements || []) node.appendChild(elementNode(e, b, ctx));
        return node;
      }
      case "actions": {
        const node = el("div", "bk-actions");
        for (const e of b.elements || []) node.appendChild(elementNode(e, b, ctx));
        return node;
      }
      case "image":
        return el("p", "bk-image", esc(b.alt_text || "an image"));
      case "rich_text":
        return richText(b, ctx);
      default:
        return el("p", "bk-unsupported", `(a ${esc((b && b.type) || "block")} block is not shown here)`);
    }
  }

  function render(blocks, ctx) {
    const out = document.createDocumentFragment();
    for (const b of blocks || []) out.appendChild(block(b, ctx));
    return out;
  }

  window.BlockKit = { render: render, mrkdwn: mrkdwn, esc: esc };
})();
