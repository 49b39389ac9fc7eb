// Runs one `busboard` command inside main.ts's time budget. Plain JS: tsx's loader hooks are
// registered per thread, so this registers them before importing the TypeScript command runner.
import { register } from 'tsx/esm/api';

register();
await import('./worker-thread.ts');
