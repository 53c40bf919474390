import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** One cdk-nag acknowledgement: the rule (without Annotation::), the construct's path, and the reason written for it. */
export interface Acknowledged {
  readonly rule: string;
  readonly path: string;
  readonly reason: string;
}

/** Every acknowledgement under a construct, where Validations.acknowledge records them: metadata on the construct, keyed by rule. */
export function acknowledgedUnder(root: IConstruct): Acknowledged[] {
  const found: Acknowledged[] = [];
  const visit = (c: IConstruct) => {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [rule, reason] of Object.entries(entry.data as Record<string, string>)) found.push({ rule: rule.replace(/^Annotation::/, ''), path: c.node.path, reason });
    }
    c.node.children.forEach(visit);
  };
  visit(root);
  return found;
}
