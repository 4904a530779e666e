import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * A resource ARN as cdk-nag spells it in granular finding ids (`AwsSolutions-IAM5[Resource::...]`):
 * `{ Ref: X }` -> `<X>`, `Fn::GetAtt [A, B]` -> `<A.B>`, `Fn::Join` concatenated. Lets an
 * acknowledgement name exactly one finding even when the ARN holds tokens.
 */
export function nagResourceId(scope: IConstruct, value: string): string {
  return render(Stack.of(scope).resolve(value));
}

function render(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.Ref === 'string') return `<${o.Ref}>`;
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.join('.')}>`;
    const join = o['Fn::Join'];
    if (Array.isArray(join)) return (join[1] as unknown[]).map(render).join(String(join[0]));
  }
  throw new Error(`cannot render ${JSON.stringify(v)} as a cdk-nag resource id`);
}
