// `npm run api:report` / `npm run api:check`: the public surface of each package entry (the `exports` map of
// package.json), as API Extractor reads it from the built declarations, written to etc/api/<entry>.api.md.
//   node scripts/api-report.mjs          builds, then rewrites the reports (commit the diff)
//   node scripts/api-report.mjs --check  builds when dist/ is missing or older than src/, then fails and prints
//                                        the diff when the built surface differs from a committed report
// One API Extractor config per entry, generated here (API Extractor takes one entry point per run). Its
// message settings are the decisions of docs/api-policy.md ("The API report"): a warning fails the run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const reportFolder = join(root, 'etc/api');
const tempFolder = join(root, 'dist/api-report');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const entries = Object.entries(manifest.exports)
  .filter(([, target]) => typeof target !== 'string') // ./package.json
  .map(([subpath, target]) => ({
    subpath,
    types: join(root, target.import.types),
    // ".": nestjs-hotglue.api.md, "./throttler": nestjs-hotglue-throttler.api.md
    report: [manifest.name, ...subpath.split('/').slice(1)].join('-'),
  }));

const newestIn = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && f.name.endsWith('.ts'))
    .reduce((newest, f) => Math.max(newest, statSync(join(f.parentPath, f.name)).mtimeMs), 0);
const stale = () => {
  if (!entries.every((e) => existsSync(e.types))) return true;
  const built = Math.min(...entries.map((e) => statSync(e.types).mtimeMs));
  return ['src/hotglue', 'src/hotglue-testing'].some((dir) => newestIn(join(root, dir)) > built);
};
if (!check || stale()) {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
}

mkdirSync(reportFolder, { recursive: true });
mkdirSync(tempFolder, { recursive: true });
// The names each entry exports, read by TypeScript from the built declarations.
const exportsOf = (file) => {
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file));
  return new Set(module ? checker.getExportsOfModule(module).map((symbol) => symbol.name) : []);
};
const exported = new Map(entries.map((e) => [e.subpath, exportsOf(e.types)]));

const warn = { logLevel: 'warning', addToApiReportFile: false };
const off = { logLevel: 'none', addToApiReportFile: false };
let failed = false;
for (const entry of entries) {
  let findings = 0;
  const config = ExtractorConfig.prepare({
    configObjectFullPath: join(root, 'scripts/api-extractor.json'), // virtual: only its folder is used
    packageJsonFullPath: join(root, 'package.json'),
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: entry.types,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2023',
            lib: ['ES2023'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            skipLibCheck: true,
            types: ['node'],
          },
          files: [entry.types],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: `${entry.report}.api.md`,
        reportFolder,
        reportTempFolder: tempFolder,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: 'lf',
      messages: {
        compilerMessageReporting: { default: warn },
        extractorMessageReporting: {
          default: warn,
          // Every exported name is public (docs/api-policy.md); the package uses no @alpha/@beta tags.
          'ae-missing-release-tag': off,
          // Documenting every member is a docs decision (docs/), not a surface check.
          'ae-undocumented': off,
        },
        // The JSDoc is written for editors, not for a TSDoc documentation site.
        tsdocMessageReporting: { default: off },
      },
    },
  });
  // API Extractor reads one entry at a time, so a type that another entry of this package exports (the
  // testing entry naming `HotglueModuleOptions` of the main one) looks forgotten; it is not a leak.
  const elsewhere = new Set(
    [...exported].filter(([subpath]) => subpath !== entry.subpath).flatMap(([, names]) => [...names]),
  );
  const result = Extractor.invoke(config, {
    localBuild: !check,
    showVerboseMessages: false,
    messageCallback(message) {
      const symbol = /The symbol "([^"]+)"/.exec(message.text)?.[1];
      if (message.messageId === 'ae-forgotten-export' && symbol && elsewhere.has(symbol)) {
        message.logLevel = 'none';
      }
      // console-* messages are API Extractor's own progress ("report created/updated"), not findings.
      if (['warning', 'error'].includes(message.logLevel) && !message.messageId.startsWith('console-')) {
        findings += 1;
      }
    },
  });
  const name = `${entry.report}.api.md`;
  if (result.apiReportChanged && check) {
    console.error(`\napi:check: the surface of "${entry.subpath}" differs from etc/api/${name}:`);
    spawnSync('diff', ['-u', join(reportFolder, name), join(tempFolder, name)], { stdio: 'inherit' });
  }
  const differs = check && result.apiReportChanged;
  if (findings > 0 || differs || result.errorCount > findings) {
    failed = true;
    console.error(`api-report: ${entry.subpath}: ${findings} findings${differs ? ', surface differs' : ''}`);
  } else {
    console.log(`api-report: ${entry.subpath} -> ${relative(root, join(reportFolder, name))}`);
  }
}
if (failed) {
  console.error(
    check
      ? '\napi:check failed. If the change is intended, run `npm run api:report` and commit etc/api/ (docs/api-policy.md).'
      : '\napi:report: fix the warnings above (docs/api-policy.md, "The API report").',
  );
  process.exit(1);
}
