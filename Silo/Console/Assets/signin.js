// The sign-in form: the key goes to POST /signin with the intent header (no other site can send it),
// the server sets the HttpOnly cookie, and the browser goes back where it was sent from (the server
// checks that it is a path on this site). A refusal is said in the alert region and the key field
// keeps the focus, marked invalid.
"use strict";
{
  const form = document.getElementById("signin");
  const key = document.getElementById("key");
  const button = document.getElementById("signin-button");
  const refuse = text => {
    say(text, true);
    key.setAttribute("aria-invalid", "true");
    key.focus();
    key.select();
  };
  form.addEventListener("submit", async e => {
    e.preventDefault();
    if (!key.value.trim()) { refuse("Enter an API key."); return; }
    button.disabled = true;
    say("Signing in…");
    try {
      const wanted = new URLSearchParams(location.search).get("return") || "/";
      const response = await fetch("/signin", {
        method: "POST", headers: intent, credentials: "same-origin",
        body: JSON.stringify({ key: key.value, return: wanted }),
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) { refuse(answer.error || `Sign-in failed (HTTP ${response.status}).`); return; }
      key.value = "";
      key.removeAttribute("aria-invalid");
      say("Signed in.");
      location.assign(answer.next);
    } catch (err) {
      refuse(`Sign-in failed: ${err.message}`);
    } finally {
      button.disabled = false;
    }
  });
  key.focus();
}
