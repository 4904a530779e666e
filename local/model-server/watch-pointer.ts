import { watch } from 'node:fs';
import { POINTER_FILE } from './bundle';

/**
 * Calls `onChange` shortly after `current.json` in `modelDir` is replaced. Events are debounced
 * because one rename can surface as several watch events. Returns a function that stops watching.
 */
export function watchPointer(modelDir: string, onChange: () => void, debounceMs = 50): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(modelDir, (_event, filename) => {
    if (filename !== POINTER_FILE) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  watcher.unref();
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
