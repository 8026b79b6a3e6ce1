// The Jobs page (admin): the latest executions with live progress bars from /api/admin/jobs/{id}/events, each
// document's status and reason, errors; launching a job definition; stopping and restarting.
import { element, format, getJson, send } from './common.js';

const main = document.getElementById('main');
const text = main.dataset;
const list = document.getElementById('executions');
const launch = document.getElementById('launch');
const definition = document.getElementById('definition');
const message = document.getElementById('launch-message');
const streams = new Map(); // execution id -> EventSource

const RUNNING = new Set(['STARTING', 'STARTED', 'STOPPING']);

function statusText(status) {
  const key = `status${status.toLowerCase().replace(/(^|_)(\w)/g, (m, s, c) => c.toUpperCase())}`;
  return text[key] ?? status;
}

function duration(seconds) {
  if (seconds == null) return '';
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}

function bar(label, done, total, percent) {
  const wrap = element('div', 'bar');
  const caption = element('div', 'bar-label');
  caption.append(element('span', null, label), element('span', null, total ? `${done} / ${total}` : `${Math.round(percent)} %`));
  const progress = element('progress');
  progress.max = 100;
  progress.value = total ? (100 * done) / total : percent;
  progress.setAttribute('aria-label', label);
  wrap.append(caption, progress);
  return wrap;
}

function render(view) {
  let item = list.querySelector(`[data-execution-id="${view.execution_id}"]`);
  if (!item) {
    item = element('li', 'card execution');
    item.dataset.executionId = String(view.execution_id);
    list.append(item);
  }
  const p = view.progress;
  const head = element('div', 'execution-head');
  const what = view.definition ?? (view.sources ?? []).join(', ');
  head.append(element('span', 'title', `#${view.execution_id} · ${what}`),
    element('span', `status status-${view.status}`, view.status));
  if (view.start_time) {
    const started = element('time', null, `${text.started} ${new Date(view.start_time).toLocaleString()}`);
    started.dateTime = view.start_time;
    head.append(started);
  }
  if (RUNNING.has(view.status) && view.status !== 'STOPPING') {
    head.append(action(text.stop, 'secondary small', () => send('POST', `/api/admin/jobs/${view.execution_id}/stop`)));
  }
  if ((view.status === 'STOPPED' || view.status === 'FAILED') && view.end_time) {
    head.append(action(text.restart, 'primary small', async () => {
      const restarted = await send('POST', `/api/admin/jobs/${view.execution_id}/restart`);
      await refresh();
      watch(restarted.execution_id);
    }));
  }
  const bars = element('div', 'bars');
  const percent = element('div', 'bar-label');
  percent.append(element('strong', 'percent', `${p.percent} %`),
    element('span', null, p.eta_seconds != null && RUNNING.has(view.status) ? format(text.eta, duration(p.eta_seconds)) : ''));
  const total = element('progress', 'total');
  total.max = 100;
  total.value = p.percent;
  total.setAttribute('aria-label', `#${view.execution_id}`);
  bars.append(percent, total, bar(text.documents, p.documents_done + p.documents_failed, p.documents_total, p.percent),
    bar(text.chunks, p.chunks_done, p.chunks_total, p.percent));
  const parts = [head, bars];
  if (view.cached_chunks + view.model_chunks > 0) {
    // What the run cost the model: passages it did not pay for again, and how busy it kept the slots.
    let work = format(text.work, view.cached_chunks, view.model_chunks);
    if (view.slot_efficiency != null) work += ` · ${format(text.slots, `${Math.round(view.slot_efficiency * 100)} %`)}`;
    parts.push(element('p', 'work', work));
  }
  if (view.documents?.length) {
    const details = element('details');
    details.append(element('summary', null, text.details));
    const documents = element('ul');
    for (const d of view.documents) {
      const line = element('li');
      line.append(element('span', `status status-${d.status}`, statusText(d.status)), document.createTextNode(` ${d.file ?? d.document_id}`));
      if (d.worker) line.append(element('small', 'worker', ` · ${format(text.worker, d.worker)}`));
      if (d.reason) line.append(element('small', 'reason', ` — ${d.reason}`));
      documents.append(line);
    }
    details.append(documents);
    parts.push(details);
  }
  if (view.errors?.length) {
    parts.push(element('p', 'errors', `${text.errors}: ${view.errors.join('; ')}`));
  }
  item.replaceChildren(...parts);
}

function action(label, className, run) {
  const button = element('button', className, label);
  button.type = 'button';
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await run();
    } catch (error) {
      message.textContent = error.message;
    }
  });
  return button;
}

function watch(id) {
  if (streams.has(id)) return;
  const events = new EventSource(`/api/admin/jobs/${id}/events`);
  streams.set(id, events);
  events.addEventListener('progress', (event) => render(JSON.parse(event.data)));
  events.addEventListener('status', (event) => {
    render(JSON.parse(event.data));
    events.close();
    streams.delete(id);
  });
}

async function refresh() {
  const views = await getJson('/api/admin/jobs?limit=20');
  if (!views.length) {
    list.replaceChildren(element('li', 'empty', text.none));
    return;
  }
  list.querySelector('.empty')?.remove();
  // Newest first, in the order the API gives.
  for (const view of views) render(view);
  for (const view of [...views].reverse()) list.prepend(list.querySelector(`[data-execution-id="${view.execution_id}"]`));
  for (const view of views) if (RUNNING.has(view.status)) watch(view.execution_id);
}

async function definitions() {
  const loaded = await getJson('/api/admin/definitions');
  definition.replaceChildren(...loaded.definitions.map((d) => {
    const option = element('option', null, `${d.name} (${d.source})`);
    option.value = d.name;
    return option;
  }));
  if (!loaded.definitions.length) {
    message.textContent = text.noDefinitions;
    launch.querySelector('button').disabled = true;
  }
}

launch.addEventListener('submit', async (event) => {
  event.preventDefault();
  message.textContent = '';
  try {
    const launched = await send('POST', '/api/admin/jobs', { definition: definition.value });
    await refresh();
    watch(launched.execution_id);
  } catch (error) {
    message.textContent = error.message;
  }
});

definitions().catch((error) => { message.textContent = error.message; });
refresh().catch((error) => { message.textContent = error.message; });
