// The live list: the server pushes the current page over server-sent events whenever it changes,
// so nothing reloads. Desktop sessions show a thumbnail of their screen, refreshed every few seconds
// while the page is visible.
"use strict";

const body = document.querySelector("#sessions tbody");
const form = document.getElementById("filters");
let page = 1, pages = 1, source = null;

function query() {
  const p = new URLSearchParams();
  for (const name of ["tenant", "state", "q"]) {
    const v = document.getElementById(name).value.trim();
    if (v) p.set(name, v);
  }
  p.set("page", page);
  return p.toString();
}

function thumb(s) {
  if (!s.desktop || s.state !== "Ready")
    return h("span", { class: "thumb-none" }, s.desktop ? "no screen" : "no desktop");
  return h("img", { class: "thumb", alt: `screen of ${s.id}`, "data-src": `/console/api/sessions/${encodeURIComponent(s.id)}/screen.png?scale=0.25`,
    src: `/console/api/sessions/${encodeURIComponent(s.id)}/screen.png?scale=0.25&t=${Date.now()}` });
}

function row(s) {
  return h("tr", { "data-id": s.id },
    h("td", {}, thumb(s)),
    h("td", { class: "mono" }, h("a", { href: `/console/sessions/${encodeURIComponent(s.id)}`, "data-focus": `session:${s.id}` }, s.id)),
    h("td", {}, s.tenant),
    h("td", { class: "state", title: s.reason || null }, s.state),
    h("td", {}, s.host || "—"),
    h("td", { class: "mono" }, s.image),
    h("td", {}, h("time", { class: "age", datetime: s.createdAt }, age(s.createdAt))),
    h("td", {}, ["Terminated", "Failed", "Lost"].includes(s.state) ? "ended" : countdown(s.deadline)));
}

// Only what changed is redrawn: a row whose session is as it was keeps its element, so the
// keyboard's focus on its link (and its thumbnail) stays put while other rows come and go.
let shown = new Map();
function render(data) {
  ({ page, pages } = data);
  const next = new Map(data.sessions.map(s => {
    const text = JSON.stringify(s), old = shown.get(s.id);
    return [s.id, old && old.text === text ? old : { text, tr: row(s) }];
  }));
  redraw(body, () => {
    for (const tr of [...body.rows]) if (next.get(tr.dataset.id)?.tr !== tr) tr.remove();
    [...next.values()].forEach(({ tr }, i) => { if (body.rows[i] !== tr) body.insertBefore(tr, body.rows[i] || null); });
  });
  shown = next;
  document.getElementById("empty").hidden = data.sessions.length > 0;
  document.getElementById("page").textContent = `Page ${page} of ${pages} (${data.total} sessions)`;
  document.getElementById("prev").disabled = page <= 1;
  document.getElementById("next").disabled = page >= pages;
}

// One stream per filter; a new filter closes the old stream first.
function listen() {
  if (source) source.close();
  source = new EventSource(`/console/api/sessions/stream?${query()}`);
  source.onmessage = e => { say("", false); render(JSON.parse(e.data)); };
  source.onerror = async () => {
    // EventSource says nothing of why: ask once, plainly, to show the refusal (e.g. a key without the role).
    try { await api(`/console/api/sessions?${query()}`); say("Reconnecting to the cluster…", true); }
    catch (err) { say(`Cannot list sessions: ${err.message}`, true); if (err.status === 403 || err.status === 404) source.close(); }
  };
}

let typing = null;
form.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(() => { page = 1; listen(); }, 300); });
form.addEventListener("submit", e => e.preventDefault());
document.getElementById("prev").addEventListener("click", () => { if (page > 1) { page--; listen(); } });
document.getElementById("next").addEventListener("click", () => { if (page < pages) { page++; listen(); } });

setInterval(() => {
  if (document.visibilityState !== "visible") return;
  document.querySelectorAll("img.thumb").forEach(img => { img.src = `${img.dataset.src}&t=${Date.now()}`; });
}, 5000);

api("/console/api/me").then(me => { document.getElementById("tenant-label").hidden = !me.clusterAdmin; }).catch(() => {}).finally(listen);
