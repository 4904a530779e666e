import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { ClientError } from '../../common/errors';
import type { AdminEnv } from '../http/env';
import type { AdminServices } from '../services';
import type { Experiment, ExperimentInput, ExperimentPatch } from './schemas';

const entity = (id: string) => `experiment:${id}`;

export async function createExperiment(s: AdminServices, c: Context<AdminEnv>, input: ExperimentInput) {
  const at = new Date(s.now()).toISOString();
  const e: Experiment = {
    ...input,
    experiment_id: randomUUID(),
    control: input.control ?? (input.variants[0]?.name as string),
    salt: input.salt ?? randomBytes(8).toString('hex'),
    status: 'draft',
    version: 1,
    created_at: at,
    updated_at: at,
  };
  await s.experiments.create(e);
  await s.recordAudit(c, entity(e.experiment_id), 'experiment.create', undefined, e);
  return e;
}

async function write(
  s: AdminServices,
  c: Context<AdminEnv>,
  before: Experiment,
  expected: number,
  next: Experiment,
  action: string,
) {
  await s.experiments.replace(next, expected);
  await s.recordAudit(c, entity(next.experiment_id), action, before, next);
  return next;
}

/** Edits a draft; a running or stopped experiment keeps its design so its results stay valid. */
export async function updateExperiment(
  s: AdminServices,
  c: Context<AdminEnv>,
  id: string,
  expected: number,
  patch: ExperimentPatch,
) {
  const before = await s.experiments.require(id);
  if (before.status !== 'draft')
    throw new ClientError(409, 'Experiment not editable', `a ${before.status} experiment cannot change`);
  const merged = { ...before, ...patch };
  if (!merged.variants.some((v) => v.name === merged.control))
    throw new ClientError(409, 'Invalid control', `control ${merged.control} is not one of the variants`);
  const next = { ...merged, version: before.version + 1, updated_at: new Date(s.now()).toISOString() };
  return write(s, c, before, expected, next, 'experiment.update');
}

/** draft -> running -> stopped; anything else is a 409. */
export async function transitionExperiment(
  s: AdminServices,
  c: Context<AdminEnv>,
  id: string,
  expected: number,
  action: 'start' | 'stop',
) {
  const before = await s.experiments.require(id);
  const from = action === 'start' ? 'draft' : 'running';
  if (before.status !== from)
    throw new ClientError(
      409,
      'Invalid transition',
      `cannot ${action} an experiment that is ${before.status}`,
    );
  const at = new Date(s.now()).toISOString();
  const next: Experiment = {
    ...before,
    status: action === 'start' ? 'running' : 'stopped',
    ...(action === 'start' ? { started_at: at } : { stopped_at: at }),
    version: before.version + 1,
    updated_at: at,
  };
  return write(s, c, before, expected, next, `experiment.${action}`);
}
