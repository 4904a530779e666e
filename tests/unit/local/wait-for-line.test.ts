import { afterEach, describe, expect, it } from 'vitest';
import { type GroupChild, spawnGroup } from '../../../local/standins/process-group';
import { waitForLine } from '../../../local/supervisor/node-service';

const started: GroupChild[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((c) => c.stop()));
});

/** A real child that runs `script` under this Node. */
function node(script: string): GroupChild {
  const child = spawnGroup('child', process.execPath, ['-e', script]);
  started.push(child);
  return child;
}

const listeners = (c: GroupChild) =>
  (c.child.stdout?.listenerCount('data') ?? 0) +
  (c.child.stderr?.listenerCount('data') ?? 0) +
  c.child.listenerCount('exit');

describe('waitForLine', () => {
  it('finds a line split across writes, on stderr too, and leaves no listener behind', async () => {
    const child = node(
      "process.stdout.write('noise\\nrea'); setTimeout(() => process.stdout.write('dy at 7\\n'), 50);" +
        "setTimeout(() => process.stderr.write('caught up\\n'), 100); setTimeout(() => {}, 10000);",
    );
    const before = listeners(child);
    expect(await waitForLine(child, /^ready at \d+$/, 5000)).toBe('ready at 7');
    expect(await waitForLine(child, /caught up/, 5000)).toBe('caught up');
    expect(listeners(child)).toBe(before);
  });

  it('rejects when the child exits first, or when the line does not come in time', async () => {
    const quitter = node("console.log('starting'); process.exit(3);");
    await expect(waitForLine(quitter, /ready/, 5000)).rejects.toThrow(
      'child exited with code 3 before it was ready',
    );
    const silent = node('setTimeout(() => {}, 10000);');
    const before = listeners(silent);
    await expect(waitForLine(silent, /ready/, 100)).rejects.toThrow('child printed no ready line in 100 ms');
    expect(listeners(silent)).toBe(before);
  });
});
