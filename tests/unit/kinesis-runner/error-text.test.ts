import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { describe, expect, it } from 'vitest';
import { errorText } from '../../../local/kinesis-runner/error-text';

describe('errorText', () => {
  it('names a plain error', () => {
    expect(errorText(new TypeError('bad vector'))).toBe('TypeError: bad vector');
  });

  it("appends a full batch failure's distinct record causes, at most three", () => {
    const causes = [
      new Error('user u1: lost 4 concurrent-write races'),
      new Error('user u1: lost 4 concurrent-write races'),
      new TypeError('a'),
      new RangeError('b'),
      new Error('c'),
    ];
    expect(errorText(new FullBatchFailureError(causes))).toBe(
      'FullBatchFailureError: All records failed processing. See individual errors below. Causes: ' +
        'Error: user u1: lost 4 concurrent-write races; TypeError: a; RangeError: b (+1 more)',
    );
  });
});
