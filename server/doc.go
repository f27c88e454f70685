// Package server is lsc's web application and REST API over a study store:
// sign-in with sessions or personal access tokens, roles per study checked
// in every handler, protection against cross-site request forgery, an audit
// row for every sign-in, view, import and change, security headers, and
// structured logs that carry request ids, never patient pseudonyms.
//
// The package knows nothing of SQL: it talks to the store through the
// Accounts and Data interfaces. Pages are server-rendered html/template
// with embedded CSS; nothing is loaded from a CDN and no inline script runs.
//
// Security choices and their sources: session cookies HttpOnly, SameSite=
// Strict and Secure under TLS (OWASP Session Management Cheat Sheet);
// session ids rotated at sign-in against fixation; a per-session CSRF token
// (HMAC-SHA256 of the session id) required on every state-changing form
// (OWASP CSRF Prevention Cheat Sheet, synchronizer token pattern) plus
// net/http's CrossOriginProtection (Fetch Metadata); Content-Security-
// Policy without inline script, frame-ancestors 'none'.
package server
