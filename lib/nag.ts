import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The form cdk-nag uses to name a resource in an IAM5 finding, e.g.
 * `<Table1234.Arn>` or `arn:<AWS::Partition>:scheduler:...`, so an
 * acknowledgement names exactly the resource it excuses.
 */
export function nagResourceName(scope: IConstruct, value: string): string {
  const visit = (node: unknown): string => {
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    const fn = node as Record<string, unknown> | null;
    const join = fn?.['Fn::Join'] as [string, unknown[]] | undefined;
    if (join) return join[1].map(visit).join(join[0]);
    const getAtt = fn?.['Fn::GetAtt'] as [unknown, unknown] | undefined;
    if (getAtt) return `<${visit(getAtt[0])}.${visit(getAtt[1])}>`;
    if (fn?.Ref !== undefined) return `<${visit(fn.Ref)}>`;
    throw new Error(`Cannot name ${JSON.stringify(node)} for an acknowledgement`);
  };
  return visit(Stack.of(scope).resolve(value));
}
