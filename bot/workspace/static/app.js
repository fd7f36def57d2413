/* The local workspace page: channels, messages as they change, a composer that talks to the bot.

   It long-polls GET /api/state?since=VERSION (the server answers as soon as anything changes, or
   after 15 s), and updates only the messages that changed, so a timer edited every few seconds
   does not move the keyboard focus. New messages are announced in a polite live region. Slash
   commands, clicks and files go to POST /api/command, /api/action and /api/upload; the server
   sends them to the bot as signed Slack requests. Channel links are #CHANNELID fragments.
*/
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const view = { version: -1, snap: null, channel: null, known: null, shown: new Map(), unread: {} };

  // --- names ------------------------------------------------------------------------------------
  const ctx = {
    channelName(id) {
      const c = channelById(id);
      return c ? c.name : id;
    },
    userName(id) {
      if (view.snap && id === view.snap.me) return "you";
      return (view.snap && view.snap.users[id]) || id;
    },
    groupName(id) { return id === "S0ONCALL" ? "oncall" : id; },
    onAction: sendAction,
  };

  const HOME = { id: "home", name: "Home", home: true, private: false, im: false, topic: "", members: [], pins: [] };

  function channelById(id) {
    if (id === HOME.id) return HOME;
    return view.snap ? view.snap.channels.find((c) => c.id === id) : null;
  }

  function label(channel) {
    if (channel.home) return "Leakwatch Home";
    return channel.im ? `${channel.name} (direct message)` : `#${channel.name}`;
  }

  function dmChannel() {
    const dm = view.snap && view.snap.channels.find((c) => c.im && c.members.includes(view.snap.me));
    return dm ? dm.id : null;
  }

  // --- talking to the server ------------------------------------------------------------------------
  async function post(path, body, headers) {
    const response = await fetch(path, {
      method: "POST", body: body,
      headers: headers || { "Content-Type": "application/json" },
    });
    let answer = {};
    try { answer = await response.json(); } catch (e) { answer = {}; }
    if (!response.ok) throw new Error(answer.error || `The workspace answered ${response.status}.`);
    return answer;
  }

  function say(text) { $("composer-status").textContent = text; }

  async function sendAction(element, block, detail, control) {
    const message = control.closest("[data-ts]");
    const group = control.closest("fieldset, .bk-actions");
    if (group) group.setAttribute("aria-busy", "true");
    try {
      await post("/api/action", JSON.stringify({
        channel: view.channel, ts: message.dataset.ts, block_id: block.block_id || "",
        action_id: element.action_id || "", value: detail.value, selected: detail.selected,
      }));
    } catch (error) {
      say(error.message);
      const shown = view.shown.get("m" + message.dataset.ts);
      if (shown) { shown.sig = ""; drawMessages(); }  // show the message as it is again
    } finally {
      if (group) group.removeAttribute("aria-busy");
    }
  }

  async function sendText(event) {
    event.preventDefault();
    const input = $("composer-text");
    const text = input.value.trim();
    if (!text) return;
    say(text.startsWith("/") ? `Sent ${text.split(" ")[0]} to Leakwatch.` : "Sent.");
    input.value = "";
    try {
      await post("/api/command", JSON.stringify({ channel: view.channel, text: text }));
    } catch (error) {
      say(error.message);
      input.value = text;
    }
  }

  async function upload(file) {
    const dm = dmChannel();
    if (!file || !dm) return;
    location.hash = dm;
    say(`Sending ${file.name} to Leakwatch…`);
    try {
      await post(`/api/upload?channel=${encodeURIComponent(dm)}&name=${encodeURIComponent(file.name)}`, file,
        { "X-Leakwatch-Workspace": "1", "Content-Type": file.type || "application/octet-stream" });
      say(`Sent ${file.name}; Leakwatch answers in the thread.`);
    } catch (error) {
      say(error.message);
    }
    $("file-input").value = "";
  }

  // --- drawing ----------------------------------------------------------------------------------------
  // redrawn only when what it shows changed, keeping the keyboard focus on the same link
  function keepFocus(container, draw) {
    const focused = container.contains(document.activeElement) ? document.activeElement.getAttribute("href") : null;
    draw();
    if (focused) {
      const again = [...container.querySelectorAll("a")].find((a) => a.getAttribute("href") === focused);
      if (again) again.focus();
    }
  }

  function drawChannels() {
    const list = $("channel-list");
    const sig = JSON.stringify([view.channel, view.unread, view.snap.channels.map((c) => [c.id, c.name, c.private])]);
    if (list.dataset.sig === sig) return;
    list.dataset.sig = sig;
    keepFocus(list, () => fillChannels(list));
  }

  function fillChannels(list) {
    list.textContent = "";
    for (const channel of [HOME, ...view.snap.channels]) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${channel.id}`;
      link.textContent = (channel.private && !channel.im ? "🔒 " : "") + label(channel);
      if (channel.private && !channel.im) link.setAttribute("aria-label", `${label(channel)}, private`);
      if (channel.id === view.channel) link.setAttribute("aria-current", "page");
      item.appendChild(link);
      const unread = view.unread[channel.id] || 0;
      if (unread && channel.id !== view.channel) {
        const badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = unread;
        badge.setAttribute("aria-label", `${unread} new`);
        item.appendChild(badge);
      }
      list.appendChild(item);
    }
  }

  function author(message) {
    if (message.from === "workspace") return "Workspace";
    if (!message.user) return "Leakwatch";
    return ctx.userName(message.user);
  }

  function clock(ts) {
    const when = new Date(Number(String(ts).split(".")[0]) * 1000);
    return when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function messageNode(message, replies) {
    const item = document.createElement("li");
    if (message.home) {  // the Home tab: the published view, no author line
      item.className = "message home";
      item.dataset.ts = "home";
      item.appendChild(BlockKit.render(message.blocks, ctx));
      return item;
    }
    item.className = "message" + (message.ephemeral ? " ephemeral" : "");
    item.id = `m-${message.ts}`;
    item.dataset.ts = message.ts;
    const head = document.createElement("p");
    head.className = "meta";
    const who = document.createElement("strong");
    who.textContent = author(message);
    head.appendChild(who);
    if (!message.user && !message.from) head.insertAdjacentHTML("beforeend", ' <span class="app">APP</span>');
    head.insertAdjacentHTML("beforeend", ` <span class="time">${BlockKit.esc(clock(message.ts))}</span>`);
    if (message.edited) head.insertAdjacentHTML("beforeend", ' <span class="edited">(edited)</span>');
    if (message.ephemeral) head.insertAdjacentHTML("beforeend", ' <span class="only-you">Only visible to you</span>');
    if (isPinned(message.ts)) head.insertAdjacentHTML("beforeend", ' <span class="pinned">📌 Pinned</span>');
    item.appendChild(head);
    const body = document.createElement("div");
    body.className = "body";
    if (message.blocks && message.blocks.length) body.appendChild(BlockKit.render(message.blocks, ctx));
    else if (message.text) body.innerHTML = BlockKit.mrkdwn(message.text, ctx);
    for (const file of message.files || []) {
      const f = document.createElement("p");
      f.className = "file";
      const link = document.createElement("a");
      link.href = `/api/files/${encodeURIComponent(file.id)}/${encodeURIComponent(file.name || "file")}`;
      link.setAttribute("download", file.name || "file");
      link.textContent = `📄 ${file.name} (${Math.max(1, Math.round((file.size || 0) / 1024))} KB)`;
      f.appendChild(link);
      body.appendChild(f);
    }
    item.appendChild(body);
    if (replies.length) {
      const thread = document.createElement("ol");
      thread.className = "thread";
      thread.setAttribute("aria-label", `${replies.length} ${replies.length === 1 ? "reply" : "replies"}`);
      for (const reply of replies) thread.appendChild(messageNode(reply, []));
      item.appendChild(thread);
    }
    return item;
  }

  function isPinned(ts) {
    const channel = channelById(view.channel);
    return channel ? channel.pins.includes(ts) : false;
  }

  function drawMessages() {
    const channel = channelById(view.channel);
    const all = channel && channel.home
      ? [{ ts: "home", text: "", blocks: view.snap.home.blocks, user: null, home: true }]
      : view.snap.messages[view.channel] || [];
    const tops = all.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    const list = $("messages");
    const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    const wanted = [];
    for (const top of tops) {
      const replies = all.filter((m) => m.thread_ts === top.ts && m.ts !== top.ts);
      const key = (top.ephemeral ? "e" : "m") + top.ts;
      wanted.push({ key: key, sig: JSON.stringify([top, replies, isPinned(top.ts)]), top: top, replies: replies });
    }
    const keep = new Set(wanted.map((w) => w.key));
    for (const [key, entry] of view.shown) {
      if (!keep.has(key)) { entry.node.remove(); view.shown.delete(key); }
    }
    let before = list.firstElementChild;
    for (const want of wanted) {
      const old = view.shown.get(want.key);
      if (old && old.sig === want.sig) {
        if (old.node !== before) list.insertBefore(old.node, before);
        before = old.node.nextElementSibling;
        continue;
      }
      const node = messageNode(want.top, want.replies);
      const focused = old && old.node.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
      if (old) old.node.replaceWith(node); else list.insertBefore(node, before);
      view.shown.set(want.key, { sig: want.sig, node: node });
      if (focused) {
        const again = [...node.querySelectorAll("[data-focus-key]")].find((n) => n.dataset.focusKey === focused);
        if (again) again.focus();
      }
      before = node.nextElementSibling;
    }
    $("empty").hidden = channel && channel.home ? view.snap.home.blocks.length > 0 : wanted.length > 0;
    $("composer").hidden = Boolean(channel && channel.home);
    if (stick) list.scrollTop = list.scrollHeight;
    drawHead(channel);
  }

  function drawHead(channel) {
    const sig = JSON.stringify([view.channel, channel && channel.topic, channel && channel.pins,
      (channel && channel.pins || []).map((ts) => (view.snap.messages[view.channel] || []).some((m) => m.ts === ts))]);
    if ($("pins").dataset.sig === sig) return;
    $("pins").dataset.sig = sig;
    keepFocus($("pins"), () => fillHead(channel));
  }

  function fillHead(channel) {
    $("channel-title").textContent = channel ? label(channel) : "";
    $("composer-where").textContent = channel ? label(channel) : "";
    $("channel-topic").innerHTML = channel && channel.topic ? BlockKit.mrkdwn(channel.topic, ctx) : "";
    const pins = $("pin-list");
    pins.textContent = "";
    for (const ts of (channel && channel.pins) || []) {
      const message = (view.snap.messages[view.channel] || []).find((m) => m.ts === ts);
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${view.channel}`;
      link.textContent = message ? plain(message).slice(0, 120) || "a message" : "a message";
      link.addEventListener("click", (event) => {
        event.preventDefault();
        const target = $(`m-${ts}`);
        if (target) { target.scrollIntoView({ block: "center" }); target.classList.add("flash"); }
      });
      item.appendChild(link);
      pins.appendChild(item);
    }
    $("pin-count").textContent = String((channel && channel.pins.length) || 0);
    $("pins").hidden = !(channel && channel.pins.length);
  }

  function plain(message) {
    const holder = document.createElement("div");
    if (message.blocks && message.blocks.length) holder.appendChild(BlockKit.render(message.blocks, ctx));
    else holder.innerHTML = BlockKit.mrkdwn(message.text || "", ctx);
    return holder.textContent.replace(/\s+/g, " ").trim();
  }

  function drawSample() {
    const sample = view.snap.sample;
    for (const node of document.querySelectorAll("[data-sample]")) {
      const url = sample[node.dataset.sample];
      if (node.tagName === "A") node.href = url;
      node.textContent = node.dataset.prefix ? `${node.dataset.prefix} ${url}${node.dataset.suffix || ""}` : url;
    }
    $("sample-state").textContent = sample.removed ? "taken down (404)" : "published";
  }

  // --- changes --------------------------------------------------------------------------------------
  function announceNew(snap) {
    const seen = new Set();
    for (const [channel, messages] of Object.entries(snap.messages)) {
      for (const m of messages) {
        const key = `${channel}/${m.ts}`;
        seen.add(key);
        if (view.known && !view.known.has(key) && (m.ephemeral || m.user !== snap.me)) {
          if (channel !== view.channel) view.unread[channel] = (view.unread[channel] || 0) + 1;
          const where = channelById(channel);
          $("announcer").textContent = `New message from ${author(m)} in ${where ? label(where) : "a channel"}: `
            + plain(m).slice(0, 160);
        }
      }
    }
    view.known = seen;
  }

  function apply(snap) {
    view.snap = snap;
    view.version = snap.version;
    if (!view.channel || !channelById(view.channel)) selectFromHash();
    announceNew(snap);
    drawChannels();
    drawMessages();
    drawSample();
  }

  function selectFromHash() {
    const wanted = decodeURIComponent(location.hash.slice(1));
    const fallback = view.snap.channels.find((c) => c.name === "general") || view.snap.channels[0];
    const channel = channelById(wanted) || fallback;
    if (channel.id !== view.channel) {
      view.channel = channel.id;
      view.shown.clear();
      $("messages").textContent = "";
      if (channel.home) post("/api/home", "{}").catch((error) => say(error.message));  // Slack's app_home_opened
    }
    view.unread[channel.id] = 0;
    document.title = `${label(channel)} · Leakwatch local workspace`;
  }

  window.addEventListener("hashchange", () => {
    // only channel links change the channel (the skip link and others are ordinary fragments)
    if (!view.snap || !channelById(decodeURIComponent(location.hash.slice(1)))) return;
    selectFromHash();
    drawChannels();
    drawMessages();
    $("messages").scrollTop = $("messages").scrollHeight;
  });

  async function poll() {
    for (;;) {
      try {
        const response = await fetch(`/api/state?since=${view.version}`);
        if (!response.ok) throw new Error(String(response.status));
        apply(await response.json());
        $("offline").hidden = true;
      } catch (error) {
        $("offline").hidden = false;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  // --- start --------------------------------------------------------------------------------------------
  document.addEventListener("DOMContentLoaded", () => {
    $("composer").addEventListener("submit", sendText);
    $("file-input").addEventListener("change", (event) => upload(event.target.files[0]));
    const drop = $("main");
    drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("dropping"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("dropping"));
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      drop.classList.remove("dropping");
      if (event.dataTransfer.files.length) upload(event.dataTransfer.files[0]);
    });
    for (const button of document.querySelectorAll("[data-fill]")) {
      button.addEventListener("click", () => {
        const sample = view.snap ? view.snap.sample : {};
        const input = $("composer-text");
        input.value = button.dataset.fill.replace(/\{(\w+)\}/g, (w, k) => sample[k] || w);
        if (button.dataset.channel === "general") location.hash = "C0GENERAL";
        input.focus();
      });
    }
    poll();
  });
})();
