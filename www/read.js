// Reading a seller's file in batches for the wasm core: the import worker and the benchmark's
// speed of light both read through here, so the floor they are compared with is the same reading.

/** Batches the reader worker may read ahead of the one being parsed (each one more buffer). */
const AHEAD = 2;

/** A reader worker started ahead of the next file (see `prepareReader`). */
let spare = null;
/** Whether this thread keeps a spare reader worker ready. */
let keepSpare = false;

/** A new reader worker; one whose script fails to load says so in `failure` before it is used. */
function startReader() {
  let reader;
  try {
    reader = new Worker(new URL('./reader.js', import.meta.url), { type: 'module' });
  } catch {
    return null; // no nested workers here: files are read in this thread
  }
  reader.onerror = (e) => {
    e.preventDefault();
    reader.failure = e.message || 'the file reader did not start';
  };
  return reader;
}

/**
 * Starts the worker the next file will be read by, and after each file another: a module worker
 * takes tens of milliseconds to start, which on a 10 MB file was a third of the whole import. A
 * worker calls this when it loads, while the seller is still choosing a file.
 */
export function prepareReader() {
  keepSpare = true;
  spare ??= startReader();
}

/**
 * Yields the bytes of `file` (gunzipped if its name ends in `.gz`) in batches of `size` bytes, the
 * first of `first`. The caller must be done with a batch (the core copies it) before asking for
 * the next, whose bytes may go where the last one's were.
 *
 * The file is read by a worker of its own (reader.js), which hands each batch over without a copy
 * and reads the next ones while this thread parses. The browser delivers a file to the thread
 * reading it in pieces of about 180 KB, each a task that thread must run. Measured in headless
 * Chromium on a 100 MB file with 25 ms of work per 4 MB batch, reading slices between batches
 * added 230–300 ms to the work and a reader worker 46–51 ms; the import of the 100 MB Taobao-style
 * file spent 782/792 ms reading before the reader worker and 672/704 ms after. Where no worker can
 * be started, the file is read here.
 */
export async function* batches(file, first, size) {
  let reader = spare ?? startReader();
  spare = null;
  if (reader?.failure !== undefined) {
    reader.terminate();
    reader = null;
  }
  if (!reader) {
    yield* readBatches(file, first, size);
    return;
  }
  const inbox = [];
  let wake = () => {};
  const deliver = (m) => {
    inbox.push(m);
    wake();
  };
  reader.onmessage = (e) => deliver(e.data);
  reader.onerror = (e) => {
    e.preventDefault();
    deliver({ failed: e.message || 'the file reader stopped' });
  };
  reader.postMessage({ file, first, size, ahead: AHEAD });
  let given = 0;
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise((w) => (wake = w));
      const m = inbox.shift();
      if (m.failed !== undefined && given === 0) {
        // The reader could not start (its script failed to load): read here instead.
        reader.terminate();
        yield* readBatches(file, first, size);
        return;
      }
      if (m.failed !== undefined) throw new Error(m.failed);
      if (m.error !== undefined) throw Object.assign(new Error(m.error), { name: m.name });
      if (m.end) return;
      given++;
      yield new Uint8Array(m.buffer, 0, m.length);
      reader.postMessage(m.buffer, [m.buffer]); // back to the reader, for a later batch
    }
  } finally {
    reader.terminate();
    if (keepSpare) spare = startReader();
  }
}

/**
 * The reading itself, in the thread that calls it: yields views of whole buffers filled to `first`
 * bytes, then `size`, then what is left. A buffer is reused unless the caller transferred it away
 * (the reader worker does), in which case `nextBuffer()` gives the next.
 *
 * A byte-stream ("BYOB") reader fills the buffer in place. The default reader hands out a new
 * 64 KB array per read, which then has to be gathered and collected: measured in headless Chromium
 * on a 100 MB file, reading with a BYOB reader took half the time (about 450 vs 210–260 MB/s) and
 * grew the browser by 26 MB instead of 85. Browsers whose file streams are not byte streams, and
 * gunzipped streams, which never are, take the default reader, copying into the buffer.
 */
export async function* readBatches(file, first, size, nextBuffer = async () => new ArrayBuffer(Math.max(first, size))) {
  const gz = /\.gz$/i.test(file.name);
  let buf = await nextBuffer();
  let want = first;
  let at = 0;
  let byob = null;
  if (!gz) {
    try {
      byob = file.stream().getReader({ mode: 'byob' });
    } catch { /* not a byte stream: the default reader below */ }
  }
  if (byob) {
    for (;;) {
      // The read takes the buffer and gives it back, filled up to some point, as `value.buffer`.
      const { done, value } = await byob.read(new Uint8Array(buf, at, want - at));
      if (value) buf = value.buffer;
      if (done) break;
      at += value.length;
      if (at === want) {
        yield new Uint8Array(buf, 0, at);
        if (buf.byteLength === 0) buf = await nextBuffer();
        [at, want] = [0, size];
      }
    }
  } else {
    let stream = file.stream();
    if (gz) stream = stream.pipeThrough(new DecompressionStream('gzip'));
    const reader = stream.getReader();
    let bytes = new Uint8Array(buf);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (let from = 0; from < value.length;) {
        const n = Math.min(want - at, value.length - from);
        bytes.set(value.subarray(from, from + n), at);
        [at, from] = [at + n, from + n];
        if (at === want) {
          yield bytes.subarray(0, at);
          if (buf.byteLength === 0) {
            buf = await nextBuffer();
            bytes = new Uint8Array(buf);
          }
          [at, want] = [0, size];
        }
      }
    }
  }
  if (at > 0) yield new Uint8Array(buf, 0, at);
}
