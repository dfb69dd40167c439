// The CI workflows every scaffolded project gets: GitHub Actions and GitLab CI run `validate` and `test` with no AWS credentials, and those steps pass.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { listBlueprints, scaffoldBlueprint, type BlueprintLanguage } from '../../src/core/blueprints';
import { runCli } from '../support/cliRun';

const LAMBDA_WORKBENCH = 'npx --yes lambda-workbench ';

interface Workflow {
  jobs: Record<string, { steps: { run?: string; uses?: string; with?: Record<string, unknown> }[] }>;
}

interface GitLabJob {
  image: string;
  script: string[];
  artifacts: { reports: { junit: string } };
}

/** The lambda-workbench commands of a GitHub workflow, in order. */
function workbenchSteps(workflow: Workflow): string[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? '').filter((run) => run.startsWith(LAMBDA_WORKBENCH)));
}

describe('CI workflows of scaffolded projects', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const scaffold = async (id: string, language: BlueprintLanguage) => {
    const dir = mkdtempSync(join(tmpdir(), `lwb-ci-${id}-`));
    dirs.push(dir);
    await scaffoldBlueprint(id, language, dir);
    return dir;
  };

  it('every blueprint and application template ships both workflows, validating and testing with no AWS credentials', async () => {
    for (const blueprint of listBlueprints()) {
      for (const language of blueprint.languages) {
        const dir = await scaffold(blueprint.id, language);
        const github = readFileSync(join(dir, '.github', 'workflows', 'lambda-workbench.yml'), 'utf8');
        const gitlab = readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8');
        const where = `${blueprint.id} (${language})`;
        assert.deepEqual(
          workbenchSteps(parse(github) as Workflow),
          [`${LAMBDA_WORKBENCH}validate`, `${LAMBDA_WORKBENCH}test --junit test-results/lambda-workbench.xml`],
          where,
        );
        const job = (parse(gitlab) as Record<string, GitLabJob>)['lambda-workbench'];
        assert.deepEqual(job.script.filter((line) => line.startsWith(LAMBDA_WORKBENCH)), workbenchSteps(parse(github) as Workflow), where);
        assert.equal(job.artifacts.reports.junit, 'test-results/lambda-workbench.xml', where);
        assert.match(job.image, language === 'python' ? /^python:3\.\d+$/ : /^node:\d+$/, where);
        assert.doesNotMatch(github + gitlab, /AWS_(ACCESS|SECRET|SESSION)|configure-aws-credentials|\{\{/, where);
      }
    }
  });

  it('the README shows the workflows a scaffolded JavaScript function gets, as written', async () => {
    const dir = await scaffold('hello', 'javascript');
    const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
    /** The indented block after the README line that names `file`, unindented. */
    const shown = (file: string) => {
      const after = readme.slice(readme.indexOf(`\`${file}\`${file === '.gitlab-ci.yml' ? ' (' : ':'}`));
      const block = /\n\n((?: {4}.*\n|\n)+)/.exec(after)?.[1] ?? '';
      return block.split('\n').map((line) => line.slice(4)).join('\n').trimEnd();
    };
    /** The scaffolded file without its two comment lines (they name the project). */
    const scaffolded = (file: string) => readFileSync(join(dir, file), 'utf8').split('\n').slice(2).join('\n').trimEnd();
    assert.equal(shown('.github/workflows/lambda-workbench.yml'), scaffolded('.github/workflows/lambda-workbench.yml'));
    assert.equal(shown('.gitlab-ci.yml'), scaffolded('.gitlab-ci.yml'));
  });

  for (const language of ['javascript', 'python'] as const) {
    it(`the workflow's steps pass on a scaffolded ${language} hello function`, async () => {
      const dir = await scaffold('hello', language);
      const workflow = parse(readFileSync(join(dir, '.github', 'workflows', 'lambda-workbench.yml'), 'utf8')) as Workflow;
      for (const step of workbenchSteps(workflow)) {
        const run = await runCli(step.slice(LAMBDA_WORKBENCH.length).split(' '), { cwd: dir });
        assert.equal(run.code, 0, `${step}\n${run.stdout}${run.stderr}`);
      }
      assert.match(readFileSync(join(dir, 'test-results', 'lambda-workbench.xml'), 'utf8'), /<testsuite name="HelloFunction" tests="\d+" failures="0" errors="0"/);
    });
  }
});
