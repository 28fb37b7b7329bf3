/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";

/**
 * Barcode/QR scanning into a text input.
 * Live camera with the BarcodeDetector API when the browser has it; otherwise a photo
 * taken through a file input (capture) is decoded by BarcodeDetector. Without the API
 * the button stays hidden and the code is typed.
 */
publicWidget.registry.AftersalesScan = publicWidget.Widget.extend({
    selector: ".o_aftersales_scan",
    events: { click: "_onClick" },

    start() {
        if ("BarcodeDetector" in window) {
            this.el.classList.remove("d-none");
        }
        return this._super(...arguments);
    },

    destroy() {
        this._stop();
        this._super(...arguments);
    },

    _input() {
        return document.querySelector(this.el.dataset.target);
    },

    _fill(value) {
        const input = this._input();
        // part lists collect several codes, one per line
        input.value = this.el.dataset.append && input.value ? `${input.value}\n${value}` : value;
        input.dispatchEvent(new Event("change", { bubbles: true }));
    },

    async _onClick() {
        const detector = new window.BarcodeDetector();
        if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
            return this._fromPhoto(detector);
        }
        let stream;
        try {
            stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
        } catch {
            return this._fromPhoto(detector);
        }
        this.stream = stream;
        const video = document.createElement("video");
        video.setAttribute("playsinline", "playsinline");
        video.className = "w-100 rounded my-2 o_aftersales_scan_video";
        video.srcObject = stream;
        this._input().closest(".input-group").after(video);
        this.video = video;
        await video.play();
        const tick = async () => {
            if (!this.stream) {
                return;
            }
            try {
                const codes = await detector.detect(video);
                if (codes.length) {
                    this._fill(codes[0].rawValue);
                    this._stop();
                    return;
                }
            } catch {
                // frame not ready yet
            }
            this.timer = setTimeout(tick, 250);
        };
        tick();
    },

    _fromPhoto(detector) {
        const picker = document.createElement("input");
        picker.type = "file";
        picker.accept = "image/*";
        picker.setAttribute("capture", "environment");
        picker.addEventListener("change", async () => {
            if (!picker.files.length) {
                return;
            }
            const bitmap = await createImageBitmap(picker.files[0]);
            const codes = await detector.detect(bitmap);
            if (codes.length) {
                this._fill(codes[0].rawValue);
            } else {
                window.alert(_t("No code found in this photo; type it instead."));
            }
        });
        picker.click();
    },

    _stop() {
        clearTimeout(this.timer);
        if (this.stream) {
            this.stream.getTracks().forEach((track) => track.stop());
            this.stream = null;
        }
        if (this.video) {
            this.video.remove();
            this.video = null;
        }
    },
});

/**
 * Position from the browser's geolocation into hidden latitude/longitude inputs.
 */
export function locate(form, statusEl) {
    return new Promise((resolve) => {
        if (!navigator.geolocation) {
            statusEl && (statusEl.textContent = _t("Your browser cannot give your position."));
            return resolve(false);
        }
        navigator.geolocation.getCurrentPosition(
            (pos) => {
                form.querySelector("input[name=latitude]").value = pos.coords.latitude.toFixed(6);
                form.querySelector("input[name=longitude]").value = pos.coords.longitude.toFixed(6);
                statusEl &&
                    (statusEl.textContent = `${pos.coords.latitude.toFixed(5)}, ${pos.coords.longitude.toFixed(5)}`);
                resolve(true);
            },
            () => {
                statusEl && (statusEl.textContent = _t("Position not available: type the address."));
                resolve(false);
            },
            { enableHighAccuracy: true, timeout: 10000 }
        );
    });
}

/**
 * Customer request form: one-time code, position, size pre-check, review step.
 * The server checks everything again; this only saves the visitor a round trip.
 */
publicWidget.registry.AftersalesRequestForm = publicWidget.Widget.extend({
    selector: ".o_aftersales_request_form",
    events: {
        "click .o_aftersales_otp_send": "_onOtpSend",
        "click .o_aftersales_otp_verify": "_onOtpVerify",
        "click .o_aftersales_locate": "_onLocate",
        "click .o_aftersales_review_btn": "_onReview",
        "click .o_aftersales_edit_btn": "_onEdit",
        "change .o_aftersales_upload": "_onUploadChange",
        "change input[name=unit_code]": "_onUnitChange",
        "input .o_aftersales_product_search": "_onProductSearch",
        "input .is-invalid": "_onFixed",
        "change .is-invalid": "_onFixed",
    },

    start() {
        const select = this.el.querySelector("select[name=product_id]");
        this.productOptions = select ? [...select.options] : [];
        // an error sent back by the server is at the top of the page: show it
        this.el.parentElement.querySelector(".o_aftersales_errors")?.scrollIntoView({ block: "center" });
        return this._super(...arguments);
    },

    /** One of the customer's own units stands for product and serial; "Another product" asks for them. */
    _onUnitChange() {
        const checked = this.el.querySelector("input[name=unit_code]:checked");
        const other = this.el.querySelector(".o_aftersales_other_unit");
        const own = Boolean(checked && checked.value);
        other.classList.toggle("d-none", own);
        if (own) {
            this.el.querySelector("select[name=product_id]").value = "";
            this.el.querySelector("input[name=serial]").value = "";
        }
    },

    /** Narrow the product list to the names containing the typed text (serviceable products only). */
    _onProductSearch(ev) {
        const select = this.el.querySelector("select[name=product_id]");
        const words = ev.currentTarget.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        const [none, ...options] = this.productOptions;
        const matches = options.filter((option) =>
            words.every((word) => option.text.toLowerCase().includes(word))
        );
        const selected = select.value;
        select.replaceChildren(none, ...matches);
        select.value = matches.some((option) => option.value === selected)
            ? selected
            : words.length && matches.length
              ? matches[0].value
              : "";
    },

    /**
     * A mistake found at the review tap: the message next to the field, the field scrolled into
     * the middle of the screen and focused (the button is at the bottom of a long form on a phone).
     */
    _fail(field, message) {
        field.classList.add("is-invalid");
        let feedback = field.parentElement.querySelector(".o_aftersales_feedback");
        if (!feedback) {
            feedback = document.createElement("div");
            feedback.className = "invalid-feedback d-block o_aftersales_feedback";
            (field.closest(".input-group") || field).after(feedback);
        }
        feedback.textContent = message;
        field.scrollIntoView({ block: "center" });
        field.focus({ preventScroll: true });
    },

    _onFixed(ev) {
        ev.currentTarget.classList.remove("is-invalid");
        ev.currentTarget.closest("fieldset")?.querySelector(".o_aftersales_feedback")?.remove();
    },

    _clearFeedback() {
        this.el.querySelectorAll(".o_aftersales_feedback").forEach((el) => el.remove());
        this.el.querySelectorAll(".is-invalid").forEach((el) => el.classList.remove("is-invalid"));
    },

    _status(text, ok) {
        const el = this.el.querySelector(".o_aftersales_otp_status");
        el.textContent = text;
        el.className = `small mt-1 o_aftersales_otp_status ${ok ? "text-success" : "text-danger"}`;
    },

    async _onOtpSend() {
        const target = this.el.querySelector("input[name=otp_target]").value;
        const result = await rpc("/aftersales/request/otp/send", { target });
        if (result.error) {
            return this._status(result.error, false);
        }
        this.el.querySelector(".o_aftersales_otp_code").classList.remove("d-none");
        this._status(_t("Code sent. Type it below."), true);
    },

    async _onOtpVerify() {
        const code = this.el.querySelector("input[name=otp_code]").value;
        const result = await rpc("/aftersales/request/otp/verify", { code });
        if (result.error) {
            return this._status(result.error, false);
        }
        this.el.querySelector(".o_aftersales_otp_code").classList.add("d-none");
        this.el.querySelector("input[name=otp_target]").readOnly = true;
        this.el.querySelector(".o_aftersales_otp_send").classList.add("d-none");
        const status = this.el.querySelector(".o_aftersales_otp_status");
        status.dataset.verified = "1";
        this._status(_t("Verified"), true);
    },

    _onLocate() {
        locate(this.el, this.el.querySelector(".o_aftersales_position"));
    },

    _onUploadChange(ev) {
        const input = ev.currentTarget;
        const limitMb = parseFloat(
            input.dataset.kind === "video" ? this.el.dataset.maxVideoMb : this.el.dataset.maxPhotoMb
        );
        for (const file of input.files) {
            if (file.size > limitMb * 1024 * 1024) {
                window.alert(_t("%(file)s is larger than %(size)s MB.", { file: file.name, size: limitMb }));
                input.value = "";
                return;
            }
        }
    },

    _onReview() {
        const fill = this.el.querySelector(".o_aftersales_step_fill");
        const status = this.el.querySelector(".o_aftersales_otp_status");
        this._clearFeedback();
        const name = this.el.querySelector("input[name=contact_name]");
        if (name && !name.value.trim()) {
            return this._fail(name, _t("Give your name."));
        }
        if (status && status.dataset.verified !== "1") {
            this._status(_t("Verify your phone number or email first."), false);
            const target = this.el.querySelector("input[name=otp_target]");
            target.scrollIntoView({ block: "center" });
            target.focus({ preventScroll: true });
            return;
        }
        const unit = this.el.querySelector("input[name=unit_code]:checked");
        const product = this.el.querySelector("select[name=product_id]");
        const serial = this.el.querySelector("input[name=serial]");
        if (!(unit && unit.value) && !product.value && !serial.value.trim()) {
            return this._fail(product, _t("Choose the product or give its serial or warranty card number."));
        }
        const failure = this.el.querySelector("select[name=failure_mode_id]");
        const description = this.el.querySelector("textarea[name=description]");
        if (!(failure && failure.value) && !description.value.trim()) {
            return this._fail(description, _t("Choose the problem from the list or describe it."));
        }
        if (!this.el.reportValidity()) {
            return;
        }
        const list = this.el.querySelector(".o_aftersales_review_list");
        list.replaceChildren();
        for (const field of fill.querySelectorAll("[data-review]")) {
            let value = field.value;
            let shown = null;
            if (field.type === "radio") {
                // a chosen unit: its product and serial as shown in the list (the serial kept left to right)
                shown = field.checked && field.value ? field.closest("label").querySelector("span").cloneNode(true) : null;
                value = shown ? shown.textContent : "";
            } else if (field.closest(".o_aftersales_other_unit.d-none")) {
                continue;
            } else if (field.tagName === "SELECT") {
                value = field.value ? field.options[field.selectedIndex].text : "";
            } else if (field.type === "file") {
                value = [...field.files].map((f) => f.name).join(", ");
            }
            if (!value) {
                continue;
            }
            const dt = document.createElement("dt");
            // labels come from the (translated) page, not from the attribute
            const label =
                field.type !== "radio" && field.labels && field.labels.length
                    ? field.labels[0]
                    : field.closest("fieldset").querySelector("legend");
            dt.textContent = label.textContent.trim();
            const dd = document.createElement("dd");
            if (shown) {
                dd.append(shown);
            } else {
                dd.textContent = value;
            }
            list.append(dt, dd);
        }
        const lat = this.el.querySelector("input[name=latitude]").value;
        if (lat) {
            const dt = document.createElement("dt");
            dt.textContent = _t("Position");
            const dd = document.createElement("dd");
            dd.textContent = `${lat}, ${this.el.querySelector("input[name=longitude]").value}`;
            list.append(dt, dd);
        }
        fill.classList.add("d-none");
        this.el.querySelector(".o_aftersales_step_review").classList.remove("d-none");
        window.scrollTo(0, 0);
    },

    _onEdit() {
        this.el.querySelector(".o_aftersales_step_fill").classList.remove("d-none");
        this.el.querySelector(".o_aftersales_step_review").classList.add("d-none");
    },
});

/**
 * Technician step buttons (on my way, check in/out): stamp the position before posting.
 */
publicWidget.registry.AftersalesStepForm = publicWidget.Widget.extend({
    selector: ".o_aftersales_with_position",
    events: { submit: "_onSubmit" },

    async _onSubmit(ev) {
        if (this.located) {
            return;
        }
        ev.preventDefault();
        await Promise.race([locate(this.el, null), new Promise((resolve) => setTimeout(resolve, 5000))]);
        this.located = true;
        this.el.requestSubmit ? this.el.requestSubmit() : this.el.submit();
    },
});

/**
 * Customer signature drawn on a canvas, sent as a PNG data URL in a hidden input.
 */
publicWidget.registry.AftersalesSignature = publicWidget.Widget.extend({
    selector: ".o_aftersales_worklog_form",
    events: {
        "click .o_aftersales_signature_clear": "_onClear",
        "click .o_aftersales_van_part": "_onVanPart",
        "change .o_aftersales_photo_input": "_onPhotos",
        submit: "_onSubmit",
    },

    start() {
        this.canvas = this.el.querySelector(".o_aftersales_signature_pad");
        if (this.canvas) {
            const ratio = window.devicePixelRatio || 1;
            this.canvas.width = this.canvas.offsetWidth * ratio;
            this.canvas.height = this.canvas.offsetHeight * ratio;
            this.ctx = this.canvas.getContext("2d");
            this.ctx.scale(ratio, ratio);
            this.ctx.lineWidth = 2;
            this.ctx.lineCap = "round";
            this.drawn = false;
            this.canvas.addEventListener("pointerdown", (ev) => this._down(ev));
            this.canvas.addEventListener("pointermove", (ev) => this._move(ev));
            window.addEventListener("pointerup", (this._upHandler = () => (this.drawing = false)));
        }
        return this._super(...arguments);
    },

    destroy() {
        if (this._upHandler) {
            window.removeEventListener("pointerup", this._upHandler);
        }
        this._super(...arguments);
    },

    _point(ev) {
        const rect = this.canvas.getBoundingClientRect();
        return [ev.clientX - rect.left, ev.clientY - rect.top];
    },

    _down(ev) {
        this.drawing = true;
        this.ctx.beginPath();
        this.ctx.moveTo(...this._point(ev));
    },

    _move(ev) {
        if (!this.drawing) {
            return;
        }
        this.ctx.lineTo(...this._point(ev));
        this.ctx.stroke();
        this.drawn = true;
        // read by the offline report (aftersales_pwa.js), which keeps the drawing too
        this.canvas.dataset.drawn = "1";
    },

    /** A part of the van in one tap: its code joins the list of part codes (one more unit per tap). */
    _onVanPart(ev) {
        const codes = this.el.querySelector("textarea[name=part_codes]");
        const code = ev.currentTarget.dataset.code;
        codes.value = codes.value.trim() ? `${codes.value.trim()}\n${code}` : code;
        ev.currentTarget.classList.replace("btn-outline-primary", "btn-primary");
    },

    /** The photo button says how many photos were just taken (they are sent with the report). */
    _onPhotos(ev) {
        const button = this.el.querySelector(`label[for=${ev.currentTarget.id}]`);
        const count = ev.currentTarget.files.length;
        button.nextElementSibling.textContent = count
            ? _t("+%(count)s taken", { count: count.toLocaleString(document.documentElement.lang || undefined) })
            : "";
        button.classList.toggle("btn-outline-secondary", !count);
        button.classList.toggle("btn-secondary", Boolean(count));
    },

    _onClear() {
        this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
        this.drawn = false;
        delete this.canvas.dataset.drawn;
        // a signature kept from a refused post is cleared too
        this.el.querySelector("input[name=signature]").value = "";
        this.el.querySelector(".o_aftersales_signature_typed")?.remove();
    },

    /**
     * Check out and submit stamp the position: it is looked up (5 seconds at most, a basement
     * has no signal) before the form is posted, with the button that was tapped.
     */
    async _onSubmit(ev) {
        if (this.canvas && this.drawn) {
            this.el.querySelector("input[name=signature]").value = this.canvas.toDataURL("image/png");
        }
        const submitter = (ev.originalEvent || ev).submitter;
        if (this.located || !submitter || !submitter.dataset.locate) {
            return;
        }
        ev.preventDefault();
        this.located = true;
        await Promise.race([locate(this.el, null), new Promise((resolve) => setTimeout(resolve, 5000))]);
        this.el.requestSubmit(submitter);
    },
});

/**
 * Agents' batch form: one more line on demand; the first empty code has the focus, and Enter (a
 * scanner ends each code with it) moves on to the failure, then to the next line's code (a new line
 * at the end) instead of sending half a batch.
 */
publicWidget.registry.AftersalesBatchForm = publicWidget.Widget.extend({
    selector: ".o_aftersales_batch_form",
    events: {
        "click .o_aftersales_batch_add_row": "_onAddRow",
        "keydown .o_aftersales_batch_row input": "_onRowKeydown",
    },

    start() {
        const empty = [...this.el.querySelectorAll(".o_aftersales_batch_row input[name=code]")].find(
            (input) => !input.value
        );
        // the page opens with the errors at the top when there are some: leave the focus to the reader
        if (empty && !document.querySelector(".o_aftersales_batch_errors")) {
            empty.focus();
        }
        return this._super(...arguments);
    },

    _onAddRow() {
        const rows = this.el.querySelector(".o_aftersales_batch_rows");
        const row = rows.lastElementChild.cloneNode(true);
        row.querySelectorAll("input").forEach((input) => (input.value = ""));
        rows.append(row);
        return row;
    },

    _onRowKeydown(ev) {
        if (ev.key !== "Enter" || ev.isComposing) {
            return;
        }
        ev.preventDefault();
        const row = ev.currentTarget.closest(".o_aftersales_batch_row");
        let next;
        if (ev.currentTarget.name === "code") {
            next = row.querySelector("input[name=failure]");
        } else {
            const nextRow = row.nextElementSibling || this._onAddRow();
            next = nextRow.querySelector("input[name=code]");
        }
        next.focus();
    },
});
