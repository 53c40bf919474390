import { ConsultancyWorkflow } from '../domain/consultancy/consultancy-workflow';
import type { Dependencies } from './dependencies';

/** Built on first use, and imported by the consultancy routes alone: no other function bundles the workflow. */
const workflows = new WeakMap<Dependencies, ConsultancyWorkflow>();

export function consultancyOf(deps: Dependencies): ConsultancyWorkflow {
  return workflows.get(deps) ?? workflows.set(deps, new ConsultancyWorkflow(deps)).get(deps)!;
}
