/** The little XML S3 speaks: escaped text elements, and the document header. */

/** Escapes text for an XML element or attribute. */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** `<name>text</name>`, escaped. */
export function element(name: string, text: string | number | boolean): string {
  return `<${name}>${xmlEscape(String(text))}</${name}>`;
}

/** S3's XML declaration line. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** S3's namespace on result documents. */
export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
