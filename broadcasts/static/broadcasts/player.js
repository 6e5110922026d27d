// Entrance screen player: polls its JSON payload, rotates the live
// messages, shows an emergency above everything and keeps playing the last
// good playlist (memory, then localStorage) when the server is unreachable.
(function () {
  "use strict";
  var root = document.getElementById("player");
  if (!root) { return; }
  var url = root.getAttribute("data-payload-url");
  var storageKey = root.getAttribute("data-storage-key");
  var slide = document.getElementById("slide");
  var idle = document.getElementById("idle");
  var emergency = document.getElementById("emergency");
  var status = document.getElementById("status");
  var pollSeconds = 15;
  var playlist = null;
  var signature = "";
  var index = -1;
  var timer = null;

  function show(el, on) { el.classList.toggle("hidden", !on); }

  function sign(payload) {
    return JSON.stringify([payload.emergency, payload.messages]);
  }

  // A long text (300 characters is allowed) or one beside an image must not
  // run off the screen: shrink the text until the slide fits its frame.
  function fit(frame, text, fromVh) {
    var size = fromVh;
    text.style.fontSize = size + "vh";
    while (frame.scrollHeight > frame.clientHeight && size > 1.5) {
      size -= 0.25;
      text.style.fontSize = size + "vh";
    }
  }

  function render(message) {
    slide.querySelector(".slide-title").textContent = message.title;
    var text = slide.querySelector(".slide-text");
    text.textContent = message.text;
    var img = slide.querySelector(".slide-image");
    if (message.image) { img.src = message.image; show(img, true); } else { img.removeAttribute("src"); show(img, false); }
    slide.setAttribute("data-message-id", String(message.id));
    show(slide, true);
    fit(slide, text, 5);
    if (message.image && !img.complete) { img.onload = function () { fit(slide, text, 5); }; }
  }

  function next() {
    clearTimeout(timer);
    var messages = (playlist && playlist.messages) || [];
    if (playlist && playlist.emergency) {
      emergency.querySelector(".emergency-title").textContent = playlist.emergency.title;
      emergency.querySelector(".emergency-text").textContent = playlist.emergency.text;
      show(emergency, true); show(slide, false); show(idle, false);
      fit(emergency, emergency.querySelector(".emergency-text"), 6);
      root.setAttribute("data-emergency-id", String(playlist.emergency.id));
      timer = setTimeout(next, 5000);
      return;
    }
    show(emergency, false);
    root.removeAttribute("data-emergency-id");
    if (!messages.length) {
      show(slide, false); show(idle, true);
      slide.removeAttribute("data-message-id");
      timer = setTimeout(next, 5000);
      return;
    }
    index = (index + 1) % messages.length;
    render(messages[index]);
    show(idle, false); show(slide, true);
    timer = setTimeout(next, Math.max(3, messages[index].duration) * 1000);
  }

  function apply(payload) {
    playlist = payload;
    pollSeconds = Math.min(Math.max(payload.poll_seconds || 15, 5), 30);
    root.setAttribute("data-message-ids", payload.messages.map(function (m) { return m.id; }).join(","));
    var s = sign(payload);
    if (s !== signature) {
      signature = s;
      index = -1;
      next();
    }
  }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", url, true);
    request.setRequestHeader("Accept", "application/json");
    request.timeout = 8000;
    request.onload = function () {
      if (request.status === 200) {
        try {
          var payload = JSON.parse(request.responseText);
          apply(payload);
          try { localStorage.setItem(storageKey, request.responseText); } catch (e) { /* full or disabled */ }
          status.textContent = "";
          root.setAttribute("data-online", "true");
        } catch (e) { offline(); }
      } else { offline(); }
      setTimeout(poll, pollSeconds * 1000);
    };
    request.onerror = request.ontimeout = function () { offline(); setTimeout(poll, pollSeconds * 1000); };
    request.send();
  }

  function offline() {
    // Keep showing what we have; fall back to the stored playlist after a restart.
    root.setAttribute("data-online", "false");
    status.textContent = "\u25CF";
    if (!playlist) {
      try {
        var saved = localStorage.getItem(storageKey);
        if (saved) { apply(JSON.parse(saved)); }
      } catch (e) { /* nothing stored */ }
    }
  }

  poll();
})();
