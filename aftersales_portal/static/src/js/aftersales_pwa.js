/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import { session } from "@web/session";

/**
 * Technician app: service worker, offline work reports and web push.
 *
 * Reports written without a connection are kept in IndexedDB (texts, ticked actions, signature
 * and photos) with a key generated here, one per submission; they are sent when the connection
 * returns, with that key, so that a retry is never applied twice. What the server refuses
 * (the job was re-assigned or cancelled meanwhile, a wrong input) stays on the phone, with the
 * reason, until the technician discards it.
 */

const DB_NAME = "aftersales_portal";
const STORE = "worklog_drafts";
const SW_URL = "/my/aftersales/sw.js";
const RETRY_MS = 10000;

/**
 * The pages the service worker controls: /my/aftersales/, after the website's language prefix
 * when the page has one (/fa/my/aftersales/).
 */
function swScope() {
    const [prefix] = window.location.pathname.split("/my/aftersales/");
    return `${prefix}/my/aftersales/`;
}

function openDb() {
    return new Promise((resolve, reject) => {
        const open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = () => {
            const store = open.result.createObjectStore(STORE, { keyPath: "key" });
            store.createIndex("job", "jobId");
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
    });
}

async function withStore(mode, fn) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const result = fn(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(result && "result" in result ? result.result : result);
        tx.onerror = () => reject(tx.error);
    });
}

export const drafts = {
    // a shared phone: each signed-in user sees and sends only their own drafts
    all: async () => (await withStore("readonly", (store) => store.getAll())).filter((d) => d.uid === session.uid),
    put: (draft) => withStore("readwrite", (store) => store.put(draft)),
    remove: (key) => withStore("readwrite", (store) => store.delete(key)),
};

/**
 * Whether the server answers: the browser's ``navigator.onLine`` only knows of a network, not
 * whether it carries. A small request that the service worker never answers from its cache.
 */
export async function reachable() {
    if (!navigator.onLine) {
        return false;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 4000);
    try {
        const response = await fetch(SW_URL, { method: "HEAD", cache: "no-store", signal: controller.signal });
        return response.ok;
    } catch {
        return false;
    } finally {
        clearTimeout(timer);
    }
}

export function newKey() {
    if (window.crypto?.randomUUID) {
        return window.crypto.randomUUID();
    }
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Send the drafts waiting on this phone, oldest first. Stops at the first network failure (still
 * offline): the rest waits for the next try.
 *
 * @returns {Promise<{sent: number, refused: number, waiting: number, signIn: boolean}>}
 */
let syncing = null;
export function syncDrafts() {
    if (!syncing) {
        syncing = _syncDrafts().finally(() => (syncing = null));
    }
    return syncing;
}

async function _syncDrafts() {
    const summary = { sent: 0, refused: 0, waiting: 0, signIn: false, offline: false, messages: [], jobs: [] };
    const all = (await drafts.all()).sort((a, b) => a.createdAt - b.createdAt);
    for (const draft of all) {
        if (draft.state !== "waiting") {
            summary.refused += draft.state === "refused" ? 1 : 0;
            continue;
        }
        if (summary.offline || summary.signIn) {
            summary.waiting++;
            continue;
        }
        const body = new FormData();
        for (const [name, value, fileName] of draft.entries) {
            if (fileName !== undefined) {
                body.append(name, new Blob([value.bytes], { type: value.type }), fileName);
            } else {
                body.append(name, value);
            }
        }
        body.append("client_key", draft.key);
        // the time of the work, not of the sync: a check-out written offline ends the work then
        body.append("drafted_at", new Date(draft.createdAt).toISOString());
        if (draft.worklogId) {
            body.append("worklog_id", draft.worklogId);
        }
        body.append("csrf_token", odoo.csrf_token);
        let response;
        try {
            response = await fetch(`/my/aftersales/jobs/${draft.jobId}/worklog/sync`, {
                method: "POST",
                body,
                credentials: "same-origin",
                redirect: "manual",
            });
        } catch {
            // no connection after all: the others wait too
            summary.offline = true;
            summary.waiting++;
            continue;
        }
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
            // the session ended: kept until the technician signs in again
            summary.signIn = true;
            summary.waiting++;
            continue;
        }
        let answer = {};
        try {
            answer = await response.json();
        } catch {
            summary.waiting++;
            continue;
        }
        if (answer.status === "ok" || answer.status === "duplicate") {
            await drafts.remove(draft.key);
            summary.sent++;
            summary.jobs.push(draft.jobId);
            if (answer.message) {
                summary.messages.push(answer.message);
            }
        } else if (answer.status === "conflict" || answer.status === "invalid") {
            draft.state = "refused";
            draft.errors = answer.errors || [];
            await drafts.put(draft);
            summary.refused++;
            summary.newlyRefused = true;
        } else {
            summary.waiting++;
        }
    }
    return summary;
}

/**
 * Signed out (any page of the website): the job pages kept for offline use are the previous
 * user's, they are removed from the phone. Drafts not sent yet stay, hidden, for their author.
 */
if (session.is_public && window.caches) {
    window.caches
        .keys()
        .then((names) => names.filter((name) => name.startsWith("aftersales-app-")))
        .then((names) => Promise.all(names.map((name) => window.caches.delete(name))))
        .catch(() => {});
}

/**
 * Every technician page and the customer's request page: registers the service worker, shows
 * the offline banner and the drafts waiting to sync, sends them when the connection returns.
 */
publicWidget.registry.AftersalesPwa = publicWidget.Widget.extend({
    selector: ".o_aftersales_pwa",
    events: {
        "click .o_aftersales_draft_discard": "_onDiscard",
        "click .o_aftersales_sync_now": "_onSyncNow",
    },

    async start() {
        await this._super(...arguments);
        this.jobId = parseInt(this.el.dataset.jobId || 0) || false;
        this._onOnline = () => this._sync();
        this._onOffline = () => {
            this.offline = true;
            this._render();
        };
        window.addEventListener("online", this._onOnline);
        window.addEventListener("offline", this._onOffline);
        this.form = this.el.querySelector(".o_aftersales_worklog_form");
        if (this.form) {
            // before the signature widget posts: offline, the report is kept on the phone instead
            this._onFormSubmit = (ev) => this._keepOffline(ev);
            this.form.addEventListener("submit", this._onFormSubmit, true);
        }
        this._registerWorker();
        // the "online" event is not always sent (a network that comes back without a change of
        // interface): while reports wait, the server is tried again now and then
        this._timer = setInterval(() => this._retry(), RETRY_MS);
        this.offline = !(await reachable());
        await this._render();
        if (!this.offline) {
            this._sync();
        }
    },

    destroy() {
        clearInterval(this._timer);
        window.removeEventListener("online", this._onOnline);
        window.removeEventListener("offline", this._onOffline);
        this.form?.removeEventListener("submit", this._onFormSubmit, true);
        this._super(...arguments);
    },

    async _registerWorker() {
        if (!("serviceWorker" in navigator)) {
            return;
        }
        try {
            await navigator.serviceWorker.register(SW_URL, { scope: swScope() });
            const registration = await navigator.serviceWorker.ready;
            const today = [...this.el.querySelectorAll(".o_aftersales_today a.o_aftersales_job_card")];
            const urls = [`${swScope()}jobs`, ...today.map((link) => link.href)];
            if (navigator.onLine && registration.active) {
                registration.active.postMessage({ type: "aftersales-cache-urls", urls });
            }
            this.el.dataset.swReady = "1";
        } catch {
            // no service worker (private window, old browser): the pages work online as before
        }
    },

    /**
     * Offline submit of the worklog form: everything typed, ticked, drawn and photographed is
     * kept in IndexedDB with a new key, then sent when the connection returns.
     */
    async _keepOffline(ev) {
        if (this.posting) {
            // the server answers: the form is posted as always (see below)
            return;
        }
        ev.preventDefault();
        ev.stopImmediatePropagation();
        const submitter = ev.submitter;
        this.offline = !(await reachable());
        if (!this.offline) {
            this.posting = true;
            submitter ? this.form.requestSubmit(submitter) : this.form.requestSubmit();
            this.posting = false;
            return;
        }
        if (submitter?.dataset.locate && navigator.geolocation) {
            // check out and submit stamp the position: a phone knows it without a connection
            await new Promise((resolve) =>
                navigator.geolocation.getCurrentPosition(
                    (position) => {
                        this.form.querySelector("input[name=latitude]").value = position.coords.latitude;
                        this.form.querySelector("input[name=longitude]").value = position.coords.longitude;
                        resolve();
                    },
                    resolve,
                    { timeout: 5000, maximumAge: 60000 }
                )
            );
        }
        const canvas = this.form.querySelector(".o_aftersales_signature_pad");
        const signature = this.form.querySelector("input[name=signature]");
        if (canvas && signature && canvas.dataset.drawn) {
            signature.value = canvas.toDataURL("image/png");
        }
        const data = new FormData(this.form);
        if (submitter?.name) {
            data.append(submitter.name, submitter.value);
        }
        const entries = [];
        for (const [name, value] of data.entries()) {
            if (name === "csrf_token") {
                continue;
            }
            if (value instanceof File) {
                if (value.size) {
                    // the bytes themselves, not a reference to the picked file: the photos
                    // survive a closed browser and a file removed from the phone's gallery
                    entries.push([name, { bytes: await value.arrayBuffer(), type: value.type }, value.name]);
                }
            } else {
                entries.push([name, value]);
            }
        }
        await drafts.put({
            key: newKey(),
            uid: session.uid,
            jobId: this.jobId,
            worklogId: parseInt(this.form.dataset.worklogId || 0) || false,
            jobName: this.el.dataset.jobName || "",
            createdAt: Date.now(),
            state: "waiting",
            entries,
            errors: [],
        });
        this.form.querySelectorAll("input[type=file]").forEach((input) => (input.value = ""));
        this._flash(_t("Saved on this phone. It will be sent when the connection returns."), "info");
        await this._render();
    },

    async _sync() {
        this.offline = !(await reachable());
        if (this.offline) {
            return this._render();
        }
        const summary = await syncDrafts();
        this.offline = summary.offline;
        const message = summary.messages.join("\n") || _t("Your reports kept on this phone were sent.");
        if (this.jobId && summary.jobs.includes(this.jobId) && !summary.waiting && !summary.newlyRefused) {
            // the report of this page went through: the page again, with what the server has now
            window.location.assign(`${window.location.pathname}?message=${encodeURIComponent(message)}`);
            return summary;
        }
        if (summary.sent) {
            this._flash(message, "success");
        }
        if (summary.newlyRefused) {
            this._flash(_t("A report kept on this phone was not sent: the reason is below it."), "danger");
        }
        if (summary.signIn) {
            this._flash(_t("Sign in again to send the reports kept on this phone."), "warning");
        }
        await this._render();
        this.el.dataset.syncDone = String(Date.now());
        return summary;
    },

    async _retry() {
        if (document.visibilityState !== "visible" || syncing) {
            return;
        }
        const waiting = (await drafts.all()).some((draft) => draft.state === "waiting");
        if (waiting || this.offline) {
            await this._sync();
        }
    },

    async _onSyncNow() {
        await this._sync();
    },

    async _onDiscard(ev) {
        const key = ev.currentTarget.dataset.key;
        if (key && window.confirm(_t("Discard this report kept on the phone? It cannot be recovered."))) {
            await drafts.remove(key);
            await this._render();
        }
    },

    _flash(text, kind) {
        const flash = this.el.querySelector(".o_aftersales_pwa_flash");
        if (!flash) {
            return;
        }
        flash.className = `alert alert-${kind} o_aftersales_pwa_flash`;
        flash.textContent = text;
    },

    async _render() {
        const offline = this.el.querySelector(".o_aftersales_offline");
        offline?.classList.toggle("d-none", !this.offline);
        let all = [];
        try {
            all = await drafts.all();
        } catch {
            return;
        }
        const waiting = all.filter((d) => d.state === "waiting");
        const badge = this.el.querySelector(".o_aftersales_sync_badge");
        if (badge) {
            badge.classList.toggle("d-none", !waiting.length);
            badge.querySelector(".o_aftersales_sync_count").textContent = number(waiting.length);
        }
        const list = this.el.querySelector(".o_aftersales_drafts");
        if (!list) {
            return;
        }
        list.replaceChildren();
        const mine = this.jobId ? all.filter((d) => d.jobId === this.jobId) : all;
        for (const draft of mine.sort((a, b) => a.createdAt - b.createdAt)) {
            list.append(this._draftItem(draft));
        }
        list.classList.toggle("d-none", !mine.length);
    },

    _draftItem(draft) {
        const item = document.createElement("li");
        item.className = `list-group-item o_aftersales_draft o_aftersales_draft_${draft.state}`;
        const head = document.createElement("div");
        head.className = "d-flex justify-content-between align-items-center gap-2";
        const title = document.createElement("span");
        const notes = (draft.entries.find(([name]) => name === "work_description") || [])[1] || "";
        const photos = draft.entries.filter(([name, , file]) => file !== undefined && name.startsWith("photo")).length;
        title.textContent = [
            // a reference reads left to right inside a right-to-left text
            draft.jobName ? `\u2066${draft.jobName}\u2069` : "",
            new Date(draft.createdAt).toLocaleString(document.documentElement.lang || undefined),
            notes.slice(0, 60),
            photos ? _t("%s photo(s)", number(photos)) : "",
        ]
            .filter(Boolean)
            // not a middle dot, which reads as a Persian zero next to digits
            .join(" – ");
        const state = document.createElement("span");
        state.className = draft.state === "waiting" ? "badge text-bg-warning" : "badge text-bg-danger";
        state.textContent = draft.state === "waiting" ? _t("Waiting to sync") : _t("Not sent");
        head.append(title, state);
        item.append(head);
        if (draft.state === "refused") {
            const errors = document.createElement("div");
            errors.className = "small text-danger mt-1 o_aftersales_draft_errors";
            errors.style.whiteSpace = "pre-line";
            errors.textContent = draft.errors.join("\n");
            const discard = document.createElement("button");
            discard.type = "button";
            discard.className = "btn btn-sm btn-outline-danger mt-2 o_aftersales_draft_discard";
            discard.dataset.key = draft.key;
            discard.textContent = _t("Discard");
            item.append(errors, discard);
        }
        return item;
    },
});

/** A count in the page's digits (Persian digits on a Persian page). */
function number(value) {
    return value.toLocaleString(document.documentElement.lang || undefined);
}

function urlBase64ToUint8Array(text) {
    const padded = (text + "=".repeat((4 - (text.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

/**
 * "Notify me on this phone": web push of new jobs and messages (technicians) or of the status
 * of a service order (customers, who keep getting SMS as well).
 */
publicWidget.registry.AftersalesPushToggle = publicWidget.Widget.extend({
    selector: ".o_aftersales_push",
    events: { "click .o_aftersales_push_toggle": "_onToggle" },

    async start() {
        await this._super(...arguments);
        if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
            return;
        }
        this.el.classList.remove("d-none");
        await this._refresh();
    },

    async _subscription() {
        const registration = await navigator.serviceWorker.register(SW_URL, { scope: swScope() });
        await navigator.serviceWorker.ready;
        return { registration, subscription: await registration.pushManager.getSubscription() };
    },

    async _refresh() {
        const { subscription } = await this._subscription();
        let on = false;
        if (subscription) {
            on = (await rpc("/my/aftersales/push/status", { endpoint: subscription.endpoint })).subscribed;
        }
        this.on = on;
        const button = this.el.querySelector(".o_aftersales_push_toggle");
        button.textContent = on ? _t("Stop notifications on this phone") : _t("Notify me on this phone");
        button.classList.toggle("btn-outline-secondary", on);
        button.classList.toggle("btn-outline-primary", !on);
    },

    _status(text) {
        const status = this.el.querySelector(".o_aftersales_push_status");
        status.textContent = text || "";
    },

    async _onToggle() {
        this._status("");
        try {
            const { registration, subscription } = await this._subscription();
            if (this.on && subscription) {
                await rpc("/my/aftersales/push/unsubscribe", { endpoint: subscription.endpoint });
                await subscription.unsubscribe();
                return await this._refresh();
            }
            if ((await Notification.requestPermission()) !== "granted") {
                return this._status(_t("Notifications are blocked for this site in the browser settings."));
            }
            const { vapid_public_key } = await rpc("/my/aftersales/push/key", {});
            const options = { userVisibleOnly: true, applicationServerKey: urlBase64ToUint8Array(vapid_public_key) };
            let current = subscription || (await registration.pushManager.subscribe(options));
            let answer = await rpc("/my/aftersales/push/subscribe", { subscription: current.toJSON() });
            if (!answer.subscribed) {
                // kept for another account or with an older key: a new subscription of this browser
                await current.unsubscribe();
                current = await registration.pushManager.subscribe(options);
                answer = await rpc("/my/aftersales/push/subscribe", { subscription: current.toJSON() });
            }
            this._status(answer.error || "");
        } catch {
            this._status(_t("This browser cannot receive notifications."));
        }
        await this._refresh();
    },
});
