// download.js - files the page hands to the person. Decrypted attachments
// are only ever offered as application/octet-stream downloads, never
// rendered (SPEC 3.6); the object URL is revoked right after the click.
import { h } from './dom.js';

/** Offers `data` (Uint8Array or string) as a download named `name`. */
export function downloadBytes(name, data) {
  const blob = new Blob([data], { type: 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: safeName(name), hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// A file name without path separators or control characters.
export function safeName(name) {
  const cleaned = String(name ?? '').replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').trim();
  return cleaned.slice(0, 200) || 'download.bin';
}

/** Copies text to the clipboard; resolves true on success. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
