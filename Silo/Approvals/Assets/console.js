// The approvals page. Everything from the server is shown with textContent, never as HTML:
// payloads and reasons come from agents and must not be able to script this page.
//
// Rows never move under the pointer: new approvals are added at the bottom, and one that is no
// longer pending (decided here or elsewhere, expired) stays where it is, greyed out, while the
// pointer is over the table; it goes only on a refresh when the pointer is elsewhere. A row's
// screen box has one size whether its picture has come or not. Approve and Deny each ask first:
// Cancel takes the place of the button pressed, so a double click cancels rather than confirms.
"use strict";

const table = document.getElementById("approvals");
const body = table.querySelector("tbody");
const rows = new Map();

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function button(text, className, onClick) {
  return h("button", { type: "button", class: className, onclick: onClick }, text);
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
  try {
    // The next periodic refresh takes the row away, once the pointer has left the table: not at
    // once, since the confirm step's question, now hidden, may have narrowed the table from under it.
    const answer = await post(`/approvals/api/${encodeURIComponent(id)}/${verb}`, { note });
    say(`${answer.action} (${answer.id}) is ${answer.status}.`, false);
    settle(id, answer.status);
  } catch (e) {
    say(`Could not ${verb} ${id}: ${e.message}`, true);
    await refresh();
  }
}

// What is asked, readably (method, URL, amount, recipient, …), then the redacted payload it was made from.
function payload(row, a) {
  const td = cell(row, (a.summary || []).join("\n"), "payload");
  td.append(h("details", {}, h("summary", {}, "redacted payload"), h("div", {}, a.redactedPayload)));
}

// The screen the session showed when the action was asked for: the silo took it, not the agent.
function screenBox(a) {
  const box = h("div", { class: "screen-box" }, "no screenshot");
  showScreen(box, a);
  return box;
}
function showScreen(box, a) {
  if (!a.hasScreen || box.querySelector("img")) return;
  const src = `/approvals/api/${encodeURIComponent(a.id)}/screen.png`;
  box.replaceChildren(h("a", { href: src, title: "open the screenshot full size" },
    h("img", { class: "approval-screen", src, alt: `the screen of session ${a.session} when it asked for ${a.action}` })));
}

// Who is signed in; a key that may read but not decide is told so, instead of being shown buttons that fail.
let canDecide = true;
async function whoAmI() {
  const me = await api("/approvals/api/me").catch(() => null);
  if (!me) return;
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

// Two steps for each decision: the first shows the question and puts Cancel where the button was.
// The question takes the keyboard's focus (on Cancel); Escape or Cancel gives it back to the button.
let questions = 0;
function decisions(a, td) {
  const n = ++questions;
  const choose = h("span");
  const confirmApprove = h("span", { hidden: true, role: "group", "aria-labelledby": `approve-question-${n}` });
  const confirmDeny = h("span", { hidden: true, role: "group", "aria-labelledby": `deny-question-${n}` });
  const reason = h("input", { class: "reason", placeholder: "reason to deny (required)", "aria-label": `reason to deny ${a.action} ${a.id}` });
  const comment = h("input", { class: "comment", placeholder: "comment (optional)", "aria-label": `comment on approving ${a.action} ${a.id}` });
  const back = () => { confirmApprove.hidden = true; confirmDeny.hidden = true; choose.hidden = false; };
  const approve = button("Approve", "approve", () => { choose.hidden = true; confirmApprove.hidden = false; approveQuestion.open(); });
  const deny = button("Deny", "deny", () => {
    if (!reason.value.trim()) { say("A denial needs a reason.", true); reason.focus(); return; }
    choose.hidden = true; confirmDeny.hidden = false; denyQuestion.open();
  });
  const approveQuestion = confirmation(approve, confirmApprove, back);
  const denyQuestion = confirmation(deny, confirmDeny, back);
  choose.append(approve, deny, reason);
  confirmApprove.append(
    button("Cancel", "cancel", approveQuestion.close),
    button("Confirm approve", "confirm", () => { back(); decide(a.id, "approve", comment.value); }),
    comment,
    h("span", { class: "confirm-question", id: `approve-question-${n}` }, `Approve ${a.action} with ${a.redactedPayload}?`));
  confirmDeny.append(
    button("Cancel", "cancel-deny", denyQuestion.close),
    button("Confirm deny", "confirm-deny", () => { back(); decide(a.id, "deny", reason.value); }),
    h("span", { class: "deny-question", id: `deny-question-${n}` }, `Deny ${a.action}?`));
  td.append(choose, confirmApprove, confirmDeny);
}

function add(a) {
  const row = body.insertRow();
  row.dataset.id = a.id;
  cell(row, a.tenant, "tenant");
  cell(row, a.action);
  cell(row, a.risk, "risk").title = a.reason;
  row.insertCell().append(h("a", { href: `/console/sessions/${encodeURIComponent(a.session)}`, class: "mono" }, a.session));
  payload(row, a);
  row.insertCell().append(screenBox(a));
  const deadline = cell(row, when(a.deadline), "deadline");
  deadline.append(h("br"), " in ", countdown(a.deadline)); // the space keeps "GMT+1" a word of its own in the cell's text
  const actions = row.insertCell();
  rows.set(a.id, row);
  if (canDecide) decisions(a, actions);
  actions.append(h("span", { class: "state" }));
}

function render(approvals) {
  const pending = new Map(approvals.map(a => [a.id, a]));
  const pointerOver = table.matches(":hover");
  for (const [id, row] of rows) {
    if (pending.has(id)) { showScreen(row.querySelector(".screen-box"), pending.get(id)); continue; }
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
    render(await api("/approvals/api/pending"));
  } catch (e) {
    say(e.status ? `Cannot list approvals: ${e.message}` : `Cannot reach the cluster: ${e.message}`, true);
  }
}

async function history() {
  try {
    const closed = await api("/approvals/api/history");
    document.querySelector("#history tbody").replaceChildren(...closed.map(a => h("tr", { "data-id": a.id },
      h("td", {}, a.decidedAt ? when(a.decidedAt) : ""), h("td", {}, a.tenant), h("td", {}, a.action),
      h("td", { class: "mono" }, a.session), h("td", { class: "payload" }, (a.summary || []).join("\n")),
      h("td", {}, screenBox(a)), h("td", { class: "status" }, a.status), h("td", {}, a.decidedBy || ""), h("td", {}, a.note || ""))));
  } catch (e) {
    say(`Cannot list decided approvals: ${e.message}`, true);
  }
}

// Tabs: Pending and History, with the arrow keys moving between them as a tab list should.
const tabs = [document.getElementById("tab-pending"), document.getElementById("tab-history")];
function show(tab) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", on);
    t.tabIndex = on ? 0 : -1;
    document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
  }
  if (tab === tabs[1]) history();
}
tabs.forEach((t, i) => {
  t.addEventListener("click", () => show(t));
  t.addEventListener("keydown", e => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const next = tabs[(i + 1) % tabs.length];
    show(next); next.focus();
  });
});

// Typing a reason must not be wiped by the refresh: skip it while a field has focus.
setInterval(() => {
  if (document.visibilityState !== "visible") return;
  if (!(document.activeElement instanceof HTMLInputElement)) refresh();
  if (!document.getElementById("history-panel").hidden) history();
}, 2000);
whoAmI().finally(refresh);
