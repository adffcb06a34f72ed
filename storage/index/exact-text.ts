// Strings in binary metadata (part.meta zone maps, bitmap index values), exactly. JavaScript
// strings may hold lone surrogates, which UTF-8 cannot (an encoder writes U+FFFD instead, and a
// value read back that way would compare differently and prune rows it must keep). Such a string
// is stored as its UTF-16 code units (little-endian) under its own tag; every other string as
// UTF-8, so files without lone surrogates are what they always were.

/** A lone surrogate: a surrogate code point that is not half of a pair (the u flag pairs them). */
const LONE_SURROGATE = /\p{Cs}/u;
/** Code units per String.fromCharCode call (stays under argument-count limits). */
const UNITS_PER_CALL = 8192;

const utf8 = new TextEncoder();

/** True when UTF-8 holds `s` exactly. */
export function utf8Exact(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

export function utf8Bytes(s: string): Uint8Array {
  return utf8.encode(s);
}

/** `s` as UTF-16 code units, little-endian. */
export function utf16Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    out[2 * i] = u & 0xff;
    out[2 * i + 1] = u >>> 8;
  }
  return out;
}

/** The string of little-endian UTF-16 code units (`bytes.length` MUST be even). */
export function fromUtf16Bytes(bytes: Uint8Array): string {
  const n = bytes.length >>> 1;
  const units = new Uint16Array(n);
  for (let i = 0; i < n; i++) units[i] = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
  let s = '';
  for (let i = 0; i < n; i += UNITS_PER_CALL) s += String.fromCharCode(...units.subarray(i, i + UNITS_PER_CALL));
  return s;
}
