/** How procedures run engine tasks: on the context's pool (the server's), else inline (in-process callers). */
import type { Context } from '../context.ts';
import { documentProblems, engineFailure } from '../failures.ts';
import type { EngineTask, TaskValues } from './tasks.ts';
import { runTask } from './tasks.ts';

/** The task's value; its document's problems are thrown as a 400, a budget met as its own failure (failures.ts). */
export async function runEngine<K extends EngineTask['kind']>(
  ctx: Context,
  task: Extract<EngineTask, { kind: K }>,
  signal?: AbortSignal,
): Promise<TaskValues[K]> {
  const result = ctx.engine ? await ctx.engine.run(task, { signal }) : runTask(task);
  if (result.ok) return result.value as TaskValues[K];
  if ('problems' in result) throw documentProblems(result.problems);
  throw engineFailure(result.failure);
}
