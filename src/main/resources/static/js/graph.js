// The Graph page: entity search (fulltext), the neighbourhood of the entity picked drawn with Cytoscape.js, and a
// node's description, facts and passages; a passage opens its page in the viewer.
import cytoscape from '/webjars/cytoscape/dist/cytoscape.esm.min.mjs';
import { element, format, getJson } from './common.js';
import { openViewer } from './viewer.js';

const main = document.getElementById('main');
const text = main.dataset;
const form = document.getElementById('entity-search');
const query = document.getElementById('entity-q');
const hops = document.getElementById('hops');
const results = document.getElementById('entity-results');
const canvas = document.getElementById('graph-canvas');
const pick = document.getElementById('graph-pick');
const note = document.getElementById('graph-note');
const legend = document.getElementById('graph-legend');
const details = document.getElementById('entity-details');

const PALETTE = ['#1784a6', '#d1495b', '#edae49', '#00798c', '#6a4c93', '#2f9e44', '#e8590c', '#5c7cfa', '#868e96'];
// The graph's entity types, from the server: each gets its own colour while the palette lasts.
const KNOWN = (text.types || '').split(',').filter(Boolean);

function colour(type) {
  const known = KNOWN.indexOf(type);
  if (known >= 0) return PALETTE[known];
  let hash = 0;
  for (const c of type) hash = (hash * 31 + c.charCodeAt(0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length];
}

let graph = null;
let centre = null;
let searchTimer = null;

async function search() {
  const words = query.value.trim();
  if (!words) {
    results.replaceChildren();
    return;
  }
  const found = await getJson(`/api/graph/entities?q=${encodeURIComponent(words)}&limit=20`);
  if (!found.entities.length) {
    results.replaceChildren(element('li', 'empty', text.noResults));
    return;
  }
  results.replaceChildren(...found.entities.map((entity) => {
    const item = element('li');
    const button = element('button', 'entity');
    button.type = 'button';
    button.dataset.entityId = entity.id;
    button.setAttribute('aria-pressed', String(entity.id === centre));
    const name = element('span', null, entity.name);
    const type = element('small', null, `${entity.type} · ${format(text.mentions, entity.mentions)}`);
    button.append(name, type);
    button.addEventListener('click', () => show(entity.id));
    item.append(button);
    return item;
  }));
}

async function show(id) {
  centre = id;
  for (const button of results.querySelectorAll('button.entity')) {
    button.setAttribute('aria-pressed', String(button.dataset.entityId === id));
  }
  const hood = await getJson(`/api/graph/entities/${encodeURIComponent(id)}/neighbourhood?hops=${hops.value}&limit=60`);
  draw(hood);
  describe(id);
}

function draw(hood) {
  pick.hidden = true;
  canvas.hidden = false;
  const elements = [
    ...hood.nodes.map((n) => ({ data: { id: n.id, label: n.name, type: n.type, hop: n.hop, colour: colour(n.type) } })),
    ...hood.edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target, label: e.type, weight: e.weight } })),
  ];
  graph?.destroy();
  graph = cytoscape({
    container: canvas,
    elements,
    layout: { name: 'cose', animate: false, nodeRepulsion: 9000, idealEdgeLength: 90, padding: 30 },
    wheelSensitivity: 0.3,
    minZoom: 0.2,
    maxZoom: 1.5,
    style: [
      { selector: 'node', style: { 'background-color': 'data(colour)', label: 'data(label)', color: '#13232f',
        'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4, width: 22, height: 22,
        'text-wrap': 'ellipsis', 'text-max-width': 120, 'border-width': 2, 'border-color': '#fff' } },
      { selector: 'node[hop = 0]', style: { width: 34, height: 34, 'font-weight': 'bold', 'border-color': '#13232f' } },
      { selector: 'node:selected', style: { 'border-color': '#ffbf47', 'border-width': 4 } },
      { selector: 'edge', style: { width: 'mapData(weight, 1, 6, 1.2, 5)', 'line-color': '#b9c8d1', 'curve-style': 'bezier',
        'target-arrow-shape': 'triangle', 'target-arrow-color': '#b9c8d1', label: 'data(label)', 'font-size': 8,
        color: '#4a5d6b', 'text-rotation': 'autorotate', 'text-background-color': '#fff', 'text-background-opacity': 0.8 } },
    ],
  });
  graph.on('tap', 'node', (event) => describe(event.target.id()));
  canvas.dataset.nodes = String(hood.nodes.length);
  note.textContent = hood.truncated ? text.truncated : '';
  const types = [...new Set(hood.nodes.map((n) => n.type))].sort();
  legend.replaceChildren(...types.map((type) => {
    const item = element('span');
    const swatch = element('span', 'swatch');
    swatch.style.backgroundColor = colour(type);
    item.append(swatch, document.createTextNode(type));
    return item;
  }));
}

async function describe(id) {
  const entity = await getJson(`/api/graph/entities/${encodeURIComponent(id)}`);
  const parts = [element('h2', null, entity.name), element('p', `type status`, entity.type)];
  if (entity.description) {
    parts.push(element('h3', null, text.description), element('p', null, entity.description));
  }
  if (entity.facts.length) {
    const facts = element('ul');
    for (const f of entity.facts) {
      facts.append(element('li', null, `${f.source} ${f.type} ${f.target}${f.description ? ` — ${f.description}` : ''}`));
    }
    parts.push(element('h3', null, text.facts), facts);
  }
  if (entity.passages.length) {
    parts.push(element('h3', null, text.passages));
    for (const p of entity.passages) {
      const button = element('button', 'passage');
      button.type = 'button';
      button.append(element('span', 'where', `${p.document} · ${format(text.page, p.page)}`), document.createTextNode(p.excerpt));
      button.addEventListener('click', () => openViewer({ documentId: p.document_id, document: p.document, page: p.page,
        excerpt: p.excerpt }));
      parts.push(button);
    }
  }
  details.replaceChildren(...parts);
  details.hidden = false;
}

// Whatever changes the drawing's size (the details panel appearing, a phone turned, a window resized): fit the
// graph to its new size.
let fitFrame = 0;
new ResizeObserver(() => {
  if (!graph) return;
  cancelAnimationFrame(fitFrame);
  fitFrame = requestAnimationFrame(() => {
    graph.resize();
    graph.fit(undefined, 30);
    canvas.dataset.fittedWidth = String(canvas.clientWidth);
  });
}).observe(canvas);

form.addEventListener('submit', (event) => {
  event.preventDefault();
  search().catch((error) => results.replaceChildren(element('li', 'error', error.message)));
});
query.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => form.requestSubmit(), 250);
});
hops.addEventListener('change', () => centre && show(centre));
