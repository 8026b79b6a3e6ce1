// The Library page: the admin uploads PDFs (drag and drop or the file picker), each with its upload progress and then
// its ingestion progress; and deletes documents after confirming. The table itself is rendered by the server.
import { csrf, element, format, send } from './common.js';

const main = document.getElementById('main');
const text = main.dataset;
const dropzone = document.getElementById('dropzone');
const picker = document.getElementById('files');
const uploads = document.getElementById('uploads');
const confirmation = document.getElementById('confirm-delete');

function refreshTable() {
  const filters = document.getElementById('filters');
  if (window.htmx && filters) window.htmx.trigger(filters, 'submit');
}

const statusLabel = {
  INGESTED: text.statusIngested, PARTIAL: text.statusPartial, FAILED: text.statusFailed, NO_TEXT: text.statusNoText,
};

function upload(file) {
  const item = element('li', 'upload-item');
  const name = element('span', 'file', file.name);
  const stateLabel = element('span', 'state', format(text.uploading, 0));
  const bar = element('progress');
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute('aria-label', file.name);
  item.append(name, stateLabel, bar);
  uploads.prepend(item);

  const body = new FormData();
  body.append('file', file);
  // XMLHttpRequest, not fetch: only it reports upload progress.
  const request = new XMLHttpRequest();
  request.open('POST', '/api/upload');
  for (const [header, value] of Object.entries(csrf({ Accept: 'application/json' }))) {
    request.setRequestHeader(header, value);
  }
  request.upload.addEventListener('progress', (event) => {
    if (event.lengthComputable) {
      const percent = Math.round((100 * event.loaded) / event.total);
      bar.value = percent;
      stateLabel.textContent = format(text.uploading, percent);
    }
  });
  request.addEventListener('load', () => {
    let answer = {};
    try {
      answer = JSON.parse(request.responseText);
    } catch {
      // not JSON: reported below by its status
    }
    if (request.status === 200 && answer.duplicate) {
      bar.value = 100;
      stateLabel.textContent = text.duplicate;
      item.dataset.status = 'DUPLICATE';
      return;
    }
    if (request.status !== 202) {
      fail(item, stateLabel, answer.detail || `HTTP ${request.status}`);
      return;
    }
    follow(item, stateLabel, bar, answer);
  });
  request.addEventListener('error', () => fail(item, stateLabel, text.failed));
  request.send(body);
}

function fail(item, stateLabel, reason) {
  stateLabel.textContent = text.failed;
  item.dataset.status = 'FAILED';
  item.append(element('span', 'reason', reason));
}

/** The ingestion of an uploaded file, from its job's progress to the document's final status. */
function follow(item, stateLabel, bar, uploaded) {
  bar.value = 0;
  stateLabel.textContent = format(text.ingesting, 0);
  const events = new EventSource(`/api/admin/jobs/${uploaded.execution_id}/events`);
  const update = (view) => {
    const percent = Math.round(view.progress?.percent ?? 0);
    bar.value = percent;
    stateLabel.textContent = format(text.ingesting, percent);
  };
  events.addEventListener('progress', (event) => update(JSON.parse(event.data)));
  events.addEventListener('status', async (event) => {
    events.close();
    update(JSON.parse(event.data));
    try {
      const document = await fetch(`/api/documents/${encodeURIComponent(uploaded.document_id)}`).then((r) => r.json());
      bar.value = 100;
      item.dataset.status = document.status;
      stateLabel.textContent = statusLabel[document.status] ?? document.status;
      stateLabel.className = `state status status-${document.status}`;
      if (document.reason) item.append(element('span', 'reason', document.reason));
    } catch (error) {
      fail(item, stateLabel, error.message);
    }
    refreshTable();
  });
  events.addEventListener('error', () => {
    if (events.readyState === EventSource.CLOSED) fail(item, stateLabel, text.failed);
  });
}

if (dropzone) {
  for (const type of ['dragenter', 'dragover']) {
    dropzone.addEventListener(type, (event) => {
      event.preventDefault();
      dropzone.classList.add('over');
    });
  }
  for (const type of ['dragleave', 'drop']) {
    dropzone.addEventListener(type, () => dropzone.classList.remove('over'));
  }
  dropzone.addEventListener('drop', (event) => {
    event.preventDefault();
    [...event.dataTransfer.files].forEach(upload);
  });
  picker.addEventListener('change', () => {
    [...picker.files].forEach(upload);
    picker.value = '';
  });
}

// Delete: the buttons are in the table htmx swaps, so one listener on the page handles them all.
document.addEventListener('click', (event) => {
  const button = event.target.closest('button.delete');
  if (!button || !confirmation) return;
  const prompt = document.getElementById('confirm-delete-text');
  prompt.textContent = format(prompt.dataset.template, button.dataset.name);
  confirmation.returnValue = '';
  confirmation.onclose = async () => {
    if (confirmation.returnValue !== 'delete') return;
    try {
      await send('DELETE', `/api/documents/${encodeURIComponent(button.dataset.documentId)}`);
      button.closest('tr')?.remove();
      refreshTable();
    } catch (error) {
      const cell = button.closest('td');
      cell?.querySelector('.error')?.remove();
      cell?.append(element('p', 'error', error.message));
    }
  };
  confirmation.showModal();
});
