// What every console page shares. Everything from the server goes into the page as text, never as
// HTML: ids, payloads and reasons may come from agents, and must not be able to script the console.
"use strict";

// A browser signed in by cookie finds its sign-in's anti-forgery token in the page (the server
// insists on it, beside the intent header, for every state change of that browser).
const csrf = document.querySelector('meta[name="agc-csrf"]')?.getAttribute("content");
const intent = { "X-AgentCluster-Console": "1", "Content-Type": "application/json", ...(csrf ? { "X-AgentCluster-Csrf": csrf } : {}) };

// A sign-in that ended (signed out elsewhere, expired, its key revoked) sends the page to sign in again.
function signInAgain(response) {
  if (response.status === 401 && csrf) location.assign(`/signin?return=${encodeURIComponent(location.pathname + location.search)}`);
}

// An element with attributes and children (strings become text nodes).
function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

// A list drawn again must not throw the keyboard out of it: the control with the same data-focus
// (a session's link, a host's button) gets the focus back in its new row.
function redraw(container, draw) {
  const key = container.contains(document.activeElement) ? document.activeElement.dataset.focus : undefined;
  draw();
  if (key) [...container.querySelectorAll("[data-focus]")].find(e => e.dataset.focus === key)?.focus();
}

// A confirmation asked in place: it takes the focus (on its first button, Cancel), and Escape or
// Cancel puts it away and gives the focus back to the button that asked.
function confirmation(opener, panel, hide) {
  const close = () => { hide(); opener.focus(); };
  panel.addEventListener("keydown", e => { if (e.key === "Escape") { e.preventDefault(); close(); } });
  return { open: () => panel.querySelector("button")?.focus(), close };
}

function say(text, error) {
  const status = document.getElementById("status");
  if (!status) return;
  status.textContent = text;
  status.className = error ? "error" : "";
}

// A GET of the console's API as JSON; a refusal becomes an Error carrying the status and the server's words.
async function api(path) {
  const response = await fetch(path, { credentials: "same-origin" });
  signInAgain(response);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(body.error || `HTTP ${response.status}`), { status: response.status });
  return body;
}

// A state change: always with the intent header (the CSRF guard the server insists on).
async function post(path, body) {
  const response = await fetch(path, { method: "POST", headers: intent, body: JSON.stringify(body || {}), credentials: "same-origin" });
  signInAgain(response);
  const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw Object.assign(new Error(answer.error || `HTTP ${response.status}`), { status: response.status });
  return answer;
}

// "4m 05s", "1h 02m", "passed": the time left until an ISO instant, by this browser's clock.
function left(iso) {
  let s = Math.round((new Date(iso) - Date.now()) / 1000);
  if (s <= 0) return "passed";
  const d = Math.floor(s / 86400), hh = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  s %= 60;
  if (d > 0) return `${d}d ${hh}h`;
  if (hh > 0) return `${hh}h ${String(m).padStart(2, "0")}m`;
  return `${m}m ${String(s).padStart(2, "0")}s`;
}

function age(iso) {
  const s = Math.max(0, Math.round((Date.now() - new Date(iso)) / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : s < 86400 ? `${Math.floor(s / 3600)}h ${Math.floor(s % 3600 / 60)}m` : `${Math.floor(s / 86400)}d`;
}

function when(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "long" });
}

// A countdown: the text updates every second; the full time is in its title.
function countdown(iso) {
  return h("time", { class: "countdown", "data-deadline": iso, datetime: iso, title: when(iso) }, left(iso));
}
function ticks(cls, format) {
  setInterval(() => document.querySelectorAll(cls).forEach(e => { e.textContent = format(e.getAttribute("datetime")); }), 1000);
}
ticks("time.countdown", left);
ticks("time.age", age);

// Sign out (in the navigation bar of a browser signed in by cookie): the server forgets the sign-in
// and the cookie, and the browser goes to the sign-in page.
document.getElementById("signout")?.addEventListener("click", async e => {
  const button = e.currentTarget;
  button.disabled = true;
  try {
    location.assign((await post("/signout")).next);
  } catch (err) {
    button.disabled = false;
    say(`Sign out failed: ${err.message}`, true);
  }
});

// The navigation bar marks where we are (the server's HTML lists the same links on every page).
for (const a of document.querySelectorAll("nav.console a[href]")) {
  const href = a.getAttribute("href");
  if (href !== "/" && location.pathname.startsWith(href.replace(/\/$/, ""))) a.setAttribute("aria-current", "page");
}

// On a phone each table is a stack of cards (shell.css): every body cell carries its column's name.
function labelCells() {
  for (const table of document.querySelectorAll("main table")) {
    const names = [...table.querySelectorAll("thead th")].map(th => th.textContent.trim());
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        [...row.cells].forEach((td, i) => { if (names[i] && td.dataset.label !== names[i]) td.dataset.label = names[i]; });
      }
    }
  }
}
{
  const main = document.querySelector("main");
  if (main) new MutationObserver(labelCells).observe(main, { childList: true, subtree: true });
  labelCells();
}
