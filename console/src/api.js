// Every call the console makes to maasd: same origin, the user's key in the Authorization header (never in a URL),
// errors turned into one shape ({status, code, message}) whatever protocol answered.
const KEY = 'maas.key';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function headers(extra, key = session.key()) {
  const h = { ...extra };
  if (key) h.Authorization = 'Bearer ' + key;
  return h;
}

// The error of any of maasd's shapes: management {"error": {code, message}}, Open Inference {"error": "..."},
// OpenAI {"error": {message, type, code}}.
export function errorOf(status, text) {
  let code = 'HTTP_' + status, message = text || `HTTP ${status}`;
  try {
    const body = JSON.parse(text);
    if (typeof body.error === 'string') message = body.error;
    else if (body.error) {
      message = body.error.message || message;
      code = body.error.code || body.error.type || code;
    }
  } catch { /* not JSON: keep the text */ }
  return new ApiError(status, code, message);
}

// A JSON call. `body` is sent as JSON unless it is a string (sent as is). Answers the parsed body (null for 204).
export async function api(method, path, body, opts = {}) {
  const init = { method, headers: headers(opts.headers, opts.key) };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    if (!init.headers['Content-Type']) init.headers['Content-Type'] = 'application/json';
  }
  if (opts.signal) init.signal = opts.signal;
  const res = await fetch(path, init);
  const text = await res.text();
  if (!res.ok) throw errorOf(res.status, text);
  if (opts.raw) return { res, text };
  return text ? JSON.parse(text) : null;
}

export const get = (path, opts) => api('GET', path, undefined, opts);

// A text call (/metrics).
export async function getText(path) {
  const res = await fetch(path, { headers: headers() });
  const text = await res.text();
  if (!res.ok) throw errorOf(res.status, text);
  return text;
}

// Uploads a file as the raw body with XMLHttpRequest, whose upload events give the progress fetch cannot.
// onProgress(sent, total). Answers the created version.
export function upload(path, file, onProgress, contentType = 'application/octet-stream') {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Authorization', 'Bearer ' + session.key());
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText));
      else reject(errorOf(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'the upload failed: the connection was lost'));
    xhr.send(file);
  });
}

// Downloads a file with the key in a header (a link would need it in the URL): fetch, then a Blob saved through
// a temporary object URL. Answers the bytes saved.
export async function download(path, filename) {
  const res = await fetch(path, { headers: headers() });
  if (!res.ok) throw errorOf(res.status, await res.text());
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return blob.size;
}

// Reads a Server-Sent Events stream from fetch (EventSource cannot send the key in a header). Calls
// onEvent({event, data}) per event until the stream ends or `signal` aborts.
export async function streamEvents(method, path, body, onEvent, signal) {
  const init = { method, headers: headers({ Accept: 'text/event-stream' }), signal };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(path, init);
  if (!res.ok) throw errorOf(res.status, await res.text());
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;  // a keep-alive comment
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent({ event, data: data.join('\n') });
    }
  }
}

// What a role may do; the API enforces it all the same.
export const can = {
  read: (role) => role === 'admin' || role === 'deployer' || role === 'viewer',
  deploy: (role) => role === 'admin' || role === 'deployer',
  invoke: (role) => role === 'admin' || role === 'deployer' || role === 'invoker',
  admin: (role) => role === 'admin',
};

export const enc = encodeURIComponent;
