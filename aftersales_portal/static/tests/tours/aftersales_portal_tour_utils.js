/** @odoo-module **/

// A 1x1 PNG, enough for the server's type check (PNG signature)
const PNG_B64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/**
 * Put a generated file into a file input, as if picked by the user.
 */
export function setInputFile(input, name, type, base64OrText, isText = false) {
    let bytes;
    if (isText) {
        bytes = new TextEncoder().encode(base64OrText);
    } else {
        const binary = atob(base64OrText);
        bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) {
            bytes[i] = binary.charCodeAt(i);
        }
    }
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

export function setPng(input, name = "photo.png") {
    setInputFile(input, name, "image/png", PNG_B64);
}
