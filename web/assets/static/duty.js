/* The duty module's page script (our own): a print button. The CSP forbids
 * inline script, so the button carries data-print. */
(function () {
  'use strict';
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('[data-print]');
    if (b) {
      e.preventDefault();
      window.print();
    }
  });
})();
