// The Ask page: a question is streamed from POST /api/query (Server-Sent Events); the answer grows as the model
// writes it, its citations [n] open the cited page, and Stop cancels the stream, which stops the generation.
// The questions and answers of the visit go with each question as its history, so that a follow-up ("and at 30 m?")
// is understood; the server says how it understood it. Reloading the page starts a new conversation.
import { csrf, element, format, problem, readEvents } from './common.js';
import { openViewer } from './viewer.js';

const main = document.getElementById('main');
const text = main.dataset;
const form = document.getElementById('ask-form');
const question = document.getElementById('question');
const button = document.getElementById('ask-button');
const conversation = document.getElementById('conversation');
const empty = document.getElementById('conversation-empty');

let running = null; // the AbortController of the answer being streamed
const turns = []; // this visit's questions and answers, oldest first
const HISTORY_TURNS = 4; // sent with a question (the server takes up to 8)
const HISTORY_ANSWER_CHARS = 4000; // the server's limit per answer

question.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (running) {
    running.abort();
    return;
  }
  const asked = question.value.trim();
  if (asked) {
    question.value = '';
    ask(asked);
  }
});

for (const suggestion of document.querySelectorAll('button.suggestion')) {
  suggestion.addEventListener('click', () => {
    if (running) return;
    question.value = suggestion.textContent;
    form.requestSubmit();
  });
}

function busy(controller) {
  running = controller;
  // While an answer streams the button stops it: the emptied question box must not block that.
  button.formNoValidate = Boolean(controller);
  button.textContent = controller ? text.stop : form.dataset.send ?? button.dataset.send;
  button.classList.toggle('danger', Boolean(controller));
  button.classList.toggle('primary', !controller);
}
button.dataset.send = button.textContent;

/** The answer's text with each valid [n] as a button that opens source n. */
function renderAnswer(container, answer, sources) {
  const parts = [];
  let last = 0;
  for (const match of answer.matchAll(/\[(\d+)]/g)) {
    const n = Number(match[1]);
    const source = sources[n - 1];
    if (!source) continue;
    if (match.index > last) parts.push(document.createTextNode(answer.slice(last, match.index)));
    const cite = element('button', 'cite', `[${n}]`);
    cite.type = 'button';
    cite.setAttribute('aria-label', format(text.citation, n));
    cite.dataset.n = String(n);
    cite.addEventListener('click', () => openSource(source));
    parts.push(cite);
    last = match.index + match[0].length;
  }
  if (last < answer.length) parts.push(document.createTextNode(answer.slice(last)));
  container.replaceChildren(...parts);
}

function openSource(source) {
  openViewer({ documentId: source.document_id, document: source.document, page: source.page, excerpt: source.excerpt });
}

function renderSources(box, sources, title = text.sources) {
  box.replaceChildren();
  if (!sources.length) return;
  box.append(element('h3', 'sources-title', title));
  const list = element('ol', 'sources');
  for (const source of sources) {
    const item = element('li');
    const card = element('button', 'source');
    card.type = 'button';
    card.dataset.n = String(source.n);
    card.append(element('span', 'n', String(source.n)), element('span', 'document', source.document),
      element('span', 'where', `${source.file} · ${format(text.page, source.page)} · ${format(text.score, source.score.toFixed(2))}`),
      element('span', 'excerpt', source.excerpt));
    card.addEventListener('click', () => openSource(source));
    item.append(card);
    list.append(item);
  }
  box.append(list);
}

function renderMeta(meta, done) {
  const t = done.timings ?? {};
  const items = [`${text.model}: ${done.model}`];
  if (t.tokens_per_second != null) items.push(format(text.speed, t.tokens_per_second));
  items.push(format(text.retrieval, t.retrieval_ms));
  if (t.generation_ms) items.push(format(text.generation, t.generation_ms));
  meta.replaceChildren(...items.map((item) => element('span', null, item)));
  meta.hidden = false;
}

function state(box, label, withSpinner) {
  box.replaceChildren();
  if (withSpinner) box.append(element('span', 'spinner'));
  if (label) box.append(element('span', null, label));
}

async function ask(asked) {
  empty.hidden = true;
  const exchange = element('li', 'exchange');
  const bubble = element('p', 'asked');
  bubble.append(element('span', 'visually-hidden', `${text.you}: `), document.createTextNode(asked));
  const card = element('article', 'answer-card');
  const answerText = element('div', 'answer-text');
  const progress = element('div', 'answer-state');
  progress.setAttribute('role', 'status');
  const sourcesBox = element('section', 'sources-box');
  const meta = element('div', 'meta');
  meta.hidden = true;
  card.append(answerText, progress, sourcesBox, meta);
  exchange.append(bubble, card);
  conversation.prepend(exchange);
  state(progress, text.searching, true);

  const controller = new AbortController();
  busy(controller);
  let answer = '';
  let sources = [];
  let finished = false;
  try {
    const response = await fetch('/api/query', {
      method: 'POST',
      headers: csrf({ 'Content-Type': 'application/json', Accept: 'text/event-stream' }),
      body: JSON.stringify({ question: asked, stream: true, history: turns.slice(-HISTORY_TURNS) }),
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(await problem(response));
    await readEvents(response, (name, data) => {
      if (name === 'sources') {
        sources = data.sources;
        renderSources(sourcesBox, sources);
        if (sources.length) state(progress, text.streaming, true);
      } else if (name === 'token') {
        if (!sources.length) return; // "the documents do not say": shown as its own state at the end
        answer += data.text;
        renderAnswer(answerText, answer, sources);
      } else if (name === 'done') {
        finished = true;
        progress.replaceChildren();
        if (data.standalone_question && data.standalone_question !== asked) {
          bubble.after(element('p', 'understood', format(text.understood, data.standalone_question)));
        }
        turns.push({ question: asked, answer: data.num_sources ? data.answer.slice(0, HISTORY_ANSWER_CHARS) : '' });
        if (data.num_sources === 0) {
          answerText.replaceChildren();
          const none = element('div', 'not-found');
          none.append(element('strong', null, text.notFoundTitle), element('span', null, text.notFoundText));
          answerText.append(none);
          card.classList.add('nothing-found');
          // The passages that came nearest, for a reader who wants to look anyway; they do not answer it.
          renderSources(sourcesBox, data.closest ?? [], text.closest);
        } else {
          renderAnswer(answerText, data.answer, sources);
        }
        renderMeta(meta, data);
      } else if (name === 'error') {
        finished = true;
        throw new Error(data.detail || data.title);
      }
    });
    if (!finished) progress.replaceChildren();
  } catch (error) {
    if (error.name === 'AbortError') {
      state(progress, text.stopped, false);
    } else {
      progress.replaceChildren();
      const failed = element('div', 'failed');
      failed.append(element('strong', null, `${text.error}: `), document.createTextNode(error.message));
      card.append(failed);
    }
  } finally {
    busy(null);
  }
}
