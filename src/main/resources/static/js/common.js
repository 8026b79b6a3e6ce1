// Shared by every page: the CSRF token for state-changing requests, message formatting, small DOM helpers.
// Everything the pages show from the server or a model goes in as text (textContent), never as HTML.

const csrfToken = document.querySelector('meta[name="_csrf"]')?.content ?? '';
const csrfHeader = document.querySelector('meta[name="_csrf_header"]')?.content || 'X-CSRF-TOKEN';

/** Headers that carry the page's CSRF token (the session's forms and scripts must send it). */
export function csrf(headers = {}) {
  return csrfToken ? { ...headers, [csrfHeader]: csrfToken } : headers;
}

// htmx requests made by the pages carry the token too.
document.addEventListener('htmx:configRequest', (event) => {
  if (csrfToken && event.detail.verb !== 'get') {
    event.detail.headers[csrfHeader] = csrfToken;
  }
});

/** A message from a data attribute with {0}, {1}... replaced. */
export function format(pattern, ...values) {
  return (pattern ?? '').replace(/\{(\d+)}/g, (match, i) => (values[i] ?? match).toString());
}

/** Creates an element with a class and, optionally, text. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** The RFC 9457 problem detail of a failed response, as a sentence. */
export async function problem(response) {
  try {
    const body = await response.json();
    return body.detail || body.title || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

/** GET as JSON, failing with the problem's detail. */
export async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(await problem(response));
  return response.json();
}

/** A request with a JSON body and the CSRF token. */
export async function send(method, url, body) {
  const headers = csrf({ Accept: 'application/json' });
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(await problem(response));
  return response.status === 204 ? null : response.json();
}

/**
 * Reads Server-Sent Events from a fetch response: calls onEvent(name, data) for each, data parsed as JSON. By hand
 * because the questions are POSTed, and EventSource can only GET.
 */
export async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let name = 'message';
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(name, JSON.parse(data.join('\n')));
    }
  }
}
