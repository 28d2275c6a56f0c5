// Keeps the site usable offline: every same-origin file is fetched from the network when there
// is one (so updates arrive) and answered from the cache when there is not. Files chosen by the
// seller never pass through here: they are read from disk by the worker.
const CACHE = 'huitou-v4';
// Both builds of the core: the worker picks one (wasm.js), and either must work offline.
const SHELL = [
  './', 'index.html', 'app.js', 'worker.js', 'read.js', 'reader.js', 'wasm.js', 'style.css',
  'pkg/huitou.js', 'pkg/huitou_bg.wasm', 'pkg/huitou_simd_bg.wasm', 'sample/demo-shop.csv',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    try {
      const res = await fetch(req);
      if (res.ok) (await caches.open(CACHE)).put(req, res.clone());
      return res;
    } catch {
      return (await caches.match(req, { ignoreSearch: true })) ?? Response.error();
    }
  })());
});
