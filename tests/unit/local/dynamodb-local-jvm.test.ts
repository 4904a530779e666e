import { describe, expect, it } from 'vitest';
import { DEFAULT_JAVA_OPTIONS, javaOptionsFor } from '../../../local/standins/dynamodb-local';

describe('DynamoDB Local JVM options', () => {
  it('run the client compiler only by default, with a bounded heap', () => {
    expect(javaOptionsFor(undefined, {})).toEqual(['-Xms64m', '-Xmx512m', '-XX:TieredStopAtLevel=1']);
    expect(DEFAULT_JAVA_OPTIONS).toContain('-XX:TieredStopAtLevel=1');
  });

  it('take DYNAMODB_LOCAL_JAVA_OPTS, split on whitespace, over the defaults', () => {
    expect(javaOptionsFor(undefined, { DYNAMODB_LOCAL_JAVA_OPTS: ' -Xmx2g   -XX:+UseSerialGC ' })).toEqual([
      '-Xmx2g',
      '-XX:+UseSerialGC',
    ]);
    expect(javaOptionsFor(undefined, { DYNAMODB_LOCAL_JAVA_OPTS: '   ' })).toEqual(DEFAULT_JAVA_OPTIONS);
  });

  it('prefer options the caller passes to the environment', () => {
    expect(javaOptionsFor(['-Xmx1g'], { DYNAMODB_LOCAL_JAVA_OPTS: '-Xmx2g' })).toEqual(['-Xmx1g']);
  });
});
