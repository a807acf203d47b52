// Chatterfy Postbacks dashboard: the few behaviours plain HTML cannot give. Loaded from the package (no inline script:
// the Content-Security-Policy forbids it). Everything works without it except the Copy buttons.
(function () {
  "use strict";

  // <button type="button" data-copy="element-id">Copy</button> copies that element's text and says so next to it.
  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target || !navigator.clipboard) { return; }
    var text = target.value !== undefined && target.tagName !== "CODE" ? target.value : target.textContent;
    navigator.clipboard.writeText(text.trim()).then(function () {
      var status = document.getElementById(button.getAttribute("data-copy") + "-status");
      if (status) { status.textContent = "Copied"; }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (button) {
      event.preventDefault();
      copy(button);
    }
  });

  // <form data-confirm="Delete …?"> asks before submitting (the page also says it in text, for users without script).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // A <select data-submit-on-change> in a GET filter form applies at once.
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-submit-on-change]")) {
      event.target.form.requestSubmit();
    }
  });
})();

// Postbacks: <form data-carry="name campaignId"> (a GET form that re-renders a page, e.g. for another network) first
// copies the current values of those inputs into its own hidden fields of the same names, so nothing typed is lost.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var carry = form.getAttribute && form.getAttribute("data-carry");
    if (!carry) { return; }
    carry.split(" ").forEach(function (id) {
      var source = document.getElementById(id);
      var target = form.querySelector("input[type=hidden][name='" + id + "']");
      if (source && target) { target.value = source.value; }
    });
  });
})();
