// A step of a journey tour that asks the test for a screenshot of the page as it is now and waits for
// the picture (the test's ``shots_on_signal`` answers on the body; without a test listening, the
// step gives up after ten seconds and the tour goes on). On a long page (the phone) the trigger is
// scrolled to the middle of the screen first; ``scroll: false`` keeps the page as it is (back office).
export function journeyShot(name, trigger = "body", { scroll = true } = {}) {
    return {
        content: `screenshot: ${name}`,
        trigger,
        async run() {
            // no "Loading" badge in the picture: the back office's requests are answered first
            const settled = Date.now() + 5000;
            while (document.querySelector(".o_loading_indicator") && Date.now() < settled) {
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
            if (scroll && trigger !== "body") {
                this.anchor.scrollIntoView({ block: "center" });
            }
            console.log(`aftersales-shot:${name}`);
            const until = Date.now() + 10000;
            while (document.body.dataset.aftersalesShot !== name && Date.now() < until) {
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
        },
    };
}

// A 1x1 PNG, enough for the server's type check of a photo
const PNG_B64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/** Put a PNG into a file input, as if the user had picked or taken a photo. */
export function pickPng(input, name) {
    const bytes = Uint8Array.from(atob(PNG_B64), (char) => char.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type: "image/png" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

/** Draw a stroke on a signature canvas with the pointer, as a finger or a mouse would. */
export async function drawOn(canvas) {
    const rect = canvas.getBoundingClientRect();
    const at = (x, y) => ({
        clientX: rect.left + x * rect.width,
        clientY: rect.top + y * rect.height,
        bubbles: true,
        pointerId: 1,
        buttons: 1,
        isPrimary: true,
    });
    const points = [
        [0.1, 0.7],
        [0.25, 0.2],
        [0.4, 0.75],
        [0.6, 0.3],
        [0.8, 0.6],
    ];
    canvas.dispatchEvent(new PointerEvent("pointerdown", at(...points[0])));
    for (const point of points.slice(1)) {
        // the pad takes one point per frame at most
        await new Promise((resolve) => setTimeout(resolve, 40));
        canvas.dispatchEvent(new PointerEvent("pointermove", at(...point)));
    }
    canvas.ownerDocument.dispatchEvent(new PointerEvent("pointerup", at(...points.at(-1))));
}

// A step choosing the first option a many2one field offers. The list may be drawn again as it loads (the
// click is then lost): click the first option until it is the field's value, opening the list again when
// it closed without a choice; fails after eight seconds.
export function chooseFirstOption(content, fieldName) {
    const item = `.o_field_widget[name=${fieldName}] .o-autocomplete--dropdown-item:first-child a`;
    return {
        content,
        trigger: item,
        async run(actions) {
            const field = document.querySelector(`.o_form_view .o_field_widget[name=${fieldName}]`);
            const until = Date.now() + 8000;
            let chosen = "";
            while (!chosen || field.querySelector("input").value !== chosen) {
                if (Date.now() > until) {
                    throw new Error(`no option of ${fieldName} could be chosen`);
                }
                const first = document.querySelector(item);
                if (first) {
                    chosen = first.textContent.trim();
                    await actions.click(first);
                } else if (field.querySelector("input").value !== chosen) {
                    await actions.click(field.querySelector("input"));
                }
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
        },
    };
}
