// The audit log: filtered rows, newest first, and the chain check agentctl audit verify makes (the
// server runs the same code), optionally against an anchor taken earlier with agentctl audit head.
"use strict";

function params(names) {
  const p = new URLSearchParams();
  for (const name of names) {
    let v = document.getElementById(name).value.trim();
    if (v && (name === "since" || name === "until")) v = new Date(v).toISOString();
    if (v) p.set(name, v);
  }
  return p.toString();
}

async function load() {
  let rows;
  try { rows = await api(`/console/api/audit?${params(["tenant", "kind", "session", "since", "until"])}`); }
  catch (e) { say(e.status === 403 ? "The audit log is shown to auditor and admin keys only." : `Cannot read the audit: ${e.message}`, true); return; }
  say(`${rows.length} rows, newest first.`, false);
  document.querySelector("#rows tbody").replaceChildren(...rows.map(r => h("tr", {},
    h("td", {}, new Date(r.atMs).toLocaleString()), h("td", {}, r.tenant), h("td", {}, r.seq), h("td", {}, r.kind),
    h("td", { class: "mono" }, r.actor), h("td", { class: "mono" }, r.subject), h("td", {}, r.outcome), h("td", {}, r.reason),
    h("td", { class: "mono" }, r.detail))));
}

async function verify() {
  const out = document.getElementById("verification");
  out.replaceChildren("Checking the chain…");
  try {
    const results = await api(`/console/api/audit/verify?${params(["tenant", "anchor"])}`);
    out.replaceChildren(h("ul", { id: "verify-results" }, ...results.map(v => h("li", { class: v.ok ? "ok" : "error" },
      `${v.tenant}: ${v.ok ? "intact" : "BROKEN"}, ${v.rowsChecked} rows checked` + (v.anchored ? ", against the anchor" : "")
      + (v.ok ? "" : ` — at seq ${v.firstBadSeq}: ${v.problem}`)))));
  } catch (e) {
    out.replaceChildren(h("p", { class: "error" }, `Cannot verify: ${e.message}`));
  }
}

document.getElementById("filters").addEventListener("submit", e => { e.preventDefault(); load(); });
document.getElementById("verify-form").addEventListener("submit", e => { e.preventDefault(); verify(); });
load();
