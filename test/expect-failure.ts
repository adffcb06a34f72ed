// Shared by tests of statements that must fail: the QuiverError a promise rejects with, so the
// test can check its code, message and position.

import { expect } from 'vitest';
import { QuiverError } from '../index.js';

export async function failure(p: Promise<unknown>): Promise<QuiverError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(QuiverError);
    return e as QuiverError;
  }
  throw new Error('expected the statement to fail');
}
