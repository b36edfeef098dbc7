// The playground page: sends the user's choices over one WebSocket and draws the frames the server trains.
// Plain JavaScript, no build step; Chart.js (a WebJar) draws the two charts.
'use strict';

(function () {
  const ORANGE = [245, 147, 34], BLUE = [8, 119, 189], WHITE = [232, 234, 237];
  const NUMBERS = ['noise', 'trainFraction', 'points', 'learningRate', 'batchSize', 'l2', 'dropout', 'speed'];
  const CHOICES = ['dataset', 'activation', 'output', 'loss', 'optimizer'];
  const MAX_CHART_POINTS = 400;
  const $ = (id) => document.getElementById(id);

  // What the page knows; window.playground exposes it read-only to the end-to-end test.
  const state = {
    connected: false, playing: false, settings: null, limits: null, network: null, frame: null,
    lossPoints: [], frames: 0, errors: [], check: null, scriptErrors: [],
  };
  window.playground = state;
  window.addEventListener('error', (e) => state.scriptErrors.push(String(e.message)));

  let socket = null, lossChart = null, gradChart = null, drawPending = false, errorTimer = null;

  // ------------------------------------------------------------------ connection

  function connect() {
    socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/session');
    socket.onopen = () => { state.connected = true; $('connection').textContent = 'connected'; };
    socket.onclose = (e) => {
      state.connected = false;
      document.body.classList.add('disconnected');
      $('connection').textContent = 'disconnected (' + e.code + (e.reason ? ': ' + e.reason : '') + ')';
      if (e.code !== 1013 && e.code !== 1008) {
        showError('The connection to the server closed. Reload the page to start a new session.', null, true);
      }
    };
    socket.onmessage = (e) => {
      let m;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      handle(m);
    };
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function configure(changes) { send({type: 'configure', settings: changes}); }

  function handle(m) {
    switch (m.type) {
      case 'hello': state.limits = m.limits; setUpInputs(m.limits); break;
      case 'network':
        state.network = m; state.check = null; $('check-result').textContent = '';
        showSettings(m.settings); buildNetwork(); clearCharts(); break;
      case 'settings': showSettings(m.settings); break;
      case 'state': state.playing = m.playing; showPlaying(); break;
      case 'frame': state.frame = m; state.frames++; addToCharts(m); scheduleDraw(); break;
      case 'check': state.check = m; showCheck(m); break;
      case 'error': state.errors.push(m.message); showError(m.message, m.field, m.fatal); break;
    }
  }

  // ------------------------------------------------------------------ inputs

  function setUpInputs(limits) {
    for (const name of CHOICES) {
      const select = $(name);
      select.innerHTML = '';
      for (const c of limits[name].choices) {
        const o = document.createElement('option');
        o.value = c; o.textContent = c;
        select.appendChild(o);
      }
      select.onchange = () => { select.classList.remove('invalid'); configure({[name]: select.value}); };
    }
    for (const name of NUMBERS) {
      const input = $(name), range = limits[name];
      input.min = range.min; input.max = range.max;
      input.onchange = () => {
        input.classList.remove('invalid');
        const v = Number(input.value);
        // an empty or non-numeric field goes to the server as text, and is refused there with a message
        configure({[name]: input.value.trim() === '' || Number.isNaN(v) ? input.value : v});
      };
      if (input.type === 'range') input.oninput = () => showValue(name, input.value);
    }
    $('addLayer').onclick = () => {
      const h = state.settings.hidden.slice();
      h.push(h.length ? h[h.length - 1] : 4);
      configure({hidden: h});
    };
    $('removeLayer').onclick = () => configure({hidden: state.settings.hidden.slice(0, -1)});
  }

  function showValue(name, v) {
    const out = $(name + '-value');
    if (!out) return;
    out.textContent = name === 'trainFraction' ? Math.round(v * 100) + '%' : v;
  }

  function showSettings(s) {
    state.settings = s;
    for (const name of CHOICES) $(name).value = s[name];
    for (const name of NUMBERS) {
      $(name).value = s[name];   // a refused value is put back; its input stays marked until edited
      showValue(name, s[name]);
    }
    const digits = s.dataset === 'digits';
    $('plane-view').hidden = digits;
    $('digits-view').hidden = !digits;
    for (const id of ['noise', 'points', 'showTest']) $(id).disabled = digits;
    $('layer-count').textContent = s.hidden.length + ' hidden layer' + (s.hidden.length === 1 ? '' : 's');
    $('addLayer').disabled = s.hidden.length >= state.limits.hidden.maxLayers;
    $('removeLayer').disabled = s.hidden.length === 0;
  }

  function showPlaying() {
    const b = $('play');
    b.innerHTML = state.playing ? '&#x275A;&#x275A; pause' : '&#x25B6; play';
    b.classList.toggle('playing', state.playing);
  }

  function showError(message, field, fatal) {
    const e = $('error');
    e.textContent = message;
    e.hidden = false;
    e.classList.toggle('fatal', !!fatal);
    if (field && $(field)) $(field).classList.add('invalid');
    clearTimeout(errorTimer);
    if (!fatal) errorTimer = setTimeout(() => { e.hidden = true; }, 10000);
  }

  // ------------------------------------------------------------------ the network diagram

  function buildNetwork() {
    const n = state.network, s = n.settings, layers = $('layers');
    layers.innerHTML = '';
    $('network-size').textContent = n.sizes.join('-') + ', ' + n.parameters + ' parameters';
    const digits = s.dataset === 'digits';
    n.sizes.forEach((size, l) => {
      const col = document.createElement('div');
      col.className = 'layer';
      const last = l === n.sizes.length - 1;
      const title = document.createElement('div');
      title.className = 'layer-title';
      title.textContent = l === 0 ? 'input' : last ? 'output' : 'hidden ' + l;
      col.appendChild(title);
      if (l > 0 && !last) {
        const buttons = document.createElement('div');
        buttons.className = 'neuron-buttons';
        for (const [label, delta] of [['+', 1], ['−', -1]]) {
          const b = document.createElement('button');
          b.textContent = label;
          b.className = 'small';
          b.dataset.layer = l - 1;
          b.title = (delta > 0 ? 'Add a neuron to' : 'Remove a neuron from') + ' hidden layer ' + l;
          const h = s.hidden.slice();
          h[l - 1] += delta;
          b.disabled = h[l - 1] < 1 || h[l - 1] > state.limits.hidden.maxNeurons;
          b.onclick = () => configure({hidden: h});
          buttons.appendChild(b);
        }
        col.appendChild(buttons);
      }
      if (l === 0 && digits) {
        const box = document.createElement('div');
        box.className = 'node input-box';
        box.textContent = '64 pixels';
        col.appendChild(box);
      } else {
        for (let j = 0; j < size; j++) {
          const node = document.createElement('div');
          node.className = 'node';
          node.id = 'node-' + l + '-' + j;
          if (l === 0) {
            node.classList.add('feature');
            node.textContent = 'x' + (j + 1);
          } else if (last) {
            node.classList.add('output-node');
            node.textContent = digits ? String(j) : 'class ' + j;
          } else if (!digits) {
            const c = document.createElement('canvas');
            c.width = n.neuronGrid; c.height = n.neuronGrid;
            c.className = 'neuron-map';
            node.appendChild(c);
          } else {
            node.classList.add('plain');
            node.textContent = String(j + 1);
          }
          if (l > 0) {
            const bar = document.createElement('div');
            bar.className = 'gradient-bar';
            bar.id = 'grad-' + l + '-' + j;
            node.appendChild(bar);
          }
          col.appendChild(node);
        }
      }
      layers.appendChild(col);
    });
    $('connections').innerHTML = '';
  }

  function drawConnections(frame) {
    const svg = $('connections'), n = state.network;
    if (!frame.weights) { svg.innerHTML = ''; return; }
    const first = n.settings.dataset === 'digits' ? 1 : 0;   // 64 pixel inputs: their weights are the images
    const box = $('network').getBoundingClientRect();
    svg.setAttribute('width', box.width);
    svg.setAttribute('height', box.height);
    let maxW = 1e-6;
    for (const w of frame.weights.slice(first)) for (const v of w) maxW = Math.max(maxW, Math.abs(v));
    const parts = [];
    for (let d = first; d < frame.weights.length; d++) {
      const inputs = n.sizes[d], units = n.sizes[d + 1], w = frame.weights[d];
      for (let i = 0; i < inputs; i++) {
        const a = $('node-' + d + '-' + i);
        if (!a) continue;
        const ra = a.getBoundingClientRect();
        for (let j = 0; j < units; j++) {
          const b = $('node-' + (d + 1) + '-' + j);
          if (!b) continue;
          const rb = b.getBoundingClientRect();
          const v = w[i * units + j];
          const x1 = ra.right - box.left, y1 = ra.top + ra.height / 2 - box.top;
          const x2 = rb.left - box.left, y2 = rb.top + rb.height / 2 - box.top;
          const width = (0.5 + 5 * Math.abs(v) / maxW).toFixed(2);
          const colour = v >= 0 ? 'rgb(8,119,189)' : 'rgb(245,147,34)';
          const mid = (x1 + x2) / 2;
          parts.push('<path d="M' + x1.toFixed(1) + ',' + y1.toFixed(1) + ' C' + mid.toFixed(1) + ',' + y1.toFixed(1)
            + ' ' + mid.toFixed(1) + ',' + y2.toFixed(1) + ' ' + x2.toFixed(1) + ',' + y2.toFixed(1)
            + '" stroke="' + colour + '" stroke-width="' + width + '" fill="none" opacity="0.75">'
            + '<title>weight ' + v.toFixed(3) + '</title></path>');
        }
      }
    }
    svg.innerHTML = parts.join('');
  }

  // ------------------------------------------------------------------ pictures

  function decode(b64) {
    const s = atob(b64), out = new Int8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = (s.charCodeAt(i) << 24) >> 24;
    return out;
  }

  // a value in [−1, 1]: orange (negative) through white to blue (positive), as TensorFlow Playground draws it
  function colour(v) {
    const t = Math.min(1, Math.abs(v)), end = v < 0 ? ORANGE : BLUE;
    return [0, 1, 2].map((k) => Math.round(WHITE[k] + (end[k] - WHITE[k]) * t));
  }

  function paintMap(canvas, values, size) {
    const ctx = canvas.getContext('2d'), img = ctx.createImageData(size, size);
    for (let i = 0; i < size * size; i++) {
      const c = colour(values[i] / 127);
      img.data[4 * i] = c[0]; img.data[4 * i + 1] = c[1]; img.data[4 * i + 2] = c[2]; img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  function drawBoundary(frame) {
    const n = state.network, canvas = $('boundary'), ctx = canvas.getContext('2d');
    const g = n.boundaryGrid, scratch = document.createElement('canvas');
    scratch.width = g; scratch.height = g;
    paintMap(scratch, decode(frame.boundary), g);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
    const view = n.view, W = canvas.width, H = canvas.height;
    const px = (x) => (x + view) / (2 * view) * W, py = (y) => (view - y) / (2 * view) * H;
    const dot = (p, test) => {
      ctx.beginPath();
      ctx.arc(px(p[0]), py(p[1]), test ? 3.5 : 3, 0, 2 * Math.PI);
      const c = p[2] === 0 ? ORANGE : BLUE;
      if (test) {
        ctx.fillStyle = 'white'; ctx.fill();
        ctx.lineWidth = 2; ctx.strokeStyle = 'rgb(' + c.join(',') + ')'; ctx.stroke();
      } else {
        ctx.fillStyle = 'rgb(' + c.join(',') + ')'; ctx.fill();
        ctx.lineWidth = 1; ctx.strokeStyle = 'white'; ctx.stroke();
      }
    };
    for (const p of n.train) dot(p, false);
    if ($('showTest').checked) for (const p of n.test) dot(p, true);
  }

  function drawNeurons(frame) {
    const size = state.network.neuronGrid;
    frame.neurons.forEach((layer, l) => layer.forEach((b64, j) => {
      const node = $('node-' + (l + 1) + '-' + j);
      const c = node && node.querySelector('canvas');
      if (c) paintMap(c, decode(b64), size);
    }));
  }

  function drawGradients(frame) {
    const g = frame.neuronGradients, sizes = state.network.sizes;
    document.querySelectorAll('.gradient-bar').forEach((b) => { b.style.display = g ? 'block' : 'none'; });
    if (!g) return;
    // hidden layers: ∂L/∂a arriving at the neuron's output; the output layer: ∂L/∂z of its pre-activation
    const rows = g.arriving.concat([g.bias[g.bias.length - 1]]);
    let max = 1e-12;
    for (const r of rows) for (const v of r) max = Math.max(max, Math.abs(v || 0));
    rows.forEach((r, l) => r.forEach((v, j) => {
      const bar = $('grad-' + (l + 1) + '-' + j);
      if (!bar) return;
      const t = Math.abs(v || 0) / max, c = colour(-(v || 0) / max);
      bar.style.width = Math.max(2, Math.round(44 * t)) + 'px';
      bar.style.background = 'rgb(' + c.join(',') + ')';
      const fmt = (x) => (x === null || x === undefined ? 'n/a' : x.toExponential(3));
      const output = l + 1 === sizes.length - 1;
      bar.title = output ? '∂L/∂z (pre-activation) summed over the batch: ' + fmt(v)
        : '∂L/∂a (output) summed over the batch: ' + fmt(v) + '\n∂L/∂z (pre-activation, the bias gradient): '
          + fmt(g.bias[l][j]);
      bar.dataset.value = v;
    }));
  }

  function drawDigits(frame) {
    const images = $('weight-images');
    if (images.children.length !== frame.images.length) {
      images.innerHTML = '';
      for (let j = 0; j < frame.images.length; j++) {
        const c = document.createElement('canvas');
        c.width = 8; c.height = 8; c.title = 'unit ' + (j + 1);
        images.appendChild(c);
      }
    }
    frame.images.forEach((b64, j) => paintMap(images.children[j], decode(b64), 8));
    const table = $('confusion');
    let max = 1;
    for (const row of frame.confusion) for (const v of row) max = Math.max(max, v);
    let html = '<tr><th></th>' + frame.confusion.map((_, p) => '<th>' + p + '</th>').join('') + '</tr>';
    frame.confusion.forEach((row, a) => {
      html += '<tr><th>' + a + '</th>' + row.map((v, p) => {
        const t = v / max, cls = a === p ? 'diag' : 'off';
        return '<td class="' + cls + '" data-level="' + Math.min(9, Math.floor(t * 10)) + '">' + v + '</td>';
      }).join('') + '</tr>';
    });
    table.innerHTML = html;
  }

  function scheduleDraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      const f = state.frame;
      if (!f || !state.network) return;
      $('epoch').textContent = f.epoch;
      $('step-count').textContent = f.step;
      $('train-loss').textContent = f.trainLoss === null ? 'NaN' : f.trainLoss.toFixed(4);
      $('test-loss').textContent = f.testLoss === null ? 'NaN' : f.testLoss.toFixed(4);
      $('train-accuracy').textContent = '(' + (100 * f.trainAccuracy).toFixed(1) + '% right)';
      $('test-accuracy').textContent = '(' + (100 * f.testAccuracy).toFixed(1) + '% right)';
      if (f.images) {
        drawDigits(f);
      } else {
        drawBoundary(f);
        drawNeurons(f);
      }
      drawConnections(f);
      drawGradients(f);
      if (lossChart) lossChart.update('none');
      if (gradChart) gradChart.update('none');
    });
  }

  // ------------------------------------------------------------------ charts

  function makeCharts() {
    if (!window.Chart) return;
    const common = {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
      plugins: {legend: {labels: {boxWidth: 12}}},
      elements: {point: {radius: 0}, line: {borderWidth: 2}},
    };
    lossChart = new Chart($('loss-chart'), {
      type: 'line',
      data: {datasets: [
        {label: 'train', data: [], borderColor: '#555'},
        {label: 'test', data: [], borderColor: '#d6336c'}]},
      options: Object.assign({}, common, {scales: {
        x: {type: 'linear', title: {display: true, text: 'epoch'}},
        y: {type: 'linear', beginAtZero: true}}}),
    });
    gradChart = new Chart($('grad-chart'), {
      type: 'line', data: {datasets: []},
      options: Object.assign({}, common, {scales: {
        x: {type: 'linear', title: {display: true, text: 'epoch'}},
        y: {type: 'logarithmic'}}}),
    });
  }

  const LAYER_COLOURS = ['#0877bd', '#2a9d8f', '#8e44ad', '#e76f51', '#6c757d', '#f4a261', '#264653'];

  function clearCharts() {
    state.lossPoints = [];
    if (lossChart) lossChart.data.datasets.forEach((d) => { d.data = []; });
    if (gradChart) {
      const n = state.network.sizes.length - 1;
      gradChart.data.datasets = Array.from({length: n}, (_, d) => ({
        label: d === n - 1 ? 'output' : 'hidden ' + (d + 1), data: [], borderColor: LAYER_COLOURS[d % 7]}));
    }
  }

  function thin(data) {
    if (data.length > MAX_CHART_POINTS) {
      const kept = data.filter((_, i) => i % 2 === 0);
      data.length = 0;
      data.push(...kept);
    }
  }

  function addToCharts(f) {
    const last = state.lossPoints[state.lossPoints.length - 1];
    if (last && last.step === f.step) return;   // a repeated frame (settings, toggles): nothing new
    state.lossPoints.push({step: f.step, x: f.progress, train: f.trainLoss, test: f.testLoss});
    thin(state.lossPoints);
    if (lossChart && f.trainLoss !== null) {
      lossChart.data.datasets[0].data.push({x: f.progress, y: f.trainLoss});
      lossChart.data.datasets[1].data.push({x: f.progress, y: f.testLoss});
      lossChart.data.datasets.forEach((d) => thin(d.data));
    }
    if (gradChart) {
      f.gradNorms.forEach((v, d) => {
        const set = gradChart.data.datasets[d];
        if (set && v !== null && v > 0) { set.data.push({x: f.progress, y: v}); thin(set.data); }
      });
    }
  }

  // ------------------------------------------------------------------ gradient check

  function showCheck(m) {
    const rows = m.results.map((r) => {
      const cls = !r.resolved ? 'unresolved' : r.passes ? 'pass' : 'fail';
      const value = !r.resolved ? 'at a kink' : r.error.toExponential(2);
      const mark = !r.resolved ? '–' : r.passes ? '✓' : '✗';
      const note = r.rows !== m.rows ? ' title="checked on ' + r.rows + ' row(s)"' : '';
      return '<tr class="' + cls + '"' + note + '><td>' + escape(r.tensor) + '</td><td>' + value + '</td><td>'
        + mark + '</td></tr>';
    }).join('');
    const kinks = m.unresolved > 0 ? ' ' + m.unresolved + ' tensor(s) could not be checked: every sampled entry'
      + ' lies at a ReLU kink, where the derivative jumps.' : '';
    $('check-result').innerHTML = '<p class="' + (m.passes ? 'pass' : 'fail') + '">' + (m.passes
      ? 'Backpropagation agrees with finite differences'
      : 'A gradient differs from finite differences') + ' (largest relative error '
      + m.max.toExponential(2) + ', tolerance ' + m.tolerance + '; ' + m.rows + ' training rows, step ' + m.step
      + ').' + kinks + '</p><table><tr><th>tensor</th><th>max rel. error</th><th></th></tr>' + rows + '</table>';
  }

  function escape(s) {
    return String(s).replace(/[&<>"]/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
  }

  // ------------------------------------------------------------------ start

  window.addEventListener('DOMContentLoaded', () => {
    makeCharts();
    $('play').onclick = () => send({type: state.playing ? 'pause' : 'play'});
    $('step').onclick = () => send({type: 'step'});
    $('reset').onclick = () => send({type: 'reset'});
    $('check').onclick = () => { $('check-result').textContent = 'checking…'; send({type: 'check'}); };
    $('neuronGradients').onchange = (e) => send({type: 'neuronGradients', on: e.target.checked});
    $('showTest').onchange = scheduleDraw;
    window.addEventListener('resize', scheduleDraw);
    connect();
  });
})();
