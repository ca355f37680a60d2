// Shared by the pages: the GraphQL client, the sign-in form and a tiny DOM builder.
// Text always goes in through textContent (never innerHTML): names from the data stay text.
"use strict";

const CREDENTIAL_KEY = "custgraph.credential";

class SignInNeeded extends Error {}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// Bars and charts are SVG built here: no chart library, no inline style (the CSP forbids it).
const SVG_NS = "http://www.w3.org/2000/svg";
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function credential() {
  return sessionStorage.getItem(CREDENTIAL_KEY);
}

async function gql(query, variables) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const token = credential();
  if (token) headers.Authorization = "Bearer " + token;
  const response = await fetch("/graphql", {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables: variables || {} }),
    credentials: "omit",
  });
  if (response.status === 401) throw new SignInNeeded("sign in");
  const body = await response.json().catch(() => ({}));
  if (!response.ok && !body.data) throw new Error(body.message || body.error || "HTTP " + response.status);
  if (body.errors && body.errors.length) {
    const error = new Error(body.errors.map((e) => e.message).join("; "));
    error.codes = body.errors.map((e) => (e.extensions || {}).code);
    error.data = body.data;
    throw error;
  }
  return body.data;
}

// The sign-in form replaces `main`; once a credential works the page's `start` runs again.
function showSignIn(main, start, message) {
  const input = el("input", {
    type: "password",
    id: "credential",
    autocomplete: "off",
    placeholder: "cgk_… API key or a JWT",
    "aria-label": "API key or JWT",
  });
  const form = el(
    "form",
    { class: "signin", id: "signin" },
    el("h2", {}, "Sign in"),
    el("p", {}, message || "This page calls the customer-graph API with your credential: an API key (custgraph keys create) or a JWT."),
    input,
    el("button", { type: "submit" }, "Sign in"),
    el("p", { class: "muted" }, "Kept in this tab only (sessionStorage) and sent as Authorization: Bearer."),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) return;
    sessionStorage.setItem(CREDENTIAL_KEY, value);
    start();
  });
  main.replaceChildren(form);
  input.focus();
}

// A portal that frames a page may hand it the signed-in user's JWT instead of showing our sign-in:
// window.postMessage({type: "custgraph.credential", credential: jwt}, origin). Only the framing
// window is heard, and CUSTGRAPH_FRAME_ANCESTORS (the CSP) decides who may frame us at all.
function listenToPortal(start) {
  if (window.parent === window) return;
  window.addEventListener("message", (event) => {
    const data = event.data || {};
    if (event.source !== window.parent || data.type !== "custgraph.credential" || typeof data.credential !== "string") return;
    sessionStorage.setItem(CREDENTIAL_KEY, data.credential);
    start();
  });
  window.parent.postMessage({ type: "custgraph.ready" }, "*"); // says nothing secret: "send a credential"
}

function signOut() {
  sessionStorage.removeItem(CREDENTIAL_KEY);
  location.reload();
}

// Runs `load` and turns a 401 into the sign-in form, other failures into a message.
async function guarded(main, load) {
  const start = () => guarded(main, load);
  try {
    await load();
    showHeader(); // a credential that just worked gets its Sign out button
  } catch (error) {
    if (error instanceof SignInNeeded) {
      if (!guarded.listening) {
        guarded.listening = true;
        listenToPortal(start);
      }
      const had = credential();
      sessionStorage.removeItem(CREDENTIAL_KEY);
      showSignIn(main, start, had ? "That credential was refused. Try another." : null);
    } else {
      main.replaceChildren(el("p", { class: "error", role: "alert" }, error.message));
    }
  }
}

let currentPage = null;

function showHeader(current) {
  currentPage = current || currentPage;
  const old = document.querySelector("body > header");
  const fresh = header(currentPage);
  if (old) old.replaceWith(fresh);
  else document.body.prepend(fresh);
}

function header(current) {
  const link = (href, text) => el("a", { href, class: href === current ? "current" : null }, text);
  const out = el("button", { type: "button", class: "link", id: "signout", onclick: signOut }, "Sign out");
  const id = el("input", { type: "search", id: "goto", placeholder: "customer id, e.g. C000001", "aria-label": "open a customer" });
  const go = el("form", { class: "goto" }, id);
  go.addEventListener("submit", (event) => {
    event.preventDefault();
    if (id.value.trim()) location.assign("/customer/" + encodeURIComponent(id.value.trim()));
  });
  return el(
    "header",
    {},
    el("strong", {}, "customer-graph"),
    el("nav", {}, link("/review", "Review"), link("/quality", "Data quality"), link("/graphql", "GraphQL")),
    go,
    credential() ? out : null,
  );
}

function percent(share) {
  return share === null || share === undefined ? "–" : (share * 100).toFixed(share < 0.1 ? 1 : 0) + "%";
}

function toast(text) {
  let box = document.getElementById("toast");
  if (!box) {
    box = el("div", { id: "toast", role: "status", "aria-live": "polite" });
    document.body.append(box);
  }
  box.textContent = text;
}

// "/" jumps to the customer box on every page
document.addEventListener("keydown", (event) => {
  const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
  const box = document.getElementById("goto");
  if (event.key !== "/" || typing || !box) return;
  event.preventDefault();
  box.focus();
});
