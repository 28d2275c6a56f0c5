// Reading a seller's file in batches for the wasm core: the import worker and the benchmark's
// speed of light both read through here, so the floor they are compared with is the same reading.

/**
 * Yields the bytes of `file` (gunzipped if its name ends in `.gz`) in batches of `size` bytes, the
 * first of `first`, each a view of one buffer that is reused: the caller must be done with a batch
 * (the core copies it) before asking for the next.
 *
 * A byte-stream ("BYOB") reader fills that one buffer in place. The default reader hands out a new
 * 64 KB array per read, which then has to be gathered and collected: measured in headless Chromium
 * on a 100 MB file, reading with a BYOB reader took half the time (about 450 vs 210–260 MB/s) and
 * grew the browser by 26 MB instead of 85. Browsers whose file streams are not byte streams, and
 * gunzipped streams, which never are, take the default reader, copying into the same buffer.
 */
export async function* batches(file, first, size) {
  const gz = /\.gz$/i.test(file.name);
  let buf = new ArrayBuffer(Math.max(first, size));
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
        [at, want] = [0, size];
      }
    }
  } else {
    let stream = file.stream();
    if (gz) stream = stream.pipeThrough(new DecompressionStream('gzip'));
    const reader = stream.getReader();
    const bytes = new Uint8Array(buf);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (let from = 0; from < value.length;) {
        const n = Math.min(want - at, value.length - from);
        bytes.set(value.subarray(from, from + n), at);
        [at, from] = [at + n, from + n];
        if (at === want) {
          yield bytes.subarray(0, at);
          [at, want] = [0, size];
        }
      }
    }
  }
  if (at > 0) yield new Uint8Array(buf, 0, at);
}
