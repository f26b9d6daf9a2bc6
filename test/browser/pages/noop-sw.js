// A service worker that adds no headers: registered in place of isolation-sw.js, it can never
// isolate the page, which must then reload once and stop.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
