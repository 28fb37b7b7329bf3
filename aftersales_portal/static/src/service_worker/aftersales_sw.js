/* eslint-env serviceworker */
/* eslint-disable no-restricted-globals */
/**
 * Service worker of the after-sales technician app (scope /my/aftersales/, or /fa/my/aftersales/
 * for the pages of the website in another language than its default one).
 *
 * - Pages and files the app's pages load are kept in a cache (network first, the cache when the
 *   network fails), so today's jobs and the worklog form open without a connection. Job pages are
 *   kept under their address without the query (?message=...).
 * - The page asks it to keep today's job pages (message "aftersales-cache-urls").
 * - Nothing is sent from here: the page keeps offline reports in IndexedDB and sends them itself
 *   when the connection returns (POSTs are never answered from the cache).
 * - Web push: shows the notification; a tap opens its page (the job, with its accept button).
 */
const CACHE = "aftersales-app-v1";
// the job pages, with or without the website's language prefix (/fa/my/aftersales/jobs/7)
const JOB_PAGES = /^(\/[a-z]{2,3}(_[A-Za-z0-9]{2,8})?)?\/my\/aftersales\/jobs(\/|$)/;
const KEPT_PREFIXES = [
    "/web/assets/",
    "/web/static/",
    "/web/webclient/",
    "/web/image",
    "/web/binary/",
    "/website/static/",
    "/website/translations/",
    "/website/image",
    "/aftersales_portal/static/",
];
const NEVER_KEPT = ["/web/login", "/web/session", "/websocket", "/my/aftersales/sw.js"];

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
    event.waitUntil(
        (async () => {
            for (const name of await caches.keys()) {
                if (name.startsWith("aftersales-app-") && name !== CACHE) {
                    await caches.delete(name);
                }
            }
            await self.clients.claim();
        })()
    );
});

function cacheKey(url) {
    // job pages are kept once, whatever message their address carries
    return JOB_PAGES.test(url.pathname) ? url.origin + url.pathname : url.href;
}

const LANG_PREFIX = /^\/[a-z]{2,3}(_[A-Za-z0-9]{2,8})?(?=\/)/;

function isKept(url) {
    const path = url.pathname;
    // the same files under the website's language prefix (/fa/website/translations/...)
    const bare = path.replace(LANG_PREFIX, "");
    return (
        url.origin === self.location.origin &&
        (JOB_PAGES.test(path) || KEPT_PREFIXES.some((prefix) => path.startsWith(prefix) || bare.startsWith(prefix))) &&
        !NEVER_KEPT.some((prefix) => path.startsWith(prefix))
    );
}

async function keep(request, response) {
    // never keep the sign-in page a session timeout redirected to; a file redirected to its
    // language (/website/translations -> /fa/website/translations) is kept under the asked address
    if (
        response &&
        response.ok &&
        response.type === "basic" &&
        !(response.redirected && new URL(response.url).pathname.includes("/web/login"))
    ) {
        const cache = await caches.open(CACHE);
        await cache.put(cacheKey(new URL(request.url)), response.clone());
    }
    return response;
}

async function fromCache(request) {
    const cache = await caches.open(CACHE);
    const url = new URL(request.url);
    const hit = await cache.match(cacheKey(url));
    if (hit) {
        return hit;
    }
    if (request.mode === "navigate") {
        // a job not kept yet: the list of jobs, which says the phone is offline
        const list = await cache.match(new URL("jobs", self.registration.scope).href);
        if (list) {
            return list;
        }
    }
    return Response.error();
}

self.addEventListener("fetch", (event) => {
    const request = event.request;
    if (request.method !== "GET") {
        return;
    }
    const url = new URL(request.url);
    if (!isKept(url)) {
        return;
    }
    if (url.pathname.startsWith("/web/assets/")) {
        // bundles carry their version in the address: the kept copy is the right one
        event.respondWith(
            caches
                .open(CACHE)
                .then((cache) => cache.match(request))
                .then((hit) => hit || fetch(request).then((response) => keep(request, response)))
        );
        return;
    }
    event.respondWith(
        fetch(request)
            .then((response) => keep(request, response))
            .catch(() => fromCache(request))
    );
});

self.addEventListener("message", (event) => {
    const data = event.data || {};
    if (data.type !== "aftersales-cache-urls" || !Array.isArray(data.urls)) {
        return;
    }
    event.waitUntil(
        (async () => {
            for (const href of data.urls.slice(0, 50)) {
                const url = new URL(href, self.location.origin);
                if (!isKept(url)) {
                    continue;
                }
                try {
                    const request = new Request(url.href, { credentials: "same-origin" });
                    await keep(request, await fetch(request));
                } catch {
                    // offline again: kept next time
                }
            }
            event.source?.postMessage({ type: "aftersales-cached", count: data.urls.length });
        })()
    );
});

self.addEventListener("push", (event) => {
    let notification = {};
    try {
        notification = event.data ? event.data.json() : {};
    } catch {
        notification = { title: event.data ? event.data.text() : "" };
    }
    const options = notification.options || {};
    event.waitUntil(self.registration.showNotification(notification.title || "", options));
});

self.addEventListener("notificationclick", (event) => {
    event.notification.close();
    const data = event.notification.data || {};
    let target = data.url;
    if (!target && data.model === "repair.order" && data.res_id) {
        // a notification of Odoo's own mail push (a message on the job)
        target = `/my/aftersales/jobs/${data.res_id}`;
    }
    const url = new URL(target || "/my/aftersales/jobs", self.location.origin);
    if (url.origin !== self.location.origin) {
        return;
    }
    event.waitUntil(
        (async () => {
            for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
                if (new URL(client.url).pathname === url.pathname && "focus" in client) {
                    return client.focus();
                }
            }
            return self.clients.openWindow(url.href);
        })()
    );
});
