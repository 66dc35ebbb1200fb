import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// The server embeds dist/ and serves assets/ with a year-long immutable
// cache, so every file there must carry a content hash in its name.
const target = process.env['MOSAIC'] ?? 'https://127.0.0.1:8080';

export default defineConfig({
  plugins: [solid()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The polyfill would be inlined into index.html, which the server's
    // Content-Security-Policy forbids; every supported browser has
    // modulepreload natively.
    modulePreload: { polyfill: false },
    // Small files would otherwise become data: URLs inside the CSS.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // `npm run dev` talks to a running mosaic-server for /api. The server
    // only accepts cookie writes from its own origin, so the proxy presents
    // the server's origin instead of the dev server's.
    proxy: {
      '/api': {
        target,
        secure: false,
        ws: true,
        changeOrigin: true,
        configure: (proxy) => {
          proxy.on('proxyReq', (request) => request.setHeader('origin', target));
          proxy.on('proxyReqWs', (request) => request.setHeader('origin', target));
        },
      },
    },
  },
});
