// VARCHAR values in a block: their text as one run of UTF-8 bytes plus the end offset of each
// value in UTF-16 code units. Decoding is one native UTF-8 decode of the whole run and a
// substring per value, instead of a decoder call per value.
//
// Layout: u32 text bytes, u8 flags, pad to 4, u32 end offset per value, the text bytes.
// JavaScript strings may hold lone surrogates, which UTF-8 cannot; such text is written as
// WTF-8 (a lone surrogate takes the 3-byte form of its code point), flagged, and decoded by the
// loop below that keeps it, so every string round-trips exactly.

import { ByteWriter } from './byte-writer.js';
import { BlockReader, corruptBlock } from './block-reader.js';

const FLAG_LONE_SURROGATES = 1;
/** Most UTF-8 bytes one UTF-16 code unit can need (a surrogate pair takes 4 for 2 units). */
const MAX_BYTES_PER_UNIT = 3;
/** Code units per String.fromCharCode call when rebuilding WTF-8 text (stays under argument limits). */
const CHARS_PER_CALL = 8192;

// ignoreBOM: a value that starts with U+FEFF keeps it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Writes data[rows[k]] (data[k] when rows is null) for k < count; NULL rows (validity 0) as ''.
 */
export function writeStrings(w: ByteWriter, data: string[], validity: Uint8Array | null, rows: Int32Array | null, count: number): void {
  const head = w.length;
  w.u32(0);
  w.u8(0);
  const ends = w.uint32View(count);
  let units = 0;
  for (let k = 0; k < count; k++) {
    const i = rows === null ? k : rows[k]!;
    if (validity === null || validity[i] !== 0) units += data[i]!.length;
    ends[k] = units;
  }
  w.ensure(units * MAX_BYTES_PER_UNIT);
  const buf = w.raw();
  const start = w.length;
  let p = start;
  let lone = false;
  for (let k = 0; k < count; k++) {
    const i = rows === null ? k : rows[k]!;
    if (validity !== null && validity[i] === 0) continue;
    const s = data[i]!;
    const len = s.length;
    for (let j = 0; j < len; j++) {
      const c = s.charCodeAt(j);
      if (c < 0x80) {
        buf[p++] = c;
      } else if (c < 0x800) {
        buf[p++] = 0xc0 | (c >>> 6);
        buf[p++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdbff && j + 1 < len && (s.charCodeAt(j + 1) & 0xfc00) === 0xdc00) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++j) - 0xdc00);
        buf[p++] = 0xf0 | (cp >>> 18);
        buf[p++] = 0x80 | ((cp >>> 12) & 0x3f);
        buf[p++] = 0x80 | ((cp >>> 6) & 0x3f);
        buf[p++] = 0x80 | (cp & 0x3f);
      } else {
        if ((c & 0xf800) === 0xd800) lone = true;
        buf[p++] = 0xe0 | (c >>> 12);
        buf[p++] = 0x80 | ((c >>> 6) & 0x3f);
        buf[p++] = 0x80 | (c & 0x3f);
      }
    }
  }
  w.length = p;
  w.setU32(head, p - start);
  if (lone) w.raw()[head + 4] = FLAG_LONE_SURROGATES;
}

/** Reads `count` strings into out[0..count). */
export function readStrings(r: BlockReader, count: number, out: string[]): void {
  const bytes = r.u32('text length');
  const flags = r.u8('text flags');
  if ((flags & ~FLAG_LONE_SURROGATES) !== 0) throw corruptBlock(`unknown text flags ${flags}`);
  const ends = r.words(count, 'string offsets');
  const raw = r.take(bytes, 'text');
  const units = count > 0 ? ends[count - 1]! : 0;
  let text: string;
  if ((flags & FLAG_LONE_SURROGATES) === 0) {
    try {
      text = utf8.decode(raw);
    } catch {
      throw corruptBlock('text is not valid UTF-8');
    }
  } else {
    text = decodeWtf8(raw, units);
  }
  if (text.length !== units) throw corruptBlock(`text holds ${text.length} code units, its offsets say ${units}`);
  let start = 0;
  for (let k = 0; k < count; k++) {
    const end = ends[k]!;
    if (end < start) throw corruptBlock(`string offsets decrease at value ${k}`);
    out[k] = text.substring(start, end);
    start = end;
  }
}

function badWtf8(at: number) {
  return corruptBlock(`text is not valid WTF-8 at byte ${at}`);
}

/** WTF-8 bytes to a string of exactly `units` code units (lone surrogates kept). */
function decodeWtf8(raw: Uint8Array, units: number): string {
  const out = new Uint16Array(units);
  let u = 0;
  let p = 0;
  const n = raw.length;
  while (p < n) {
    const b = raw[p]!;
    let cp: number;
    let more: number;
    if (b < 0x80) {
      cp = b;
      more = 0;
    } else if (b >= 0xc0 && b < 0xe0) {
      cp = b & 0x1f;
      more = 1;
    } else if (b >= 0xe0 && b < 0xf0) {
      cp = b & 0x0f;
      more = 2;
    } else if (b >= 0xf0 && b < 0xf8) {
      cp = b & 0x07;
      more = 3;
    } else {
      throw badWtf8(p);
    }
    for (let j = 1; j <= more; j++) {
      const c = raw[p + j];
      if (c === undefined || (c & 0xc0) !== 0x80) throw badWtf8(p);
      cp = (cp << 6) | (c & 0x3f);
    }
    p += more + 1;
    const need = cp >= 0x10000 ? 2 : 1;
    if (u + need > units) throw corruptBlock(`text holds more than the ${units} code units its offsets say`);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out[u++] = 0xd800 + (cp >>> 10);
      out[u++] = 0xdc00 + (cp & 0x3ff);
    } else {
      out[u++] = cp;
    }
  }
  if (u !== units) throw corruptBlock(`text holds ${u} code units, its offsets say ${units}`);
  let text = '';
  for (let i = 0; i < units; i += CHARS_PER_CALL) {
    text += String.fromCharCode.apply(null, out.subarray(i, Math.min(units, i + CHARS_PER_CALL)) as unknown as number[]);
  }
  return text;
}
