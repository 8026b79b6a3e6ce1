/**
 * Cross-cutting application concerns: the data directory, error responses as RFC 9457 problem
 * details, and (later) health, security and version information.
 */
package io.diveteacher.system;
