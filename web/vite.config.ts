import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// goji serve marks names like "index-0a1b2c3d.js" immutable (a dash, then at
// least eight of [A-Za-z0-9_]); hex hashes never contain a dash.
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Served precompressed; the report would only repeat what compress.mjs does.
    reportCompressedSize: false,
    // Every browser we target supports <link rel="modulepreload">.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 2048,
    rollupOptions: {
      output: {
        hashCharacters: 'hex',
        entryFileNames: 'assets/[name]-[hash:10].js',
        chunkFileNames: 'assets/[name]-[hash:10].js',
        assetFileNames: 'assets/[name]-[hash:10][extname]',
      },
    },
  },
  server: {
    proxy: { '/api': process.env.GOJI_API ?? 'http://127.0.0.1:8080' },
  },
});
