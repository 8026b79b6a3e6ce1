/**
 * Cross-cutting application concerns: the data directory, error responses as RFC 9457 problem
 * details (and error pages for browsers), health and version information, and security: HTTP Basic for the API,
 * a login form with a session and CSRF tokens for the web pages, and the Content-Security-Policy of every page.
 */
package io.diveteacher.system;
