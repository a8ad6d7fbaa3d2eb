// One session: its live screen (a fresh screenshot about twice a second while the page is visible,
// none while it is hidden; view only, nothing here sends input), its facts, grants, egress and
// audit trail, and Kill, asked twice, for a key that may kill it.
"use strict";

const id = decodeURIComponent(location.pathname.split("/").pop());
const base = `/console/api/sessions/${encodeURIComponent(id)}`;
const screen = document.getElementById("screen");
document.getElementById("id").textContent = id;
let live = false, ended = false, shown = null;

// One request at a time: the next starts half a second after the last answered, and only while visible.
async function frame() {
  if (!live || ended || document.visibilityState !== "visible") { setTimeout(frame, 500); return; }
  try {
    const response = await fetch(`${base}/screen.png`, { credentials: "same-origin" });
    if (response.ok) {
      const url = URL.createObjectURL(await response.blob());
      screen.src = url;
      if (shown) URL.revokeObjectURL(shown);
      shown = url;
      document.getElementById("screen-state").textContent = `Last frame ${new Date().toLocaleTimeString()}.`;
    } else {
      const why = await response.json().catch(() => ({}));
      document.getElementById("screen-state").textContent = `No frame: ${why.error || response.status}`;
      if (response.status === 409 || response.status === 404) ended = true;
    }
  } catch (e) {
    document.getElementById("screen-state").textContent = `No frame: ${e.message}`;
  }
  setTimeout(frame, 500);
}

function rows(table, items, cells) {
  document.querySelector(`#${table} tbody`).replaceChildren(...items.map(i => h("tr", {}, ...cells(i).map(c => h("td", {}, c)))));
}

function time(ms) { return new Date(ms).toLocaleTimeString(); }

// What the proxy was asked for, or where a navigate the silo refused would have gone.
function request(detail) {
  try {
    const d = JSON.parse(detail);
    if (d.action === "navigate") return `navigate ${d.url || ""}`;
    return `${d.method || ""} ${d.host || ""}${d.port ? ":" + d.port : ""}${d.path || ""} ${d.status && d.status !== "0" ? "→ " + d.status : ""}`;
  } catch { return detail; }
}

async function load() {
  let d;
  try { d = await api(base); } catch (e) { say(`Cannot show session ${id}: ${e.message}`, true); return; }
  const s = d.session;
  ended = ["Terminated", "Failed", "Lost"].includes(s.state);
  live = s.desktop;
  document.getElementById("screen-section").hidden = !s.desktop;
  const facts = document.getElementById("facts");
  const fact = (k, v) => [h("dt", {}, k), h("dd", {}, v)];
  facts.replaceChildren(
    ...fact("Tenant", s.tenant), ...fact("State", h("span", { id: "state" }, s.state + (s.reason ? ` (${s.reason})` : ""))),
    ...fact("Host", s.host || "—"), ...fact("Image", s.image), ...fact("Created", when(s.createdAt)),
    ...fact("Deadline", ended ? when(s.deadline) : h("span", {}, countdown(s.deadline), ` (${when(s.deadline)})`)),
    ...fact("Allowlist", d.allowHosts.length ? d.allowHosts.join(", ") : "nothing: every request out is refused"));
  document.getElementById("kill").hidden = !d.canKill;
  rows("grants", d.grants, g => [h("span", { class: "mono" }, g.tokenHash), g.resource, g.action, g.expiresAt ? when(g.expiresAt) : "",
    g.revoked ? "revoked" : new Date(g.expiresAt) < Date.now() ? "expired" : "live"]);
  rows("egress", d.egress, r => [time(r.atMs), r.outcome === "success" ? "allowed" : r.outcome, h("span", { class: "mono" }, request(r.detail)), r.reason]);
  rows("trail", d.audit, r => [time(r.atMs), r.kind, r.actor, r.outcome, r.reason, h("span", { class: "mono" }, r.detail)]);
}

const ask = document.getElementById("kill-ask"), killConfirm = document.getElementById("kill-confirm");
const killQuestion = confirmation(ask, killConfirm, () => { killConfirm.hidden = true; ask.hidden = false; });
ask.addEventListener("click", () => { ask.hidden = true; killConfirm.hidden = false; killQuestion.open(); });
document.getElementById("kill-cancel").addEventListener("click", killQuestion.close);
document.getElementById("kill-yes").addEventListener("click", async () => {
  killConfirm.hidden = true;
  try { const s = await post(`${base}/kill`); say(`Session ${s.id} is ${s.state}.`, false); }
  catch (e) { say(`Could not kill ${id}: ${e.message}`, true); ask.hidden = false; }
  await load();
});

load().then(frame);
setInterval(() => { if (document.visibilityState === "visible") load(); }, 5000);
