/*
 * Leads editors to the field they need, on whichever tab it is.
 *
 * - A "Still missing" link (a[data-missing-field]) opens the tab holding its
 *   field and puts the cursor in the field.
 * - After a failed save, the editor lands on the tab of the first error, with
 *   the cursor in that field, instead of on the tab they saved from.
 *
 * Tabs are Wagtail's own (the w-tabs controller): a tab is opened by clicking
 * its tab button, exactly as the editor would. Loaded by the
 * insert_editor_js hook in cms/core/wagtail_hooks.py.
 */
(function () {
  "use strict";

  // In order of preference: a rich-text editor's text before its toolbar, a
  // field before a chooser's button.
  var FOCUSABLE = [
    '[contenteditable="true"]',
    'input:not([type="hidden"]):not([disabled]), select:not([disabled]), ' +
      "textarea:not([disabled])",
    '[role="textbox"], button:not([disabled])',
  ];
  // Wagtail's own selector for a shown error (its "Go to the first error").
  var ERROR = ":not([hidden]):is(.error-message,.help-critical)";

  function fieldElement(name) {
    return (
      document.getElementById("id_" + name) ||
      document.getElementById("id_" + name + "-FORMS") ||
      document.querySelector('[name="' + name + '"]') ||
      document.getElementById("id_" + name + "_0")
    );
  }

  function wrapperOf(element) {
    return (
      element.closest("[data-field-wrapper], .w-field__wrapper, .w-panel") ||
      element.parentElement
    );
  }

  function openTabOf(element) {
    var panel = element.closest('[role="tabpanel"]');
    if (!panel || !panel.hidden) return;
    var tab = document.querySelector(
      '[role="tab"][aria-controls="' + panel.id + '"], a[href="#' + panel.id + '"]'
    );
    if (tab) tab.click();
  }

  function focusWithin(wrapper) {
    var target = null;
    for (var i = 0; i < FOCUSABLE.length && !target; i += 1) {
      target = wrapper.querySelector(FOCUSABLE[i]);
    }
    if (!target) {
      target = wrapper;
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    }
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  // The tab opens after Wagtail's transition: wait (bounded) until it shows.
  function whenShown(element, then) {
    var tries = 0;
    (function check() {
      var panel = element.closest('[role="tabpanel"]');
      if ((panel && !panel.hidden) || !panel || tries >= 50) {
        then();
        return;
      }
      tries += 1;
      window.setTimeout(check, 20);
    })();
  }

  function goTo(element) {
    openTabOf(element);
    whenShown(element, function () {
      focusWithin(wrapperOf(element));
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-missing-field]");
    if (!link) return;
    var element = fieldElement(link.dataset.missingField);
    if (!element) return;
    event.preventDefault();
    goTo(element);
  });

  function landOnFirstError() {
    var form = document.querySelector("form[data-edit-form], #page-edit-form");
    // Only after a failed save (Wagtail's error banner), never on a normal visit.
    if (!form || !document.querySelector(".messages li.error")) return;
    var error = form.querySelector(ERROR);
    if (!error) return;
    goTo(error);
  }

  if (document.readyState === "complete") {
    landOnFirstError();
  } else {
    // After Wagtail's controllers have connected (they start on DOM ready).
    window.addEventListener("load", landOnFirstError, { once: true });
  }
})();
