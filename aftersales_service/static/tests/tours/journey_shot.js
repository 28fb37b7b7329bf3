// A step of a journey tour that asks the test for a screenshot of the page as it is now and waits for
// the picture (the test's ``shots_on_signal`` answers on the body; without a test listening, the
// step gives up after ten seconds and the tour goes on). On a long page (the phone) the trigger is
// scrolled to the middle of the screen first; ``scroll: false`` keeps the page as it is (back office).
export function journeyShot(name, trigger = "body", { scroll = true } = {}) {
    return {
        content: `screenshot: ${name}`,
        trigger,
        async run() {
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
