// Test-only: records CSP violations and script errors so the browser test
// can assert that the real assets need neither inline script nor inline style.
window.__csp = [];
window.__errors = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + (e.lineNumber || 0));
});
window.addEventListener('error', function (e) {
  window.__errors.push(String(e.message));
});
