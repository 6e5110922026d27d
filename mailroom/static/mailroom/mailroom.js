// Mailroom desk helpers. No inline script (CSP): everything hooks onto
// data- attributes.
(function () {
  "use strict";

  // A barcode scanner types the digits and then Enter. In the tracking
  // number box Enter must not submit a half-filled form: move on instead.
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !input.matches || !input.matches("[data-scan-input]")) {
      return;
    }
    event.preventDefault();
    var form = input.form;
    var fields = Array.prototype.slice.call(
      form.querySelectorAll("input:not([type=hidden]), select, textarea")
    ).filter(function (el) { return !el.closest(".d-none") && !el.disabled; });
    var next = fields[fields.indexOf(input) + 1];
    if (next) { next.focus(); }
  });

  // Show only the recipient fields of the chosen recipient type.
  var RECIPIENT_FIELDS = {
    unit: ["recipient_unit", "recipient_name"],
    department: ["recipient_department", "recipient_name"],
    staff: ["recipient_staff"],
    customer: ["recipient_name", "recipient_phone"]
  };
  var ALL_RECIPIENT = ["recipient_unit", "recipient_department", "recipient_staff", "recipient_name", "recipient_phone"];
  function syncRecipient(select) {
    var shown = RECIPIENT_FIELDS[select.value] || ALL_RECIPIENT;
    ALL_RECIPIENT.forEach(function (name) {
      var wrapper = document.getElementById("div_id_" + name);
      if (wrapper) { wrapper.classList.toggle("d-none", shown.indexOf(name) < 0); }
    });
  }
  // Show the ID box or the badge box, the cash amount or the ID tail.
  function syncToggle(radio) {
    var group = radio.name;
    var rules = {
      verification: { id_last4: ["id_last4"], staff_badge: ["staff_badge"] },
      deposit_kind: { cash: ["deposit_amount", "signature"], id_card: ["id_last4"] }
    }[group];
    if (!rules || !radio.checked) { return; }
    Object.keys(rules).forEach(function (value) {
      rules[value].forEach(function (name) {
        var wrapper = document.getElementById("div_id_" + name);
        if (wrapper) { wrapper.classList.toggle("d-none", value !== radio.value); }
      });
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-recipient-kind]")) { syncRecipient(event.target); }
    if (event.target.type === "radio") { syncToggle(event.target); }
  });

  // Signature pad: draw with mouse, pen or finger; the PNG goes into the
  // hidden input when the form is submitted.
  function setupPad(canvas) {
    var ctx = canvas.getContext("2d");
    var form = canvas.closest("form");
    var input = form.querySelector("input[name=" + (canvas.dataset.signaturePad || "signature") + "]");
    var drawing = false;
    var drawn = false;
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";
    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - rect.left) * (canvas.width / rect.width),
        y: (event.clientY - rect.top) * (canvas.height / rect.height)
      };
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      var p = point(event);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      drawn = true;
      canvas.classList.add("signed");
    });
    function stop() { drawing = false; }
    // A form that came back with an error (a missing name, a wrong ID)
    // still carries the signature the customer drew: paint it again and
    // keep it, so they need not sign twice.
    if (input && input.value.indexOf("data:image/png;base64,") === 0) {
      var previous = new Image();
      previous.onload = function () {
        ctx.drawImage(previous, 0, 0, canvas.width, canvas.height);
        drawn = true;
        canvas.classList.add("signed");
      };
      previous.src = input.value;
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    var clear = form.querySelector("[data-signature-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        canvas.classList.remove("signed");
        input.value = "";
      });
    }
    form.addEventListener("submit", function () {
      input.value = drawn ? canvas.toDataURL("image/png") : "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-recipient-kind]").forEach(syncRecipient);
    document.querySelectorAll("input[type=radio]:checked").forEach(syncToggle);
    document.querySelectorAll("canvas[data-signature-pad]").forEach(setupPad);
  });
})();
