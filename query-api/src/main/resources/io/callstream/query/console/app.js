// The console: sign-in, the header, and a hash router that gives each section the page.

import { ApiError, saveSession, session, signIn } from "./api.js";
import { h, route } from "./dom.js";
import * as search from "./search.js";
import * as calls from "./calls.js";
import * as call from "./call.js";
import * as callbacks from "./callbacks.js";
import * as live from "./live.js";
import * as stats from "./stats.js";
import * as deadLetters from "./dead-letters.js";

const VIEWS = {
  "/search": search,
  "/calls": calls,
  "/callbacks": callbacks,
  "/live": live,
  "/stats": stats,
  "/dead-letters": deadLetters,
};

const main = document.getElementById("main");
const notice = document.getElementById("notice");
let current = null;

/** Shows what went wrong in words; never leaves a blank page. */
export function showError(error) {
  notice.textContent = error instanceof ApiError || error?.message ? error.message : String(error);
}

function clearError() {
  notice.textContent = "";
}

function header(reader) {
  document.getElementById("nav").hidden = !reader;
  document.getElementById("who").hidden = !reader;
  if (!reader) {
    return;
  }
  document.getElementById("reader").textContent =
    reader.role === "operator" ? "operator" : `tenant ${reader.tenant}`;
  const choice = document.getElementById("tenant-choice");
  const label = document.getElementById("tenant-label");
  choice.hidden = label.hidden = reader.role !== "operator";
  if (reader.role === "operator") {
    choice.replaceChildren(
      ...reader.tenants.map((t) =>
        h("option", { value: t.tenant, selected: t.tenant === reader.tenant }, t.tenant),
      ),
    );
  }
  const { path } = route();
  for (const link of document.querySelectorAll("#nav a")) {
    if (path.startsWith(link.getAttribute("href").slice(1))) {
      link.setAttribute("aria-current", "page");
    } else {
      link.removeAttribute("aria-current");
    }
  }
}

function signInPage() {
  const key = h("input", {
    id: "key",
    type: "password",
    name: "key",
    autocomplete: "off",
    required: true,
    "aria-describedby": "key-help",
  });
  const form = h(
    "form",
    {
      class: "card signin",
      onsubmit: async (event) => {
        event.preventDefault();
        clearError();
        try {
          await signIn(key.value.trim());
          location.hash = "#/search";
          render();
        } catch (e) {
          showError(e.status === 401 ? "That key is not valid: check it and try again." : e);
        }
      },
    },
    h("h1", {}, "Sign in"),
    h("label", { for: "key" }, "Read key"),
    key,
    h(
      "p",
      { id: "key-help", class: "muted" },
      "A tenant's read key or an operator key. It is kept for this browser tab only.",
    ),
    h("button", { type: "submit" }, "Sign in"),
  );
  main.replaceChildren(form);
  key.focus();
}

async function render() {
  current?.abort();
  current = new AbortController();
  const reader = session();
  header(reader);
  clearError();
  if (!reader) {
    signInPage();
    return;
  }
  const { path, params } = route();
  const view = path.startsWith("/calls/") ? call : VIEWS[path] || search;
  main.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  const signal = current.signal;
  try {
    await view.render(main, params, signal, path);
    if (!signal.aborted) {
      main.querySelector("h1")?.setAttribute("tabindex", "-1");
      if (document.activeElement === document.body) {
        main.focus();
      }
    }
  } catch (e) {
    if (signal.aborted || e.name === "AbortError") {
      return;
    }
    if (e.status === 401) {
      saveSession(null);
      render();
      showError("The key is no longer valid: sign in again.");
      return;
    }
    main.replaceChildren(h("h1", {}, "Something went wrong"));
    showError(e);
  }
}

document.getElementById("sign-out").addEventListener("click", () => {
  saveSession(null);
  location.hash = "";
  render();
});
document.getElementById("tenant-choice").addEventListener("change", (event) => {
  const reader = session();
  const chosen = reader.tenants.find((t) => t.tenant === event.target.value);
  saveSession({ ...reader, tenant: chosen.tenant, zone: chosen.time_zone });
  render();
});
window.addEventListener("hashchange", render);
render();
