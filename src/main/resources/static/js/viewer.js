// The page viewer: a PDF page rendered by the server with the cited passage highlighted, page by page.
import { format } from './common.js';

const dialog = document.getElementById('viewer');
const image = document.getElementById('viewer-image');
const title = document.getElementById('viewer-document');
const pageLabel = document.getElementById('viewer-page');
const note = document.getElementById('viewer-note');
const previous = document.getElementById('viewer-previous');
const next = document.getElementById('viewer-next');
const open = document.getElementById('viewer-open');
const close = document.getElementById('viewer-close');

let shown = null; // { documentId, document, page, pages, citedPage, excerpt }
let objectUrl = null;
let returnFocus = null;

async function show(page) {
  shown.page = page;
  pageLabel.textContent = format(dialog.dataset.page, page, shown.pages ?? '?');
  previous.disabled = page <= 1;
  next.disabled = shown.pages !== undefined && page >= shown.pages;
  open.href = `/api/documents/${encodeURIComponent(shown.documentId)}/file#page=${page}`;
  note.textContent = dialog.dataset.loading;
  note.className = 'viewer-note';
  const params = new URLSearchParams();
  if (page === shown.citedPage && shown.excerpt) params.set('highlight', shown.excerpt);
  const url = `/api/documents/${encodeURIComponent(shown.documentId)}/pages/${page}/image?${params}`;
  try {
    const response = await fetch(url);
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error(body.detail || `HTTP ${response.status}`);
    }
    const boxes = Number(response.headers.get('X-Highlight-Boxes') ?? 0);
    const area = (response.headers.get('X-Highlight-Area') ?? '').split(',').map(Number);
    const blob = await response.blob();
    if (shown.page !== page) return; // another page was asked for meanwhile
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = URL.createObjectURL(blob);
    image.onload = () => scrollTo(area);
    image.src = objectUrl;
    image.alt = `${shown.document}, ${pageLabel.textContent}`;
    image.dataset.highlights = String(boxes);
    if (page === shown.citedPage && shown.excerpt) {
      note.textContent = boxes > 0 ? dialog.dataset.highlighted : dialog.dataset.notHighlighted;
      note.className = boxes > 0 ? 'viewer-note highlighted' : 'viewer-note';
    } else {
      note.textContent = '';
    }
  } catch (error) {
    image.removeAttribute('src');
    note.textContent = `${dialog.dataset.failed}: ${error.message}`;
    note.className = 'viewer-note error';
  }
}

/** Scrolls the page so that the highlighted area (shares of the page: x, y, width, height) is in view. */
function scrollTo(area) {
  const pane = image.parentElement;
  if (area.length !== 4 || area.some(Number.isNaN)) {
    pane.scrollTo(0, 0);
    return;
  }
  const [x, y] = area;
  pane.scrollTo({ left: Math.max(0, x * image.clientWidth - 16), top: Math.max(0, y * image.clientHeight - pane.clientHeight / 4) });
}

/** Opens the viewer on a source: { documentId, document, page, excerpt }. */
export async function openViewer(source) {
  returnFocus = document.activeElement;
  shown = { ...source, citedPage: source.page };
  title.textContent = source.document;
  image.removeAttribute('src');
  if (!dialog.open) dialog.showModal();
  show(source.page);
  try {
    const response = await fetch(`/api/documents/${encodeURIComponent(source.documentId)}`);
    if (response.ok) {
      const document = await response.json();
      shown.pages = document.pages ?? undefined;
      pageLabel.textContent = format(dialog.dataset.page, shown.page, shown.pages ?? '?');
      next.disabled = shown.pages !== undefined && shown.page >= shown.pages;
    }
  } catch {
    // the page count only enables "next"; the page itself is shown either way
  }
}

previous.addEventListener('click', () => shown && shown.page > 1 && show(shown.page - 1));
next.addEventListener('click', () => shown && (shown.pages === undefined || shown.page < shown.pages) && show(shown.page + 1));
close.addEventListener('click', () => dialog.close());
dialog.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowLeft' && !previous.disabled) previous.click();
  if (event.key === 'ArrowRight' && !next.disabled) next.click();
});
dialog.addEventListener('click', (event) => {
  if (event.target === dialog) dialog.close(); // a click on the backdrop
});
dialog.addEventListener('close', () => {
  if (returnFocus instanceof HTMLElement) returnFocus.focus();
});
