// The approval console. Everything from the server is shown with textContent, never as HTML:
// payloads and reasons come from agents and must not be able to script this page.
//
// Rows never move under the pointer: new approvals are added at the bottom, and one that is no
// longer pending (decided here or elsewhere, expired) stays where it is, greyed out, while the
// pointer is over the table; it goes only on a refresh when the pointer is elsewhere. Approve
// asks first: Cancel takes the place of Approve, so a double click cancels rather than confirms.
"use strict";

const intent = { "X-AgentCluster-Console": "1", "Content-Type": "application/json" };
const table = document.getElementById("approvals");
const body = table.querySelector("tbody");
const status = document.getElementById("status");
const rows = new Map();

function say(text, error) {
  status.textContent = text;
  status.className = error ? "error" : "";
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function button(text, className, onClick) {
  const b = document.createElement("button");
  b.textContent = text;
  b.className = className;
  b.addEventListener("click", onClick);
  return b;
}

// Greyed out and inert, but the same size: nothing below it moves.
function settle(id, text) {
  const row = rows.get(id);
  if (!row) return;
  row.className = "settled";
  row.querySelectorAll("button, input").forEach(e => { e.disabled = true; });
  row.querySelector(".state").textContent = text;
}

async function decide(id, verb, note) {
  const response = await fetch(`/approvals/api/${encodeURIComponent(id)}/${verb}`, {
    method: "POST", headers: intent, body: JSON.stringify({ note }), credentials: "same-origin",
  });
  const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (response.ok) {
    // The next periodic refresh takes the row away, once the pointer has left the table: not at
    // once, since the confirm step's question, now hidden, may have narrowed the table from under it.
    say(`${answer.action} (${answer.id}) is ${answer.status}.`, false);
    settle(id, answer.status);
  } else {
    say(`Could not ${verb} ${id}: ${answer.error}`, true);
    await refresh();
  }
}

// What is asked, readably (method, URL, amount, recipient, …), then the redacted payload it was made from.
function payload(row, a) {
  const td = cell(row, (a.summary || []).join("\n"), "payload");
  const raw = document.createElement("details");
  const label = document.createElement("summary");
  label.textContent = "redacted payload";
  const text = document.createElement("div");
  text.textContent = a.redactedPayload;
  raw.append(label, text);
  td.append(raw);
}

// The deadline in the browser's time zone, which it names (e.g. 14:05:03 CET), so nobody misreads it.
function deadline(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "long" });
}

// Who is signed in; a key that may read but not decide is told so, instead of being shown buttons that fail.
let canDecide = true;
async function whoAmI() {
  const response = await fetch("/approvals/api/me", { credentials: "same-origin" });
  if (!response.ok) return;
  const me = await response.json();
  canDecide = me.canDecide;
  document.getElementById("key").textContent =
    `Signed in with ${me.keyId} (tenant ${me.tenant}; roles ${me.roles.join(", ")})` +
    (me.clusterAdmin ? ": a cluster admin sees every tenant's approvals." : ".");
  const readonly = document.getElementById("readonly");
  readonly.hidden = canDecide;
  readonly.textContent = canDecide ? "" :
    "This key has no approver role: it sees what is pending but cannot approve or deny. " +
    "Sign in with an approver key (agentctl keys create --tenant NAME --role approver).";
}

function add(a) {
  const row = body.insertRow();
  row.dataset.id = a.id;
  cell(row, a.tenant, "tenant");
  cell(row, a.action);
  cell(row, a.risk, "risk").title = a.reason;
  cell(row, a.session);
  payload(row, a);
  cell(row, deadline(a.deadline), "deadline");
  const actions = row.insertCell();
  rows.set(a.id, row);
  if (!canDecide) return;
  const choose = document.createElement("span");
  const confirming = document.createElement("span");
  confirming.hidden = true;
  const reason = document.createElement("input");
  reason.className = "reason";
  reason.placeholder = "reason to deny";
  choose.append(
    button("Approve", "approve", () => { choose.hidden = true; confirming.hidden = false; }),
    button("Deny", "deny", () => {
      if (!reason.value.trim()) { say("A denial needs a reason.", true); return; }
      decide(a.id, "deny", reason.value);
    }),
    reason);
  const question = document.createElement("span");
  question.className = "confirm-question";
  question.textContent = `Approve ${a.action} with ${a.redactedPayload}?`;
  confirming.append(
    button("Cancel", "cancel", () => { confirming.hidden = true; choose.hidden = false; }),
    button("Confirm approve", "confirm", () => { confirming.hidden = true; choose.hidden = false; decide(a.id, "approve", ""); }),
    question);
  const state = document.createElement("span");
  state.className = "state";
  actions.append(choose, confirming, state);
}

function render(approvals) {
  const pending = new Set(approvals.map(a => a.id));
  const pointerOver = table.matches(":hover");
  for (const [id, row] of rows) {
    if (pending.has(id)) continue;
    if (pointerOver) {
      if (row.className !== "settled") settle(id, "no longer pending");
    } else {
      row.remove();
      rows.delete(id);
    }
  }
  for (const a of approvals) {
    if (!rows.has(a.id)) add(a);
  }
  document.getElementById("empty").hidden = rows.size > 0;
}

async function refresh() {
  try {
    const response = await fetch("/approvals/api/pending", { credentials: "same-origin" });
    if (!response.ok) { say(`Cannot list approvals: HTTP ${response.status}`, true); return; }
    render(await response.json());
  } catch (e) {
    say(`Cannot reach the cluster: ${e.message}`, true);
  }
}

// Typing a reason must not be wiped by the refresh: skip it while a reason field has focus.
setInterval(() => { if (!(document.activeElement instanceof HTMLInputElement)) refresh(); }, 2000);
whoAmI().finally(refresh);
