// totp.mjs - RFC 6238 codes (HMAC-SHA-1, 6 digits, 30 s) for the tests, and
// the otpauth:// secret they come from.
import { createHmac } from 'node:crypto';

export const PERIOD = 30;

export function currentStep(now = Date.now()) {
  return Math.floor(now / 1000 / PERIOD);
}

export function totpCode(secret, step = currentStep()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', Buffer.from(secret)).update(counter).digest();
  const offset = h[h.length - 1] & 0x0f;
  const bin = ((h[offset] & 0x7f) << 24) | (h[offset + 1] << 16) | (h[offset + 2] << 8) | h[offset + 3];
  return String(bin % 1000000).padStart(6, '0');
}

export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0; let value = 0; const out = [];
  for (const c of text.replace(/=+$/, '')) {
    const i = alphabet.indexOf(c.toUpperCase());
    if (i < 0) throw new Error('bad base32');
    value = (value << 5) | i; bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
  }
  return new Uint8Array(out);
}

// The secret of an otpauth:// URI.
export function secretFromUri(uri) {
  const url = new URL(uri);
  if (url.protocol !== 'otpauth:') throw new Error('not an otpauth URI');
  return base32Decode(url.searchParams.get('secret'));
}
