// The file reader worker: reads a seller's file in batches for the worker that parses it (see
// `batches` in read.js) and reads ahead while that one is busy. Batches go over without a copy
// and their buffers come back to be filled again, so at most `ahead + 1` buffers ever exist.
import { readBatches } from './read.js';

self.onmessage = async (e) => {
  const { file, first, size, ahead } = e.data;
  const returned = [];
  let wake = () => {};
  self.onmessage = (m) => {
    returned.push(m.data);
    wake();
  };
  let made = 0;
  const nextBuffer = async () => {
    if (returned.length === 0 && made <= ahead) {
      made++;
      return new ArrayBuffer(Math.max(first, size));
    }
    while (returned.length === 0) await new Promise((w) => (wake = w));
    return returned.pop();
  };
  try {
    for await (const batch of readBatches(file, first, size, nextBuffer)) {
      self.postMessage({ buffer: batch.buffer, length: batch.length }, [batch.buffer]);
    }
    self.postMessage({ end: true });
  } catch (err) {
    self.postMessage({ error: String(err?.message ?? err), name: err?.name });
  }
};
