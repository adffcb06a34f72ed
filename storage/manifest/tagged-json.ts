// JSON text that carries bigint values exactly, for the manifest payload (manifest-codec.ts).
// A bigint is written as {"$bigint":"<decimal digits>"}; plain JSON has no 64-bit integers, and a
// number above 2^53 would silently lose digits. Lone UTF-16 surrogates in strings survive too,
// because JSON.stringify escapes them (\udXXX) instead of handing them to the UTF-8 encoder.

const BIGINT_TAG = '$bigint';
const BIGINT_TEXT = /^-?\d+$/;

/** A value tagged-json can write: JSON values plus bigint. */
export type TaggedJsonValue = null | boolean | number | string | bigint | TaggedJsonValue[] | { [key: string]: TaggedJsonValue };

export function toTaggedJson(value: TaggedJsonValue): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return { [BIGINT_TAG]: v.toString() };
    if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`cannot write ${v} as JSON`);
    return v;
  });
}

/** Parses text `toTaggedJson` wrote; throws SyntaxError on malformed text or a bad bigint tag. */
export function fromTaggedJson(text: string): TaggedJsonValue {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, BIGINT_TAG)) {
      const digits = (v as Record<string, unknown>)[BIGINT_TAG];
      if (Object.keys(v).length !== 1 || typeof digits !== 'string' || !BIGINT_TEXT.test(digits)) {
        throw new SyntaxError(`malformed ${BIGINT_TAG} value ${JSON.stringify(v)}`);
      }
      return BigInt(digits);
    }
    return v;
  }) as TaggedJsonValue;
}
