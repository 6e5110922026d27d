// Keyboard-first desk: "/" focuses the search box (when there is one).
document.addEventListener("keydown", function (event) {
  var target = event.target;
  var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
  if (event.key === "/" && !typing) {
    var box = document.querySelector("[data-search-box]");
    if (box) {
      event.preventDefault();
      box.focus();
    }
  }
});
// Print buttons: <button data-print>.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
// Irreversible one-click actions: <form data-confirm="question"> asks first.
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// Shared desk PCs log out after IDLE_TIMEOUT_MINUTES without a request, and
// typing makes none. So: typing counts (a keep-alive at most once a minute),
// a warning comes before the logout, and what is typed into a form is kept
// on this PC (per user and page) until it is saved, then filled back in
// after signing in again. An explicit "log out" discards the drafts.
(function () {
  "use strict";
  var body = document.body;
  var user = body.getAttribute("data-user");
  var DRAFT_PREFIX = "draft:";
  var DRAFT_HOURS = 8;
  var SUBMITTED = "draft-submitted";

  function draftKey(form) {
    return DRAFT_PREFIX + user + ":" + location.pathname + ":" + (form.getAttribute("action") || "");
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      var type = (el.type || "").toLowerCase();
      return el.name && !el.disabled && ["hidden", "password", "file", "submit", "button"].indexOf(type) < 0;
    });
  }

  function draftable(form) {
    return user && (form.method || "").toLowerCase() === "post" && !form.hasAttribute("data-no-draft") &&
      draftFields(form).some(function (el) { return el.tagName === "TEXTAREA" || el.type === "text"; });
  }

  function read(form) {
    var values = {};
    draftFields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { (values[el.name] = values[el.name] || []).push(el.value); }
      } else if (el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
      } else if (el.value) {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function typed(values) {
    return Object.keys(values).some(function (name) {
      var value = values[name];
      return typeof value === "string" && value.trim() !== "";
    });
  }

  function save(form) {
    var values = read(form);
    try {
      if (typed(values)) {
        localStorage.setItem(draftKey(form), JSON.stringify({ at: Date.now(), values: values }));
      } else {
        localStorage.removeItem(draftKey(form));
      }
    } catch (e) { /* storage full or disabled: nothing kept */ }
  }

  function restore(form, values) {
    draftFields(form).forEach(function (el) {
      if (!(el.name in values)) { return; }
      var value = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = value.indexOf(el.value) >= 0;
      } else if (el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) >= 0; });
      } else {
        el.value = value;
      }
    });
  }

  function forgetOld() {
    var limit = Date.now() - DRAFT_HOURS * 3600 * 1000;
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var key = localStorage.key(i);
      if (key && key.indexOf(DRAFT_PREFIX) === 0) {
        try {
          if (JSON.parse(localStorage.getItem(key)).at < limit) { localStorage.removeItem(key); }
        } catch (e) { localStorage.removeItem(key); }
      }
    }
  }

  function forgetUser() {
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var key = localStorage.key(i);
      if (key && key.indexOf(DRAFT_PREFIX + user + ":") === 0) { localStorage.removeItem(key); }
    }
  }

  if (user) {
    try {
      forgetOld();
      // The form sent last time was saved if its answer moved to another
      // page or said so; its draft then goes. It stays when the answer was
      // the login page (the session had ended: that page has no user, and
      // signing in comes back here) or the form came back with errors.
      var submitted = JSON.parse(sessionStorage.getItem(SUBMITTED) || "null");
      if (submitted) {
        sessionStorage.removeItem(SUBMITTED);
        if (submitted.path !== location.pathname || document.querySelector(".alert-success")) {
          localStorage.removeItem(submitted.key);
        }
      }
    } catch (e) { /* storage disabled */ }
    var restoredAny = false;
    Array.prototype.forEach.call(document.forms, function (form) {
      if (!draftable(form)) { return; }
      var stored = null;
      try { stored = JSON.parse(localStorage.getItem(draftKey(form)) || "null"); } catch (e) { stored = null; }
      // Not into a form the server sent back with errors: it already holds
      // what the user sent.
      if (stored && !form.querySelector(".is-invalid, .invalid-feedback") &&
          JSON.stringify(stored.values) !== JSON.stringify(read(form))) {
        restore(form, stored.values);
        restoredAny = true;
      }
      var pending = null;
      form.addEventListener("input", function () {
        clearTimeout(pending);
        pending = setTimeout(function () { save(form); }, 300);
      });
      form.addEventListener("change", function () { save(form); });
      form.addEventListener("submit", function () {
        save(form);
        try {
          sessionStorage.setItem(SUBMITTED, JSON.stringify({ key: draftKey(form), path: location.pathname }));
        } catch (e) { /* ignore */ }
      });
    });
    var banner = document.querySelector("[data-draft-restored]");
    if (restoredAny && banner) {
      banner.classList.remove("d-none");
      banner.querySelector("[data-draft-discard]").addEventListener("click", function () {
        Array.prototype.forEach.call(document.forms, function (form) {
          if (draftable(form)) { localStorage.removeItem(draftKey(form)); form.reset(); }
        });
        banner.classList.add("d-none");
      });
    }
    document.addEventListener("submit", function (event) {
      if (event.target.hasAttribute("data-drafts-clear")) { forgetUser(); }
    });
  }

  var idleSeconds = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  var keepaliveUrl = body.getAttribute("data-keepalive-url");
  if (!idleSeconds || !keepaliveUrl) { return; }
  var warning = document.querySelector("[data-idle-warning]");
  var ended = document.querySelector("[data-idle-ended]");
  // Warn two minutes ahead (less on a very short timeout).
  var leadSeconds = Math.min(120, idleSeconds / 4);
  var lastRequest = Date.now();
  var lastTyping = 0;
  var over = false;

  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function keepAlive() {
    lastRequest = Date.now();
    return fetch(keepaliveUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf() } })
      .then(function (response) { if (response.status === 401) { end(); } })
      .catch(function () { /* offline: the next tick tries again */ });
  }

  function end() {
    over = true;
    warning.classList.add("d-none");
    ended.classList.remove("d-none");
  }

  document.addEventListener("input", function () {
    lastTyping = Date.now();
  }, true);
  document.addEventListener("htmx:afterRequest", function () { lastRequest = Date.now(); });

  setInterval(function () {
    if (over) { return; }
    var now = Date.now();
    // Typing since the last request keeps the session, at most once a minute.
    if (lastTyping > lastRequest && now - lastRequest > 60 * 1000) { keepAlive(); return; }
    var idle = (now - lastRequest) / 1000;
    if (idle >= idleSeconds) { end(); } else if (idle >= idleSeconds - leadSeconds) { warning.classList.remove("d-none"); }
  }, 1000);

  warning.querySelector("[data-idle-stay]").addEventListener("click", function () {
    warning.classList.add("d-none");
    keepAlive();
  });
})();
