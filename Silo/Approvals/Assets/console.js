// The approval console. Everything from the server is shown with textContent, never as HTML:
// payloads and reasons come from agents and must not be able to script this page.
"use strict";

const intent = { "X-AgentCluster-Console": "1", "Content-Type": "application/json" };
const body = document.querySelector("#approvals tbody");
const status = document.getElementById("status");

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

async function decide(id, verb, note) {
  const response = await fetch(`/approvals/api/${encodeURIComponent(id)}/${verb}`, {
    method: "POST", headers: intent, body: JSON.stringify({ note }), credentials: "same-origin",
  });
  const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (response.ok) say(`${answer.action} (${answer.id}) is ${answer.status}.`, false);
  else say(`Could not ${verb} ${id}: ${answer.error}`, true);
  await refresh();
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

function render(approvals) {
  body.replaceChildren();
  document.getElementById("empty").hidden = approvals.length > 0;
  for (const a of approvals) {
    const row = body.insertRow();
    row.dataset.id = a.id;
    cell(row, a.tenant, "tenant");
    cell(row, a.action);
    cell(row, a.risk, "risk").title = a.reason;
    cell(row, a.session);
    payload(row, a);
    cell(row, deadline(a.deadline), "deadline");
    const actions = row.insertCell();
    if (!canDecide) continue;
    const approve = document.createElement("button");
    approve.textContent = "Approve";
    approve.className = "approve";
    approve.addEventListener("click", () => decide(a.id, "approve", ""));
    const reason = document.createElement("input");
    reason.className = "reason";
    reason.placeholder = "reason to deny";
    const deny = document.createElement("button");
    deny.textContent = "Deny";
    deny.className = "deny";
    deny.addEventListener("click", () => {
      if (!reason.value.trim()) { say("A denial needs a reason.", true); return; }
      decide(a.id, "deny", reason.value);
    });
    actions.append(approve, deny, reason);
  }
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
