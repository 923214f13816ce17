/* Contact module (接访、社情民意) page behaviour, loaded with defer where
 * needed. The CSP forbids inline script, so pages use data attributes:
 *   button data-print      prints the page (the 《社情民意》 issue)
 * Charts use data-chart, handled by app.js.
 */
(function () {
  'use strict';
  document.addEventListener('click', function (ev) {
    var el = ev.target.closest ? ev.target.closest('[data-print]') : null;
    if (!el) return;
    ev.preventDefault();
    window.print();
  });
})();
