// Bundles src/main/js/app.js and copies the static files into <classes dir>/dev/fleetvault/webapp/app/ (the classes
// directory is the first argument: Maven passes project.build.outputDirectory).
// Deterministic: no timestamps, no absolute paths, fixed esbuild options (the same bytes on every build).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';

const classes = process.argv[2];
if (!classes) throw new Error('usage: node build.mjs <classes directory>');
const out = classes + '/dev/fleetvault/webapp/app';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['src/main/js/app.js'],
  bundle: true,
  format: 'esm',
  target: ['chrome109', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  charset: 'utf8',
  outfile: out + '/app.js',
  logLevel: 'warning',
});
for (const f of ['index.html', 'app.css']) copyFileSync('src/main/web/' + f, out + '/' + f);
