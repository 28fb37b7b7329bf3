import { registry } from "@web/core/registry";
import {
    Many2ManyBinaryField,
    many2ManyBinaryField,
} from "@web/views/fields/many2many_binary/many2many_binary_field";

/**
 * Attachments as thumbnails: photos of a worklog are looked at, not downloaded. Same upload and
 * removal as ``many2many_binary``; images show as a picture that opens full size, other files as
 * the usual file icon.
 */
export class Many2ManyBinaryImageField extends Many2ManyBinaryField {
    static template = "aftersales_service.Many2ManyBinaryImageField";

    isImage(file) {
        return Boolean(file.mimetype && file.mimetype.startsWith("image/"));
    }

    getImageUrl(id, size = "") {
        return `/web/image/${id}${size ? "/" + size : ""}`;
    }
}

export const many2ManyBinaryImageField = {
    ...many2ManyBinaryField,
    component: Many2ManyBinaryImageField,
};

registry.category("fields").add("many2many_binary_image", many2ManyBinaryImageField);
