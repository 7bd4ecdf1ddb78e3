// Kiroku's pages work as plain forms and links; this script only adds what helps on top:
// uploading with a progress bar per file and a plain message per failure, dropping files
// onto the page, and a print button. Loaded as a module from /static (no inline script).


function setupPrint() {
  const button = document.getElementById('print-button');
  if (!button) return;
  button.hidden = false;
  // A long folder shows a page at a time: printing shows the whole list first.
  const all = document.getElementById('show-all');
  button.addEventListener('click', () => {
    if (all) window.location.assign(`${all.href}&print=1`);
    else window.print();
  });
  if (new URLSearchParams(window.location.search).get('print') === '1') window.print();
}

// Sends one file as its own request, so that each has its own bar and its own answer.
function sendFile(form, file, list) {
  const item = document.createElement('li');
  const name = document.createElement('strong');
  name.textContent = file.name;
  const bar = document.createElement('progress');
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute('aria-label', file.name);
  const status = document.createElement('p');
  status.textContent = form.dataset.sending || '';
  item.append(name, bar, status);
  list.append(item);
  return new Promise((resolve) => {
    const data = new FormData();
    data.append('csrf', form.elements.csrf.value);
    data.append('folder', form.elements.folder.value);
    data.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    const done = (ok, message) => {
      bar.value = ok ? 100 : bar.value;
      status.textContent = message;
      status.className = ok ? 'ok' : 'failed';
      resolve(ok);
    };
    xhr.addEventListener('load', () => {
      let message = '';
      let ok = xhr.status >= 200 && xhr.status < 300;
      try {
        const answer = JSON.parse(xhr.responseText);
        if (answer.files && answer.files[0]) {
          ok = ok && answer.files[0].ok;
          message = answer.files[0].message;
        } else if (answer.message) {
          message = answer.message;
        }
      } catch (e) {
        ok = false;
      }
      done(ok, message || form.dataset.failed || '');
    });
    xhr.addEventListener('error', () => done(false, form.dataset.offline || ''));
    xhr.send(data);
  });
}

async function sendAll(form, files) {
  const list = document.getElementById('upload-progress');
  if (!files.length || !list) return;
  list.replaceChildren();
  const button = document.getElementById('upload-submit');
  if (button) button.disabled = true;
  let saved = 0;
  for (const file of files) {
    if (await sendFile(form, file, list)) saved += 1;
  }
  if (button) button.disabled = false;
  for (const input of form.querySelectorAll('input[type=file]')) input.value = '';
  if (saved === files.length) {
    // Everything is in: show the folder again, with the new files and a confirmation.
    const url = new URL(window.location.href);
    url.search = '';
    url.searchParams.set('done', 'uploaded');
    url.searchParams.set('count', String(saved));
    setTimeout(() => window.location.assign(url.toString()), 1200);
  }
}

function setupUpload() {
  const form = document.getElementById('upload-form');
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const files = [];
    for (const input of form.querySelectorAll('input[type=file]')) files.push(...input.files);
    if (!files.length) {
      const list = document.getElementById('upload-progress');
      const item = document.createElement('li');
      item.className = 'failed';
      item.textContent = form.dataset.none || '';
      list.replaceChildren(item);
      return;
    }
    sendAll(form, files);
  });
  const zone = document.getElementById('drop-zone');
  if (!zone) return;
  zone.hidden = false;
  const over = (e) => {
    e.preventDefault();
    zone.classList.add('over');
  };
  for (const target of [zone, document.body]) {
    target.addEventListener('dragover', over);
    target.addEventListener('dragleave', () => zone.classList.remove('over'));
    target.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('over');
      if (e.dataTransfer && e.dataTransfer.files.length) sendAll(form, [...e.dataTransfer.files]);
    });
  }
}

// An error summary takes the focus, so that a screen reader reads it first.
function focusErrors() {
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();
}

setupPrint();
setupUpload();
focusErrors();
