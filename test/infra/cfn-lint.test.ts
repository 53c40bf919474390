import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROD_EVERY_OPTION, synthStage } from '../support/synth';

/*
 * cfn-lint (CloudFormation's own linter, installed on the CI machines; .ci/run
 * checks) over the templates the infra tests synthesise: the development stage
 * as `cdk synth -c stage=dev` makes it, and production with every option on.
 * No errors; warnings only of the kinds docs/deployment.md (its cfn-lint
 * section) gives a reason for.
 */

/** The warnings kept, each with its reason in docs/deployment.md's cfn-lint section. */
const KEPT_WARNINGS = ['W3005'] as const;

const STAGES: readonly (readonly [stage: string, context: Record<string, string>])[] = [
  ['dev', {}],
  ['prod', PROD_EVERY_OPTION],
];
/** synthStage's region. */
const REGION = 'eu-north-1';

interface Finding {
  readonly Filename: string;
  readonly Level: 'Error' | 'Warning' | 'Informational';
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location: { readonly Path: readonly (string | number)[] };
}

/** Runs cfn-lint; fails with what to do when it is not installed. */
function cfnLint(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('cfn-lint', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('cfn-lint is not installed, and npm test lints every synthesised template with it: install it with `pip install cfn-lint` (the CI machines have it; .ci/run checks)');
  }
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

let dir: string;
let findings: Finding[];
const templateFile = (stage: string) => join(dir, `SlaDesk-${stage}.template.json`);
/** A template with one known error, linted in the same run: proves errors are found and attributed to their file. */
const canaryFile = () => join(dir, 'canary.template.json');

beforeAll(() => {
  const version = cfnLint(['--version']);
  expect(version.status, version.stderr).toBe(0);
  dir = mkdtempSync(join(tmpdir(), 'sla-desk-cfn-lint-'));
  for (const [stage, context] of STAGES) {
    const { stack, template } = synthStage(stage, context);
    expect(stack.region).toBe(REGION);
    writeFileSync(templateFile(stage), JSON.stringify(template.toJSON(), null, 1));
  }
  writeFileSync(canaryFile(), JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { NoSuchProperty: true } } } }));
  // One run over all: the schemas load once. Exit status is non-zero whenever something is found; the JSON says what.
  const run = cfnLint(['--format', 'json', '--regions', REGION, '--', ...STAGES.map(([stage]) => templateFile(stage)), canaryFile()]);
  try {
    findings = JSON.parse(run.stdout) as Finding[];
  } catch {
    throw new Error(`cfn-lint gave no JSON (exit ${run.status}): ${run.stderr || run.stdout}`);
  }
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const describeFinding = (f: Finding) => `${f.Rule.Id} ${f.Location.Path.slice(0, 2).join('/')}: ${f.Message}`;
const of = (stage: string) => findings.filter((f) => f.Filename === templateFile(stage));

describe('cfn-lint', () => {
  it.each(STAGES.map(([stage]) => stage))('%s: no errors', (stage) => {
    expect(
      of(stage)
        .filter((f) => f.Level === 'Error')
        .map(describeFinding),
    ).toEqual([]);
  });

  it.each(STAGES.map(([stage]) => stage))('%s: warnings only of the kinds kept, with their reason in docs/deployment.md', (stage) => {
    const kinds = new Set(
      of(stage)
        .filter((f) => f.Level === 'Warning')
        .map((f) => f.Rule.Id),
    );
    expect([...kinds].filter((id) => !(KEPT_WARNINGS as readonly string[]).includes(id))).toEqual([]);
  });

  it('docs/deployment.md gives each kept kind its reason', () => {
    const doc = readFileSync(join(__dirname, '../../docs/deployment.md'), 'utf8');
    const start = doc.indexOf('\n## cfn-lint\n');
    expect(start).toBeGreaterThan(0);
    const end = doc.indexOf('\n## ', start + 1);
    const section = doc.slice(start, end > start ? end : undefined);
    for (const id of KEPT_WARNINGS) expect(section, id).toMatch(new RegExp(`\`${id}\``));
  });

  it('finds an error where there is one, and names its template', () => {
    expect(findings.filter((f) => f.Filename === canaryFile()).map((f) => [f.Level, f.Rule.Id, f.Location.Path.join('/')])).toEqual([['Error', 'E3002', 'Resources/Queue/Properties/NoSuchProperty']]);
  });
});
