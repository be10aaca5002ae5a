// Before the reader leaves a page with changes typed into a form marked
// data-warn-unsaved, the browser asks whether to leave. Submitting that
// form is not leaving it; another form's changes still count (the summary
// page's cover upload reloads the page over its text form). Without
// scripts the forms work as they are.
(function () {
  "use strict";
  var dirty = new Set();
  function mark(e) {
    var form = e.target && e.target.form;
    if (form && form.hasAttribute("data-warn-unsaved")) {
      dirty.add(form);
    }
  }
  document.addEventListener("input", mark, true);
  document.addEventListener("change", mark, true);
  document.addEventListener("submit", function (e) {
    dirty.delete(e.target);
  }, true);
  window.addEventListener("beforeunload", function (e) {
    if (dirty.size === 0) {
      return;
    }
    e.preventDefault();
    e.returnValue = ""; // older browsers ask only when this is set
  });
})();
