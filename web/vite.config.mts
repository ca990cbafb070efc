import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const OUT_DIR = path.resolve(import.meta.dirname, '../dist/web');

/**
 * Writes .br and .gz beside each text asset, which the API serves to clients that accept them
 * (@koa/send picks them): the bundle is compressed once here instead of on every request.
 */
function precompress(): Plugin {
  return {
    name: 'taskhub-precompress',
    apply: 'build',
    writeBundle() {
      for (const dirent of fs.readdirSync(OUT_DIR, { recursive: true, withFileTypes: true })) {
        if (!dirent.isFile() || !/\.(js|css|html|svg|json)$/.test(dirent.name)) continue;
        const file = path.join(dirent.parentPath, dirent.name);
        const bytes = fs.readFileSync(file);
        if (bytes.length < 1024) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

/**
 * The dashboard's build: `web/` in, `dist/web/` out (served by the API at `/`). Vite compiles
 * TSX with React's automatic runtime by itself; no dev server or React plugin is involved.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  plugins: [precompress()],
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1000,
    reportCompressedSize: false,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Mantine marks its modules "use client" for React Server Components; a browser bundle has no use for it.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
