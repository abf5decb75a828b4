/** `thinkscope make-model --out FILE [--seed N]`: writes the embedded tiny model. */
import { parseArgs } from 'node:util';
import { writeTinyModel } from '../../tinymodel';
import { intFlag, UsageError } from '../args';

export const makeModelUsage = 'thinkscope make-model --out FILE [--seed N]';

export async function makeModel(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, seed: { type: 'string' } } });
  if (!values.out) throw new UsageError(`--out is required: ${makeModelUsage}`);
  const seed = intFlag('seed', values.seed) ?? 0;
  await writeTinyModel(values.out, { seed });
  process.stdout.write(`Wrote the tiny model (seed ${seed}) to ${values.out}\n`);
  return 0;
}
