// ?no-wait-async: the page runs as in an engine without Atomics.waitAsync (Firefox before 145,
// Safari), so weft's default wake mode is its fallback, a message from the worker. A classic
// script, so it runs before the page's module scripts (and weft) are evaluated.
if (new URLSearchParams(location.search).has('no-wait-async')) delete Atomics.waitAsync;
