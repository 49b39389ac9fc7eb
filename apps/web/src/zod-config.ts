// Must run before any zod schema is built: zod probes `new Function`, which the strict CSP refuses.
import { z } from 'zod';

z.config({ jitless: true });
