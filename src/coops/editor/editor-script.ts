// The built-in editor's browser code, served as /coops/_editor/editor.js. Plain ES2017 that speaks
// CoOPS itself (join, WebSocket updates and patches, checksums, merges, presence); see README.md.
export const EDITOR_SCRIPT = String.raw`
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('coops-config').textContent);
  var address = location.href.replace(/[?#].*$/, '').replace(/\/editor$/, '');
  var text = document.getElementById('text');
  var statusLine = document.getElementById('status');
  var people = document.getElementById('people');
  var preview = document.getElementById('preview');
  var dmp = new diff_match_patch();
  dmp.Match_Threshold = 0;
  // Merges need minimal diffs: with a timeout, dmp may describe an insertion as "delete X, insert
  // X plus more", and two such descriptions of one region would duplicate X.
  var exact = new diff_match_patch();
  exact.Diff_Timeout = 0;

  var state = {
    sessionId: null,
    revision: 0,
    content: '',
    eol: '\n',
    inFlight: null,
    socket: null,
    present: {},
    retry: 0,
    timer: null
  };

  function setStatus(message) {
    statusLine.textContent = message;
    document.body.setAttribute('data-status', message);
  }

  function toView(content) {
    return state.eol === '\r\n' ? content.replace(/\r\n/g, '\n') : content;
  }

  function fromView(view) {
    return state.eol === '\r\n' ? view.replace(/\n/g, '\r\n') : view;
  }

  function local() {
    return fromView(text.value);
  }

  // Replaces the text, keeping the caret and selection where they were relative to the text.
  function show(content) {
    var before = text.value;
    var after = toView(content);
    if (before === after) {
      return;
    }
    var focused = document.activeElement === text;
    var start = text.selectionStart;
    var end = text.selectionEnd;
    var diffs = dmp.diff_main(before, after);
    text.value = after;
    if (focused) {
      text.setSelectionRange(dmp.diff_xIndex(diffs, start), dmp.diff_xIndex(diffs, end));
    }
    renderPreview();
  }

  function renderPreview() {
    if (config.preview === 'html') {
      preview.hidden = false;
      preview.srcdoc = text.value;
    }
  }

  function renderPeople() {
    people.textContent = '';
    Object.keys(state.present).forEach(function (id) {
      var item = document.createElement('li');
      item.textContent = state.present[id];
      item.setAttribute('data-session', id);
      people.appendChild(item);
    });
  }

  function sessionEvents(events) {
    (events || []).forEach(function (event) {
      if (event.sessionId === state.sessionId) {
        return;
      }
      if (event.status === 'OPEN') {
        state.present[event.sessionId] = event.displayName || event.email || 'Someone';
      } else if (event.status === 'CLOSE') {
        delete state.present[event.sessionId];
      }
    });
    renderPeople();
  }

  // Three-way merge of two edits of base: both sides' insertions are kept, a character survives
  // only when neither side deleted it.
  function merge(base, theirs, ours) {
    function edits(changed) {
      var inserts = new Array(base.length + 1).fill('');
      var deleted = new Array(base.length).fill(false);
      var at = 0;
      exact.diff_main(base, changed).forEach(function (diff) {
        if (diff[0] === 1) {
          inserts[at] += diff[1];
        } else {
          if (diff[0] === -1) {
            deleted.fill(true, at, at + diff[1].length);
          }
          at += diff[1].length;
        }
      });
      return { inserts: inserts, deleted: deleted };
    }
    var a = edits(theirs);
    var b = edits(ours);
    var merged = '';
    for (var i = 0; i <= base.length; i++) {
      merged += a.inserts[i] + b.inserts[i];
      if (i < base.length && !a.deleted[i] && !b.deleted[i]) {
        merged += base[i];
      }
    }
    return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(merged)
      ? theirs
      : merged;
  }

  function apply(revision) {
    if (revision.revisionNumber <= state.revision) {
      return;
    }
    if (revision.revisionNumber !== state.revision + 1) {
      resync('missed revision');
      return;
    }
    var next = state.content;
    if (revision.patch) {
      var result = dmp.patch_apply(dmp.patch_fromText(revision.patch), state.content);
      if (!result[1].every(Boolean) || md5(result[0]) !== revision.checksum) {
        resync('checksum mismatch');
        return;
      }
      next = result[0];
    }
    var mine = local();
    if (revision.sessionId === state.sessionId) {
      state.inFlight = null;
    } else if (mine !== state.content) {
      show(merge(state.content, next, mine));
    } else {
      show(next);
    }
    state.content = next;
    state.revision = revision.revisionNumber;
    if (revision.sessionId === 'server' && revision.extensions) {
      sessionEvents(revision.extensions.sessionEvents);
    }
    if (config.preview === 'html' && revision.patch) {
      renderPreview();
    }
    schedule(0);
  }

  function send() {
    state.timer = null;
    var socket = state.socket;
    if (config.readOnly || state.inFlight || !socket || socket.readyState !== 1) {
      return;
    }
    var mine = local();
    if (mine === state.content) {
      setStatus('saved');
      return;
    }
    var diffs = dmp.diff_main(state.content, mine);
    dmp.diff_cleanupEfficiency(diffs);
    var patch;
    try {
      patch = dmp.patch_toText(dmp.patch_make(state.content, diffs));
    } catch (error) {
      // patch_toText cannot split a surrogate pair: send the whole text instead.
      patch = dmp.patch_toText([wholePatch(state.content, mine)]);
    }
    state.inFlight = { content: mine };
    setStatus('sending');
    socket.send(JSON.stringify({
      type: 'patch',
      data: {
        sessionId: state.sessionId,
        revisionNumber: state.revision,
        patch: patch,
        properties: null,
        extensions: null
      }
    }));
  }

  function wholePatch(from, to) {
    var patch = new diff_match_patch.patch_obj();
    patch.diffs = [[-1, from], [1, to]].filter(function (d) { return d[1] !== ''; });
    patch.start1 = 0;
    patch.start2 = 0;
    patch.length1 = from.length;
    patch.length2 = to.length;
    return patch;
  }

  function schedule(delay) {
    if (state.timer === null) {
      state.timer = setTimeout(send, delay);
    }
  }

  function resync(reason) {
    setStatus('reloading (' + reason + ')');
    fetch(address, { cache: 'no-store' })
      .then(function (response) { return response.json(); })
      .then(function (loaded) {
        state.content = loaded.content;
        state.revision = loaded.revisionNumber;
        state.inFlight = null;
        show(loaded.content);
        setStatus('saved');
      });
  }

  function connect(url) {
    var socket = new WebSocket(url);
    state.socket = socket;
    socket.onopen = function () {
      state.retry = 0;
      setStatus('saved');
      text.disabled = config.readOnly;
      schedule(0);
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === 'update') {
        apply(message.data);
      } else if (message.type === 'patchRejected') {
        state.inFlight = null;
        schedule(50);
      } else {
        state.inFlight = null;
        setStatus('error: ' + (message.data && message.data.message));
      }
    };
    socket.onclose = function () {
      state.inFlight = null;
      setStatus('offline, reconnecting');
      state.retry = Math.min(state.retry + 1, 5);
      setTimeout(function () { connect(url); }, 500 * state.retry);
    };
  }

  function join() {
    setStatus('connecting');
    fetch(address + '/join?algorithm=dmp&protocolVersion=1.0.0', { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('join failed: ' + response.status);
        }
        return response.json();
      })
      .then(function (joined) {
        state.sessionId = joined.sessionId;
        state.revision = joined.revisionNumber;
        state.content = joined.content;
        state.eol = joined.content.indexOf('\r\n') >= 0 ? '\r\n' : '\n';
        document.getElementById('title').textContent = config.name;
        show(joined.content);
        renderPreview();
        sessionEvents(joined.extensions.sessionEvents);
        var ws = joined.extensions.webSocket;
        connect(location.protocol === 'https:' && ws.wss ? ws.wss : ws.ws);
      })
      .catch(function (error) {
        setStatus(String(error.message || error));
      });
  }

  text.addEventListener('input', function () {
    setStatus('editing');
    if (config.preview === 'html') {
      renderPreview();
    }
    schedule(150);
  });

  // md5 of the UTF-8 bytes, lowercase hex (what the server puts into every revision's checksum).
  function md5(input) {
    var bytes = new TextEncoder().encode(input);
    var words = new Array(((bytes.length + 8) >> 6) * 16 + 16).fill(0);
    for (var i = 0; i < bytes.length; i++) {
      words[i >> 2] |= bytes[i] << ((i % 4) * 8);
    }
    words[bytes.length >> 2] |= 0x80 << ((bytes.length % 4) * 8);
    var bits = bytes.length * 8;
    var last = (((bytes.length + 8) >> 6) + 1) * 16;
    words[last - 2] = bits >>> 0;
    words[last - 1] = Math.floor(bits / 4294967296);
    var S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
    var K = [];
    for (var k = 0; k < 64; k++) {
      K[k] = Math.floor(Math.abs(Math.sin(k + 1)) * 4294967296) | 0;
    }
    var a0 = 0x67452301, b0 = 0xefcdab89 | 0, c0 = 0x98badcfe | 0, d0 = 0x10325476;
    for (var block = 0; block < last; block += 16) {
      var a = a0, b = b0, c = c0, d = d0;
      for (var j = 0; j < 64; j++) {
        var f, g;
        if (j < 16) { f = (b & c) | (~b & d); g = j; }
        else if (j < 32) { f = (d & b) | (~d & c); g = (5 * j + 1) % 16; }
        else if (j < 48) { f = b ^ c ^ d; g = (3 * j + 5) % 16; }
        else { f = c ^ (b | ~d); g = (7 * j) % 16; }
        var sum = (a + f + K[j] + words[block + g]) | 0;
        var shift = S[(j >> 4) * 4 + (j % 4)];
        a = d;
        d = c;
        c = b;
        b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
      }
      a0 = (a0 + a) | 0;
      b0 = (b0 + b) | 0;
      c0 = (c0 + c) | 0;
      d0 = (d0 + d) | 0;
    }
    return [a0, b0, c0, d0].map(function (word) {
      var hex = '';
      for (var n = 0; n < 4; n++) {
        hex += ('0' + ((word >>> (n * 8)) & 0xff).toString(16)).slice(-2);
      }
      return hex;
    }).join('');
  }

  window.coopsEditor = { state: state, md5: md5 };
  join();
})();
`;
