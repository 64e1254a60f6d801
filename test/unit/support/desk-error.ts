import { expect } from 'vitest';
import { DeskError } from '../../../electron/core/errors';

/** The DeskError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function deskErrorOf(promise: Promise<unknown>): Promise<DeskError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeskError);
  return error as DeskError;
}
